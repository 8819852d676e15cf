"""What every page showing key figures shares."""

from impact.indicators import bp, charts
from impact.indicators.figures import shown

bp.add_app_template_global(shown, "figure_shown")
bp.add_app_template_global(charts.comparison, "figure_comparison_chart")
bp.add_app_template_global(charts.over_years, "figure_trend_chart")
