"""Migrating an empty database to head gives exactly the models' schema, on SQLite and PostgreSQL."""

import json

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from impact import create_app
from impact.assessments.search import schema
from impact.core.db import db
from impact.reports.derived import TABLES
from tests.databases import fresh_database, kind_of

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A brand-new, empty database on the same server as the suite's."""
    with fresh_database(kind_of(database_url), database_url, tmp_path) as url:
        yield url


def row_counts() -> dict[str, int]:
    """Rows per table of the database the app is bound to."""
    with db.engine.connect() as connection:
        names = sorted(set(sa.inspect(connection).get_table_names()) - {"alembic_version"})
        count = 'SELECT count(*) FROM "{}"'  # names from the database's own catalogue
        return {name: connection.scalar(sa.text(count.format(name))) for name in names}


def test_upgrade_to_head_matches_the_models_and_downgrades_cleanly(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            # The search index is not in the models (an FTS5 table cannot be): search_01 makes it, and its own
            # test (tests/search/test_index.py) checks what the migration fills it with.
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_name": schema.include_name}
            )
            differences = compare_metadata(context, db.metadata)
            assert schema.exists(connection)
        assert differences == []
        downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_the_dashboard_migration_counts_existing_data_as_the_app_keeps_it(empty_database_url):
    """perf_02 fills the summary tables from the data already there, perf_03 recounts them by Stockholm month, and
    cumulative_01 fills negative_impacts and recounts the rest: the same rows the flush listeners keep."""
    from datetime import UTC, date, datetime, timedelta

    from tests import factories
    from tests.reports.test_dashboard_counts import _tables

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["seed-base"]).exit_code == 0
        overdue = date.today() - timedelta(days=3)
        for status, department in (("approved", "FFF"), ("submitted", "GSF"), ("draft", "FFF"), ("archived", "GSF")):
            factories.create_assessment(
                status=status,
                department=department,
                follow_up_date=overdue,
                answers={
                    "age": {"impact": "negative", "mitigations": [{"due_date": overdue}, {"due_date": date.today()}]},
                    "gender": "significantly_negative",
                    "disability": "cannot_assess",
                    "religion": "not_relevant",
                    "ethnicity": {"impact": "negative", "acceptance_justification": "Nödvändigt."},
                },
            )
        # 2025-12-31 23:30 UTC is 2026-01-01 00:30 in Stockholm: counted in January, not December.
        factories.create_assessment(status="approved", answers={"age": "negative"}).created_at = datetime(
            2025, 12, 31, 23, 30, tzinfo=UTC
        )
        db.session.commit()
        kept = _tables()
        months = {key[3:5] for key in kept if key[0] == "assessment_counts"}
        assert (2026, 1) in months and (2025, 12) not in months
        assert {key[0] for key in kept} == {
            "impact_counts",
            "impact_totals",
            "assessment_counts",
            "due_counts",
            "due_month_counts",
            "district_assessment_counts",
            "district_counts",
            "district_totals",
            "negative_impacts",
        }
        db.session.remove()  # end the reading transaction: PostgreSQL's DROP TABLE would wait for it
        downgrade(revision="perf_01")
        upgrade()
        assert _tables() == kept
        db.session.remove()
        db.engine.dispose()


