"""Keeps ``negative_impacts`` (the notice of combined effects on the ground pages, impact/assessments/cumulative.py)
exact in the transaction of every change, with the dashboard's summary tables: the table and what an assessment
contributes to it belong to the assessments; keeping derived tables in step is this package's work."""

from impact.assessments.cumulative import NegativeImpact, negative_impact_rows
from impact.reports import derived

derived.register(
    derived.DerivedTable(
        NegativeImpact.__table__,
        key=("ground_key", "decided_at", "place_kind", "place_id", "assessment_id"),
        values=("n",),
        contributions=negative_impact_rows,
        drop_empty=True,
    )
)
