"""export-all / import-all: every row of every table round-trips exactly, across SQLite and PostgreSQL."""

import json
import zipfile
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from impact import create_app
from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.enums import ChildRightEffect, ConsultationMethod, MinorityAnswer, Outcome
from impact.assessments.models import Alternative, Consultation, Involvement
from impact.audit import trail
from impact.core.db import db, utcnow
from impact.models import Setting, User
from tests import factories
from tests.databases import fresh_database, snapshot

pytestmark = pytest.mark.slow  # `make test-fast` leaves these out

ANSWERS = {
    "gender": {
        "impact": "negative",
        "remaining_impact": "neutral",
        "mitigations": [{"description": "Ramp vid entrén\nsteg 2"}, {}],
    },
    "age": "positive",
    "religion": "not_relevant",
    "disability": {"impact": "significantly_negative", "districts": ["Norrby", "Hässleholmen"]},
}


def _seed(app) -> None:
    """Something in every table: users with roles, assessments in several states with answers and audit events."""
    with app.app_context():
        admin = factories.create_user(
            roles=("admin", "reviewer"), department="KSF", name="Åsa Öberg 'quoted' \"x\"", locale="en"
        )
        draft = factories.create_assessment(
            answers=_answers(),
            districts=("Norrby", "Sjöbo"),
            analysis_outcome=Outcome.continue_despite,
            outcome_justification="Nyttan väger tyngre;\nföljs upp efter ett år.",
            alternatives=[
                Alternative(description="Göra ingenting", effects="Ingen förändring", why_not_chosen="Syftet nås inte"),
                Alternative(description="Två lokaler i stället för en", effects="Kortare resor 'för' \"alla\""),
            ],
            involvement=Involvement(
                national_minority=MinorityAnswer.yes, minorities=["sweden_finns", "sami"], minority_consulted=True
            ),
            consultations=[
                Consultation(
                    group_kind=factories.ensure_group_kind(),
                    group_name='Ungdomsrådet; "citat"',
                    method=ConsultationMethod.walk_through,
                    participants=0,
                    views="Mörkt vid busshållplatsen.",
                )
            ],
            child_rights=ChildRights(
                concerns_children=True,
                children="Barn 6–12 år; 'citat' \"x\"",
                children_heard=False,
                not_heard_reason="Brådskande.",
                districts=[factories.ensure_district("Norrby")],
                effects=[ChildRightEffectRow(article=31, effect=ChildRightEffect.weakened, long_term="Färre tider;\n")],
            ),
        )
        actual = {
            "actual_impact": "negative",
            "actual_comment": "Fler klagomål;\n'citat'",
            "actual_recorded_at": utcnow(),
        }
        approved = factories.create_assessment(
            "approved", department="KSF", answers={"age": {"impact": "neutral", **actual}}
        )
        # Areas within districts, named by the proposal and by a ground's answer.
        approved.areas = [factories.ensure_area(), factories.ensure_area("OMR-SJOBO", "Sjöbo centrum", "Sjöbo")]
        approved.answers[0].areas = [factories.ensure_area()]
        amended = factories.create_assessment("draft", department="KSF", amends=approved, version_number=2)
        decided = factories.create_assessment("decided", department="KSF")
        decided.committee_decision.analysis_change = "Ändrat; \"citat\" och 'apostrof'"
        factories.create_user(roles=("committee_secretary",), department="KSF", committees=["Kommunstyrelsen", "KF"])
        # A self-reference pointing forward (a later id) must survive too.
        approved.amends = amended
        db.session.add(Setting(key="municipality_name", value="Borås Stad 🏛", updated_by_id=admin.id))
        for assessment in (draft, approved, amended):
            trail.record("assessment.created", assessment, actor=admin, changes={"title": assessment.title, "n": 1})
        trail.record("user.login", admin, actor=admin)
        admin.last_login_at = utcnow() - timedelta(hours=3, microseconds=7)
        db.session.commit()


def _answers() -> dict:
    from impact.org.models import District

    answers = dict(ANSWERS)
    disability = dict(answers.pop("disability"))
    names = disability.pop("districts")
    answers["disability"] = {**disability, "districts": [factories.ensure_district(name) for name in names]}
    assert all(isinstance(d, District) for d in answers["disability"]["districts"])
    return answers


def _snapshot(app) -> dict[str, list[dict]]:
    with app.app_context(), db.engine.connect() as connection:
        return {
            table.name: [
                dict(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns)).mappings()
            ]
            for table in db.metadata.sorted_tables
        }


def _migrated_app(url: str):
    target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
    with target.app_context():
        upgrade()
    return target