def test_the_audit_chain_migration_keeps_every_event_and_its_links(empty_database_url):
    """audit_02: the chain written before it verifies after it, new events extend it, and a downgrade seals
    pending events instead of dropping them."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from impact.audit import trail
    from impact.audit.models import GENESIS_HASH, AuditEvent

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="perf_02")
        previous = GENESIS_HASH
        with db.engine.begin() as connection:
            for number in range(1, 4):
                row = {
                    "created_at": datetime(2026, 1, number, tzinfo=UTC),
                    "actor_id": None,
                    "action": "user.login",
                    "object_type": "system",
                    "object_id": None,
                    "assessment_id": None,
                    "changes": {"n": number},
                    "prev_hash": previous,
                }
                row["hash"] = previous = trail.compute_hash(SimpleNamespace(**row))
                connection.execute(
                    sa.text(
                        "INSERT INTO audit_events (created_at, actor_id, action, object_type, object_id, "
                        "assessment_id, changes, prev_hash, hash) VALUES (:created_at, NULL, :action, "
                        ":object_type, NULL, NULL, :changes, :prev_hash, :hash)"
                    ),
                    {**row, "created_at": row["created_at"].isoformat(), "changes": json.dumps({"n": number})},
                )
        upgrade()
        assert trail.first_broken_link() is None
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert [(event.chain_position, event.hash) for event in events][-1] == (3, previous)
        trail.record("user.login", changes={"n": 4})
        db.session.commit()
        assert trail.first_broken_link() is None
        assert db.session.scalar(sa.select(AuditEvent.prev_hash).where(AuditEvent.chain_position == 4)) == previous
        # An event not yet sealed when the schema goes back: sealed by the downgrade, not lost.
        db.session.info.pop("audit_events_unsealed", None)
        trail.record("user.logout", changes={"n": 5})
        db.session.info.pop("audit_events_unsealed", None)  # no seal after this commit
        db.session.commit()
        assert trail.unsealed_count() == 1
        db.session.remove()
        downgrade(revision="perf_02")
        with db.engine.connect() as connection:
            hashes = connection.execute(sa.text("SELECT prev_hash, hash FROM audit_events ORDER BY id")).all()
        assert len(hashes) == 5 and all(prev and digest for prev, digest in hashes)
        upgrade()
        assert trail.first_broken_link() is None and trail.unsealed_count() == 0
        db.session.remove()
        db.engine.dispose()


def test_the_decision_migration_rebuilds_assessments_without_losing_a_row(empty_database_url):
    """decision_01 changes the CHECK constraints of ``assessments`` (on SQLite by rebuilding the table): every row
    of every table stays, the rows that point at assessments still do, and a downgrade keeps them too."""
    from datetime import date

    from tests import factories

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        # The data is made with today's models, then taken back to the schema before the migration.
        upgrade()
        assert app.test_cli_runner().invoke(args=["seed-base"]).exit_code == 0
        for status in ("approved", "archived", "submitted", "draft", "returned"):
            factories.create_assessment(
                status=status,
                follow_up_date=date(2027, 1, 1),
                answers={
                    "age": {"impact": "negative", "mitigations": [{"due_date": date(2027, 2, 1)}]},
                    "gender": "neutral",
                },
            )
        db.session.commit()
        db.session.remove()
        downgrade(revision="review_02")
        before = row_counts()
        assert before["assessments"] == 5 and before["mitigations"] == 5 and before["ground_answers"] == 10

        upgrade()
        after = row_counts()
        assert {name: after[name] for name in before} == before
        assert after["committee_decisions"] == 0 and after["user_committees"] == 0
        with db.engine.begin() as connection:
            connection.execute(sa.text("UPDATE assessments SET status = 'decided' WHERE status = 'approved'"))
            # The CHECK constraint still holds the states.
            with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
                connection.execute(sa.text("UPDATE assessments SET status = 'lost' WHERE status = 'draft'"))

        downgrade(revision="review_02")
        assert row_counts() == before
        with db.engine.connect() as connection:
            states = set(connection.scalars(sa.text("SELECT status FROM assessments")))
        assert "decided" not in states and "approved" in states
        db.engine.dispose()


def test_the_remaining_and_actual_impact_migration_leaves_existing_answers_as_they_were(empty_database_url):
    """decision_02 adds the remaining and the actual impact to ground answers: existing answers keep every value and
    have neither, the published template keeps its drafts submittable as before, and a downgrade keeps every row."""
    from datetime import date

    from tests import factories

    def answers() -> list[tuple]:
        with db.engine.connect() as connection:
            return connection.execute(
                sa.text("SELECT id, impact, actual_outcome, lock_version FROM ground_answers ORDER BY id")
            ).all()

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        # The data is made with today's models, then taken back to the schema before the migration.
        upgrade()
        assert app.test_cli_runner().invoke(args=["seed-base"]).exit_code == 0
        for status in ("approved", "draft"):
            factories.create_assessment(
                status=status,
                follow_up_date=date(2027, 1, 1),
                answers={"age": {"impact": "negative", "mitigations": [{"due_date": date(2027, 2, 1)}]}},
            )
        db.session.commit()
        db.session.remove()
        downgrade(revision="jobs_01")
        before = answers()
        assert len(before) == 2

        upgrade()
        assert answers() == before
        with db.engine.begin() as connection:
            new = connection.execute(
                sa.text(
                    "SELECT remaining_impact, actual_impact, actual_comment, actual_recorded_at FROM ground_answers"
                )
            ).all()
            assert set(new) == {(None, None, "", None)}
            assert set(connection.scalars(sa.text("SELECT asks_remaining_impact FROM template_versions"))) == {False}
            connection.execute(
                sa.text("UPDATE ground_answers SET remaining_impact = 'neutral', actual_impact = 'neutral'")
            )
            # The CHECK constraints hold the scale.
            for update in (
                "UPDATE ground_answers SET remaining_impact = 'somewhat'",
                "UPDATE ground_answers SET actual_impact = 'somewhat'",
            ):
                with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
                    connection.execute(sa.text(update))

        downgrade(revision="jobs_01")
        assert answers() == before
        db.engine.dispose()


def _existing_rows(app) -> tuple[int, int]:
    """A draft and a submitted assessment with a comment on a section and one on a ground, written by raw SQL (the
    models already know the columns and tables of later revisions): (the submitted assessment's id, its author's)."""
    with db.engine.begin() as connection:
        # A published template with one ground, as seed-base left it before the template held more than grounds.
        connection.execute(
            sa.text(
                "INSERT INTO template_versions (number, status, created_at, published_at, asks_remaining_impact) "
                "VALUES (1, 'published', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', true)"
            )
        )
        connection.execute(
            sa.text(
                "INSERT INTO grounds (template_version_id, key, position, name_sv, name_en, guidance_sv, guidance_en, "
                "active) SELECT id, 'age', 1, 'Ålder', 'Age', '', '', true FROM template_versions"
            )
        )
        connection.execute(sa.text("INSERT INTO departments (code, name, active) VALUES ('FFF', 'Fritid', true)"))
        department = connection.scalar(sa.text("SELECT id FROM departments WHERE code = 'FFF'"))
        connection.execute(
            sa.text(
                "INSERT INTO users (email, name, department_id, password_hash, active, municipality_wide, "
                "must_change_password, created_at, locale) VALUES ('a@test.example.com', 'A', :department, 'x', "
                "true, false, false, '2026-01-01 00:00:00+00:00', 'sv')"
            ),
            {"department": department},
        )
        user = connection.scalar(sa.text("SELECT id FROM users WHERE email = 'a@test.example.com'"))
        version = connection.scalar(sa.text("SELECT id FROM template_versions"))
        ground = connection.scalar(sa.text("SELECT id FROM grounds LIMIT 1"))
        for number, status in enumerate(("draft", "submitted")):
            connection.execute(
                sa.text(
                    "INSERT INTO assessments (template_version_id, department_id, created_by_id, status, "
                    "version_number, title, case_number, description, purpose, concerns, whole_municipality, "
                    "affects_people, screening_reason, overall_assessment, combined_effects, recommendation, "
                    "adjustments, outcome_justification, created_at, updated_at, submitted_at, lock_version) "
                    "VALUES (:version, :department, :user, :status, 1, :title, :case, '', '', '', true, true, '', '', "
                    "'', '', '', '', '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00', :submitted, 1)"
                ),
                {
                    "version": version,
                    "department": department,
                    "user": user,
                    "status": status,
                    "title": f"Förslag {number}",
                    "case": f"2026-0000{number}",
                    "submitted": "2026-01-02 00:00:00+00:00" if status == "submitted" else None,
                },
            )
        assessment = connection.scalar(sa.text("SELECT id FROM assessments WHERE status = 'submitted'"))
        connection.execute(
            sa.text(
                "INSERT INTO review_comments (assessment_id, ground_id, section, author_id, body, round, decision, "
                "created_at) VALUES "
                "(:a, NULL, 'conclusion', :u, 'Bra.', 1, 'approved', '2026-01-03 00:00:00+00:00'), "
                "(:a, :g, NULL, :u, 'Komplettera.', 1, 'approved', '2026-01-03 00:00:00+00:00')"
            ),
            {"a": assessment, "u": user, "g": ground},
        )
    return assessment, user


def _upgraded_over_existing_rows(app, revision: str) -> tuple[int, int, dict, dict]:
    """Migrate to ``revision``, write the existing rows, then migrate to head, keeping every row: (the submitted
    assessment's id, its author's, the rows per table before and after)."""
    upgrade(revision=revision)
    assessment, user = _existing_rows(app)
    before = row_counts()
    assert before["assessments"] == 2 and before["review_comments"] == 2
    upgrade()
    after = row_counts()
    # The rows were written by hand, without the summary tables; perf_04 recounts those from the data.
    assert _without_summaries(after, before) == _without_summaries(before)
    return assessment, user, before, after


def _without_summaries(counts: dict, like: dict | None = None) -> dict:
    """Rows per table (of the tables in ``like``), leaving out the summary tables, which are recounted."""
    summaries = {derived.table.name for derived in TABLES}
    return {name: counts[name] for name in (like or counts) if name not in summaries}


def _comment_on_new_section(assessment: int, user: int, section: str) -> None:
    """A reviewer's comment on the section a migration added is stored, while the CHECK still refuses any other."""
    db.session.remove()
    with db.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO review_comments (assessment_id, section, author_id, body, round, decision, created_at)"
                " VALUES (:a, :section, :u, 'Komplettera steget.', 1, 'approved', '2026-01-04 00:00:00+00:00')"
            ),
            {"a": assessment, "u": user, "section": section},
        )
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            connection.execute(sa.text("UPDATE review_comments SET section = 'elsewhere' WHERE body = 'Bra.'"))


