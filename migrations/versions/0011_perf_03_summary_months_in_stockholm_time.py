"""The dashboard's summary tables counted by Stockholm month, as the date filters count Stockholm days

The tables keyed by creation month (assessment_counts, impact_counts, district_assessment_counts, district_counts)
were keyed by the UTC month; an assessment created in the last hour or two of a month (local time: the first hours
of the next) was counted in the wrong month. The app now keys them by the local month
(``impact.core.timefmt.local_timestamp``); this recounts every summary table once from the base tables, with the
app's own definitions (``impact.reports.derived.recount_in_migration``). On an empty database (a new installation,
the tests) there is nothing to recount. Where today's definitions read columns that later migrations add, the
recount is left to the later migration, which recounts every summary table whenever there is data.

Revision ID: perf_03
Revises: form_02
Create Date: 2026-11-29 22:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'perf_03'
down_revision = 'form_02'
branch_labels = None
depends_on = None


def upgrade():
    from impact.reports.derived import recount_in_migration

    recount_in_migration(op.get_bind())


def downgrade():
    # The rows stay keyed by the local month; the code of auth_02 keeps them in step all the same, off only for
    # assessments created in the last hours of a month (`rebuild_all` with that code recounts them by UTC month).
    pass
