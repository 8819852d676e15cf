"""What every page showing key figures shares."""

from impact.indicators import bp
from impact.indicators.figures import shown

bp.add_app_template_global(shown, "figure_shown")