def test_the_involvement_migration_keeps_every_row_and_asks_nothing_of_existing_assessments(empty_database_url):
    """voices_01 adds the step's tables, seeds the kinds of group and rebuilds review_comments for the new section:
    every row of every table stays, existing assessments have no involvement (so the step is not required of them),
    and a downgrade keeps every row too, except comments on the step that the old schema cannot hold."""
    from impact.assessments.models import Assessment

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assessment, user, before, after = _upgraded_over_existing_rows(app, "decision_02")
        assert after["assessment_counts"] > 0  # perf_04, on the way, recounted the summary tables
        assert after["group_kinds"] == 8 and after["consultations"] == 0 and after["involvements"] == 0
        assert not any(assessment.asks_involvement for assessment in db.session.scalars(sa.select(Assessment)))
        _comment_on_new_section(assessment, user, "involvement")

        downgrade(revision="decision_02")
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        db.engine.dispose()


def test_the_child_rights_migration_keeps_every_row_and_asks_nothing_of_existing_assessments(empty_database_url):
    """voices_02 adds the child-rights tables and rebuilds review_comments for the new section: every row stays,
    existing assessments have no child-rights row (so neither the screening question nor the step is required of
    them), and a downgrade keeps every row too, except comments on the step that the old schema cannot hold."""
    from impact.assessments import validation
    from impact.assessments.models import Assessment

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assessment, user, before, after = _upgraded_over_existing_rows(app, "perf_04")
        assert after["child_rights"] == after["child_right_effects"] == after["child_rights_districts"] == 0
        existing = db.session.scalars(sa.select(Assessment)).all()
        assert not any(a.asks_child_rights or a.concerns_children for a in existing)
        assert all("concerns_children" not in validation.screening_problems(a) for a in existing)
        _comment_on_new_section(assessment, user, "child_rights")

        downgrade(revision="perf_04")
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        db.engine.dispose()