@pytest.mark.parametrize("target_kind", ["sqlite", "postgresql"])
def test_export_then_import_into_a_fresh_database_reproduces_every_row(app, database_url, tmp_path, target_kind):
    _seed(app)
    backup = tmp_path / "impact-backup.zip"
    result = app.test_cli_runner().invoke(args=["export-all", str(backup)])
    assert result.exit_code == 0, result.output
    before = _snapshot(app)
    assert all(
        before[name]
        for name in (
            *("assessments", "ground_answers", "mitigations", "alternatives", "audit_events", "settings"),
            *("committee_decisions", "user_committees", "group_kinds", "consultations", "involvements"),
            *("child_rights", "child_right_effects", "child_rights_districts"),
        )
    )
    assert [row["description"] for row in before["alternatives"]] == ["Göra ingenting", "Två lokaler i stället för en"]
    assert before["ground_answer_districts"] and before["assessment_districts"] and before["user_roles"]
    assert len(before["assessment_areas"]) == 2 and before["ground_answer_areas"] and len(before["areas"]) == 2
    answers = before["ground_answers"]
    assert {row["remaining_impact"] for row in answers} >= {"neutral", None}, "the remaining impact goes along"
    assert any(row["actual_impact"] == "negative" and row["actual_recorded_at"] for row in answers)
    assert "en" in {row["locale"] for row in before["users"]}, "the language chosen on an account goes along"

    with fresh_database(target_kind, database_url, tmp_path) as url:
        target = _migrated_app(url)
        runner = target.test_cli_runner()
        result = runner.invoke(args=["import-all", str(backup)])
        assert result.exit_code == 0, result.output
        after = _snapshot(target)
        assert after == before
        assert all(
            value.tzinfo is not None
            for rows in after.values()
            for row in rows
            for value in row.values()
            if hasattr(value, "tzinfo") and hasattr(value, "hour")
        )
        verify = runner.invoke(args=["audit", "verify"])
        assert verify.exit_code == 0 and "intact" in verify.output

        # New rows continue after the imported ids (PostgreSQL sequences were moved on).
        with target.app_context():
            highest = max(row["id"] for row in before["users"])
            user = factories.create_user(roles=("auditor",))
            trail.record("user.created", user, actor=None)
            db.session.commit()
            assert user.id > highest
        assert runner.invoke(args=["audit", "verify"]).exit_code == 0
        with target.app_context():
            db.engine.dispose()


def test_import_refuses_a_database_that_is_not_empty_and_changes_nothing(app, database_url, tmp_path):
    _seed(app)
    backup = tmp_path / "b.zip"
    app.test_cli_runner().invoke(args=["export-all", str(backup)])
    before = _snapshot(app)
    result = app.test_cli_runner().invoke(args=["import-all", str(backup)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "empty database" in result.output
    assert _snapshot(app) == before


def test_import_refuses_a_database_that_is_not_migrated(app, tmp_path):
    _seed(app)
    backup = tmp_path / "b.zip"
    app.test_cli_runner().invoke(args=["export-all", str(backup)])
    bare = create_app("testing", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'bare.sqlite'}"})
    result = bare.test_cli_runner().invoke(args=["import-all", str(backup)])
    assert result.exit_code == 1
    assert "not migrated" in result.output


def _rewrite(source, target, change) -> None:
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.infolist():
            copy.writestr(item, change(item.filename, original.read(item.filename)))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda name, data: data.replace(b"negative", b"positive") if "ground_answers" in name else data, "checksum"),
        (
            lambda name, data: (
                json.dumps({**json.loads(data), "format_version": 99}).encode() if name == "manifest.json" else data
            ),
            "version 99",
        ),
    ],
    ids=["tampered-row", "unknown-version"],
)
def test_import_refuses_a_damaged_or_foreign_file_and_imports_nothing(app, tmp_path, change, message):
    _seed(app)
    backup, damaged = tmp_path / "b.zip", tmp_path / "damaged.zip"
    app.test_cli_runner().invoke(args=["export-all", str(backup)])
    _rewrite(backup, damaged, change)
    target = _migrated_app(f"sqlite:///{tmp_path / 'target.sqlite'}")
    result = target.test_cli_runner().invoke(args=["import-all", str(damaged)])
    assert result.exit_code == 1
    assert message in result.output
    with target.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_a_failing_import_leaves_the_database_empty(app, tmp_path, monkeypatch):
    """One transaction: a row that cannot be inserted undoes every table already loaded."""
    _seed(app)
    backup = tmp_path / "b.zip"
    app.test_cli_runner().invoke(args=["export-all", str(backup)])
    from impact.backup import operations

    original = operations._insert

    def failing(connection, table, rows):
        if table.name == "audit_events":
            raise sa.exc.IntegrityError("INSERT", {}, Exception("disk full"))
        return original(connection, table, rows)

    monkeypatch.setattr(operations, "_insert", failing)
    target = _migrated_app(f"sqlite:///{tmp_path / 'target.sqlite'}")
    result = target.test_cli_runner().invoke(args=["import-all", str(backup)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output and "disk full" in result.output
    after = _snapshot(target)
    # As migrated: empty, but for the kinds of group the migration seeds (the import's replacement is undone too).
    assert all(rows == [] for name, rows in after.items() if name not in operations.SEEDED_BY_MIGRATIONS)
    assert len(after["group_kinds"]) == 8


def test_export_reads_one_snapshot_while_others_write(app, tmp_path, monkeypatch):
    """Rows committed during an export appear in no table of it, so the file never holds a dangling reference."""
    _seed(app)
    from impact.backup import archive

    original, wrote = archive.ArchiveWriter.write_table, []

    def write_then_someone_commits(self, table, rows):
        count = original(self, table, rows)
        if table == "departments":  # a parent is written; now a new parent and child arrive in another session
            with app.app_context():
                factories.create_user(department="NEW")
                db.session.commit()
            wrote.append(table)
        return count

    monkeypatch.setattr(archive.ArchiveWriter, "write_table", write_then_someone_commits)
    backup = tmp_path / "b.zip"
    with app.app_context():
        before = snapshot()
        from impact.backup.operations import export_all

        counts = export_all(backup)
    assert wrote == ["departments"]
    assert counts["departments"] == len(before["departments"])
    assert counts["users"] == len(before["users"])
    with app.app_context():
        assert len(snapshot()["users"]) == len(before["users"]) + 1
