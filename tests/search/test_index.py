"""The search index stays exactly what a full rebuild writes, whatever changes the texts, on both databases."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from impact import create_app
from impact.assessments import lifecycle, operations
from impact.assessments.models import Assessment
from impact.assessments.search import index, query, schema
from impact.core.db import db
from impact.review import operations as review
from tests import factories
from tests.databases import fresh_database, kind_of


def found(text: str, prefix: bool = True) -> list[int]:
    """Ids of the assessments a search for ``text`` finds, best first (no visibility rules: the index alone)."""
    hits = query.Search.of(text, prefix=prefix).hits()
    return list(db.session.scalars(sa.select(hits.c.id).order_by(hits.c.rank.desc(), hits.c.id)))


def assert_index_is_a_rebuild() -> list[tuple]:
    """The index as the writes left it equals the index written again from scratch; returns it."""
    connection = db.session.connection()
    kept = index.contents(connection)
    index.rebuild(connection)
    assert kept == index.contents(connection)
    return kept


def test_the_index_follows_every_change_to_the_texts(app):
    with app.app_context():
        officer = factories.create_user(roles=("case_officer",))
        proposal = {
            "title": "Ny förskola i Dalsjöfors",
            "case_number": "2026-00123",
            "description": "Förskolan byggs vid skogen.",
            "purpose": "Fler platser.",
            "concerns": "Familjer med små barn.",
            "whole_municipality": True,
        }
        draft = operations.create(officer, proposal)
        db.session.commit()
        assert found("Dalsjöfors") == [draft.id] and found("2026-00123") == [draft.id]
        assert_index_is_a_rebuild()

        # The proposal page.
        operations.save_proposal(draft, officer, {**proposal, "title": "Ny förskola i Fristad"}, draft.lock_version)
        db.session.commit()
        assert found("Fristad") == [draft.id] and found("Dalsjöfors") == []
        assert_index_is_a_rebuild()

        # A ground's page: the affected groups and the evidence.
        ground = draft.template_version.grounds[0]
        data = {"relevant": True, "impact": "negative", "affected_groups": "Barn med funktionsnedsättning"}
        operations.save_ground(draft, ground, officer, {**data, "evidence": "Enkät bland föräldrar"}, None)
        db.session.commit()
        assert found("enkät") == [draft.id] and found("funktionsnedsättning") == [draft.id]
        operations.save_ground(draft, ground, officer, {**data, "evidence": "Intervjuer"}, None)
        db.session.commit()
        assert found("enkät") == [] and found("intervjuer") == [draft.id]
        assert_index_is_a_rebuild()

        # Withdrawn: still indexed (the list's visibility rules decide who finds it), unchanged.
        before = index.contents(db.session.connection())
        lifecycle.withdraw(draft, officer)
        db.session.commit()
        assert assert_index_is_a_rebuild() == before

        # A new version is indexed as it is created; the old one keeps its row.
        approved = factories.create_assessment("approved", title="Simhall i Norrby", author=officer)
        db.session.commit()
        copy = review.amend(approved, officer)
        db.session.commit()
        assert sorted(found("simhall")) == [approved.id, copy.id]
        copy.title = "Simhall och bad i Norrby"
        db.session.commit()
        assert found("bad") == [copy.id]
        assert_index_is_a_rebuild()

        # Deleted (a row the audit trail does not refer to): its row goes with it, and a deleted answer's words.
        gone = factories.create_assessment("draft", title="Skatepark", answers={"age": {"impact": "positive"}})
        kept = factories.create_assessment(
            "draft", title="Pulkabacke", answers={"age": {"impact": "positive", "evidence": "Snörika vintrar"}}
        )
        db.session.commit()
        db.session.delete(gone)
        db.session.delete(kept.answers[0])
        db.session.commit()
        assert found("skatepark") == [] and found("snörika") == [] and found("pulkabacke") == [kept.id]
        assert {row[0] for row in assert_index_is_a_rebuild()} == {draft.id, approved.id, copy.id, kept.id}


def test_the_index_changes_when_the_change_commits_and_not_after_a_rollback(app):
    with app.app_context():
        assessment = factories.create_assessment("approved", title="Cykelväg")
        db.session.commit()
        assessment.title = "Gångväg"
        db.session.flush()
        assert index.pending(db.session()) == {assessment.id}
        db.session.rollback()
        assert index.pending(db.session()) == set()
        assert found("gångväg") == [] and found("cykelväg") == [assessment.id]
        assessment.title = "Gångväg"
        db.session.commit()
        assert found("gångväg") == [assessment.id] and found("cykelväg") == []


def test_swedish_word_forms_on_postgresql_and_prefixes_on_both(app):
    with app.app_context():
        school = factories.create_assessment("approved", title="En ny skola i Sjöbo")
        schools = factories.create_assessment("approved", title="Skolor och förskolor i Norrby")
        db.session.commit()
        # The last word is also the start of longer words, on both databases.
        assert sorted(found("skol")) == [school.id, schools.id]
        if db.engine.dialect.name == "postgresql":
            # Swedish stemming, not a prefix: the plural finds the singular.
            assert sorted(found("skolor", prefix=False)) == [school.id, schools.id]
            assert sorted(found("skola", prefix=False)) == [school.id, schools.id]
        else:
            assert found("skolor", prefix=False) == [schools.id]


def test_the_rebuild_command_writes_the_index_again(app):
    with app.app_context():
        assessment_id = factories.create_assessment("approved", title="Konstgräsplan").id
        db.session.commit()
        connection = db.session.connection()
        connection.execute(schema.table_for(connection.dialect.name).delete())
        db.session.commit()
        assert found("konstgräsplan") == []
    result = app.test_cli_runner().invoke(args=["search", "rebuild"])
    assert result.exit_code == 0 and "Indexed 1 assessments." in result.output
    with app.app_context():
        assert found("konstgräsplan") == [assessment_id]


@pytest.mark.slow
def test_import_all_fills_the_index_as_a_rebuild_would(app, database_url, tmp_path):
    with app.app_context():
        factories.create_assessment(
            "approved", title="Bibliotek i Hässleholmen", answers={"age": {"impact": "positive", "evidence": "Lån"}}
        )
        factories.create_assessment("draft", title="Badplats vid Öresjö")
        db.session.commit()
        source = index.contents(db.session.connection())
    backup = tmp_path / "backup.zip"
    assert app.test_cli_runner().invoke(args=["export-all", str(backup)]).exit_code == 0
    with fresh_database(kind_of(database_url), database_url, tmp_path) as url:
        target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with target.app_context():
            upgrade()
        result = target.test_cli_runner().invoke(args=["import-all", str(backup)])
        assert result.exit_code == 0, result.output
        with target.app_context():
            assert assert_index_is_a_rebuild() == source
            assert len(found("hässleholmen")) == 1
            db.session.remove()
            db.engine.dispose()


@pytest.mark.slow
def test_the_migration_indexes_the_assessments_already_there(database_url, tmp_path):
    from tests.operations.test_migrations import _existing_rows

    with fresh_database(kind_of(database_url), database_url, tmp_path) as url:
        target = create_app("testing", {"SQLALCHEMY_DATABASE_URI": url})
        with target.app_context():
            upgrade(revision="public_01")
            _existing_rows(target)
            upgrade()
            assert [row[2] for row in assert_index_is_a_rebuild()] == ["Förslag 0", "Förslag 1"]
            assert len(found("förslag")) == 2
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Assessment)) == 2
            db.session.remove()
            db.engine.dispose()


def test_a_bulk_update_of_a_searched_text_is_refused(app):
    with app.app_context():
        factories.create_assessment("approved", title="Cykelparkering")
        db.session.commit()
        with pytest.raises(index.UnindexedBulkChange):
            db.session.execute(sa.update(Assessment).values(title="Bilparkering"))
        db.session.rollback()
        db.session.execute(sa.update(Assessment).values(updated_at=sa.func.now()))  # not searched: fine
        db.session.rollback()


def test_two_transactions_changing_one_assessment_leave_the_index_as_a_rebuild(app):
    """PostgreSQL (SQLite has one writer at a time): two people save different grounds of one assessment at once;
    each transaction rewrites the index row from what is committed when it locks it, so neither loses the other's
    words."""
    from sqlalchemy.orm import Session

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite writes one transaction at a time")
        assessment = factories.create_assessment(
            "draft", answers={"age": {"impact": "negative"}, "gender": {"impact": "neutral"}}
        )
        db.session.commit()
        first, second = Session(db.engine), Session(db.engine)
        try:
            one = first.get(Assessment, assessment.id).answers[0]
            other = second.get(Assessment, assessment.id).answers[1]
            one.evidence, other.evidence = "Mätningar vid badplatsen", "Intervjuer med föräldrar"
            first.flush()
            second.flush()
            first.commit()
            second.commit()
        finally:
            first.close()
            second.close()
        assert found("badplatsen") == [assessment.id] and found("föräldrar") == [assessment.id]
        assert_index_is_a_rebuild()