def test_the_action_plan_migration_turns_every_mitigation_into_an_action_of_its_ground(empty_database_url):
    """actions_01 moves each mitigation typed per ground into its assessment's action plan: on a copy of the demo
    data taken back to the schema before it, every mitigation keeps its id (which the audit trail refers to), text,
    owner, dates, status, reason and outcome, belongs to the assessment of its ground and addresses that ground;
    no other row of any table changes, and a downgrade gives the mitigations back."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    columns = (
        "id, description, responsible, owner_id, due_date, status, dropped_reason, outcome, created_at, updated_at"
    )
    with app.app_context():
        upgrade()
        assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
        db.session.remove()
        with db.engine.begin() as connection:
            # Give the demo's mitigations what follow-up gives them: owners, states, reasons and outcomes.
            owner = connection.scalar(sa.text("SELECT min(id) FROM users"))
            connection.execute(sa.text("UPDATE mitigations SET owner_id = :owner WHERE id % 2 = 0"), {"owner": owner})
            connection.execute(sa.text("UPDATE mitigations SET status = 'done', outcome = 'Klart.' WHERE id % 3 = 0"))
            connection.execute(
                sa.text("UPDATE mitigations SET status = 'dropped', dropped_reason = 'Ersatt.' WHERE id % 3 = 1")
            )
        downgrade(revision="voices_02")
        with db.engine.connect() as connection:
            typed = {
                row[0]: row
                for row in connection.execute(sa.text(f"SELECT {columns}, ground_answer_id FROM mitigations"))  # noqa: S608
            }
            owners = dict(connection.execute(sa.text("SELECT id, assessment_id FROM ground_answers")).all())
        before = row_counts()
        assert len(typed) >= 5

        upgrade()
        after = row_counts()
        assert after["mitigation_grounds"] == len(typed)
        assert _without_summaries(after, before) == _without_summaries(before)
        with db.engine.connect() as connection:
            actions = {
                row[0]: row
                for row in connection.execute(sa.text(f"SELECT {columns}, assessment_id FROM mitigations"))  # noqa: S608
            }
            links = connection.execute(sa.text("SELECT mitigation_id, ground_answer_id FROM mitigation_grounds")).all()
        assert set(actions) == set(typed)
        for mitigation_id, row in typed.items():
            assert actions[mitigation_id][:-1] == row[:-1]  # every value kept
            assert actions[mitigation_id][-1] == owners[row[-1]]  # in the plan of its ground's assessment
        assert sorted(links) == sorted((mitigation_id, row[-1]) for mitigation_id, row in typed.items())

        downgrade(revision="voices_02")
        with db.engine.connect() as connection:
            back = {
                row[0]: row
                for row in connection.execute(sa.text(f"SELECT {columns}, ground_answer_id FROM mitigations"))  # noqa: S608
            }
        assert back == typed


def test_the_articles_migration_gives_every_template_version_the_list_and_keeps_every_chosen_right(
    empty_database_url,
):
    """voices_03 moves the articles of the Convention into a list per template version: every existing version gets
    today's list, every right already chosen stays and is named from its version's list, and a downgrade keeps every
    row but the list."""
    from impact.assessments.child_rights import ChildRightEffectRow
    from impact.grounds.models import DEFAULT_ARTICLES

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="voices_02")
        assessment, _user = _existing_rows(app)
        with db.engine.begin() as connection:
            connection.execute(
                sa.text("INSERT INTO child_rights (assessment_id, concerns_children) VALUES (:a, true)"),
                {"a": assessment},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO child_right_effects (assessment_id, article, effect) "
                    "VALUES (:a, 3, 'strengthened'), (:a, 31, 'weakened')"
                ),
                {"a": assessment},
            )
        before = row_counts()
        upgrade()
        after = row_counts()
        assert after["child_rights_articles"] == len(DEFAULT_ARTICLES) * before["template_versions"]
        assert _without_summaries(after, before) == _without_summaries(before)
        with app.test_request_context(headers={"Accept-Language": "en"}):
            rows = db.session.scalars(sa.select(ChildRightEffectRow).order_by(ChildRightEffectRow.article)).all()
            assert [(row.article, row.effect.value) for row in rows] == [(3, "strengthened"), (31, "weakened")]
            labels = [row.label for row in rows]
        assert labels == ["Artikel 3: Barnets bästa", "Artikel 31: Lek, vila och fritid"] or labels == [
            "Article 3: The best interests of the child",
            "Article 31: Play, rest and leisure",
        ]
        with db.engine.connect() as connection:
            principles = connection.scalars(
                sa.text("SELECT number FROM child_rights_articles WHERE principle ORDER BY number")
            ).all()
        assert principles == [2, 3, 6, 12]

        db.session.remove()
        downgrade(revision="voices_02")
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        db.engine.dispose()


def test_the_publication_migration_keeps_every_row_and_holds_nothing_back(empty_database_url):
    """public_01 adds the table of assessments kept out of the public register: every row stays, nothing is held
    back (publication follows from the state), a hold needs a reason, and a downgrade keeps every other row."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assessment, user, before, after = _upgraded_over_existing_rows(app, "voices_03")
        assert after["publication_holds"] == 0
        db.session.remove()
        with db.engine.begin() as connection:
            insert = sa.text(
                "INSERT INTO publication_holds (assessment_id, reason, held_by_id, held_at)"
                " VALUES (:a, :reason, :u, '2026-01-05 00:00:00+00:00')"
            )
            connection.execute(insert, {"a": assessment, "u": user, "reason": "Sekretess enligt OSL"})
            with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
                connection.execute(sa.text("UPDATE publication_holds SET reason = ''"))
        downgrade(revision="voices_03")
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        db.engine.dispose()


def test_the_areas_and_key_figures_migration_keeps_every_row_and_holds_each_figure_to_one_place(empty_database_url):
    """areas_01 adds the areas within districts, their links to assessments and answers, and the key figures: every
    row stays, an area's code is unique, a figure names at most one place and is one per indicator, year, sex and
    place, and a downgrade keeps every other row."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        assessment, user, before, after = _upgraded_over_existing_rows(app, "search_01")
        for table in ("areas", "assessment_areas", "ground_answer_areas", "indicators", "indicator_values"):
            assert after[table] == 0
        db.session.remove()
        with db.engine.begin() as connection:
            district = connection.scalar(sa.text("INSERT INTO districts (name) VALUES ('Norrby') RETURNING id"))
            area = connection.scalar(
                sa.text(
                    "INSERT INTO areas (district_id, code, name) VALUES (:d, 'OMR-1', 'Hässleholmen') RETURNING id"
                ),
                {"d": district},
            )
            with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
                connection.execute(
                    sa.text("INSERT INTO areas (district_id, code, name) VALUES (:d, 'OMR-1', 'Annat')"),
                    {"d": district},
                )
            connection.execute(
                sa.text("INSERT INTO assessment_areas (assessment_id, area_id) VALUES (:a, :area)"),
                {"a": assessment, "area": area},
            )
            indicator = connection.scalar(
                sa.text("INSERT INTO indicators (code, name_sv, updated_at) VALUES ('N1', 'Bistånd', :t) RETURNING id"),
                {"t": "2026-01-05 00:00:00+00:00"},
            )
            figure = (
                "INSERT INTO indicator_values (indicator_id, area_id, district_id, place, year, sex, value,"
                " imported_at) VALUES (:i, :area, :district, :place, 2025, 'total', 1.5, '2026-01-05 00:00:00+00:00')"
            )
            connection.execute(
                sa.text(figure), {"i": indicator, "area": area, "district": None, "place": f"area:{area}"}
            )
            with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():  # two places at once
                connection.execute(sa.text(figure), {"i": indicator, "area": area, "district": district, "place": "x"})
            with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():  # the same figure twice
                connection.execute(
                    sa.text(figure), {"i": indicator, "area": area, "district": None, "place": f"area:{area}"}
                )
            assert connection.scalar(sa.text("SELECT few FROM indicator_values")) in (False, 0)
        downgrade(revision="search_01")
        counts = row_counts()
        assert "areas" not in counts and "indicator_values" not in counts
        assert _without_summaries(counts, before) == _without_summaries(
            {**before, "districts": before["districts"] + 1}
        )
        db.engine.dispose()


def test_the_few_individuals_migration_keeps_every_figure_and_sets_no_threshold(empty_database_url):
    """figures_01 adds an indicator's threshold for few individuals (none for existing ones, nor "counts people")
    and a figure's number of individuals (unknown for existing ones); every row stays, also on a downgrade."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="areas_01")
        _existing_rows(app)
        with db.engine.begin() as connection:
            indicator = connection.scalar(
                sa.text("INSERT INTO indicators (code, name_sv, updated_at) VALUES ('N1', 'Bistånd', :t) RETURNING id"),
                {"t": "2026-01-05 00:00:00+00:00"},
            )
            connection.execute(
                sa.text(
                    "INSERT INTO indicator_values (indicator_id, place, year, sex, value, imported_at)"
                    " VALUES (:i, 'municipality', 2025, 'total', 4.2, '2026-01-05 00:00:00+00:00')"
                ),
                {"i": indicator},
            )
        before = row_counts()
        upgrade()
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        with db.engine.begin() as connection:
            assert connection.execute(sa.text("SELECT few_below, value_counts_people FROM indicators")).one() in (
                (None, False),
                (None, 0),
            )
            assert connection.scalar(sa.text("SELECT individuals FROM indicator_values")) is None
            connection.execute(sa.text("UPDATE indicators SET few_below = 5, value_counts_people = :t"), {"t": True})
            connection.execute(sa.text("UPDATE indicator_values SET individuals = 3"))
        db.session.remove()
        downgrade(revision="areas_01")
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        with db.engine.connect() as connection:
            columns = {column["name"] for column in sa.inspect(connection).get_columns("indicators")}
            assert (
                "few_below" not in columns and connection.scalar(sa.text("SELECT value FROM indicator_values")) == 4.2
            )
        db.engine.dispose()


def test_the_negative_impacts_migration_fills_the_notice_table_and_keeps_every_row(empty_database_url):
    """cumulative_01 fills negative_impacts from the assessments already there (an approved assessment negative on
    a ground, in a district and an area: one row for each place), and a downgrade keeps every other row."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="figures_01")
        assessment, user = _existing_rows(app)
        with db.engine.begin() as connection:
            when = {"t": "2026-02-01 10:00:00+00:00", "a": assessment, "u": user}
            connection.execute(
                sa.text(
                    "UPDATE assessments SET status = 'approved', decided_at = :t, decided_by_id = :u WHERE id = :a"
                ),
                when,
            )
            connection.execute(
                sa.text(
                    "INSERT INTO ground_answers (assessment_id, ground_id, relevant, not_relevant_reason, impact, "
                    "missing_information, affected_groups, evidence, evidence_links, district_notes, "
                    "acceptance_justification, actual_outcome, actual_comment, updated_at, lock_version) "
                    "SELECT :a, id, true, '', 'negative', '', '', '', '', '', '', '', '', :t, 1 FROM grounds"
                ),
                when,
            )
            district = connection.scalar(sa.text("INSERT INTO districts (name) VALUES ('Norrby') RETURNING id"))
            area = connection.scalar(
                sa.text("INSERT INTO areas (district_id, code, name) VALUES (:d, 'H', 'Hässleholmen') RETURNING id"),
                {"d": district},
            )
            connection.execute(sa.text("INSERT INTO assessment_districts VALUES (:a, :d)"), {**when, "d": district})
            connection.execute(sa.text("INSERT INTO assessment_areas VALUES (:a, :r)"), {**when, "r": area})
        before = row_counts()
        upgrade()
        assert _without_summaries(row_counts(), before) == _without_summaries(before)
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT ground_key, place_kind, place_id, assessment_id, n FROM negative_impacts")
            ).all()
        assert sorted(rows) == [("age", "area", area, assessment, 1), ("age", "district", district, assessment, 1)]
        downgrade(revision="figures_01")
        counts = row_counts()
        assert "negative_impacts" not in counts
        assert _without_summaries(counts, before) == _without_summaries(before)
        db.engine.dispose()
