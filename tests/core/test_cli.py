"""flask commands: create-user, seed-base, seed-demo, audit verify."""

import pytest
import sqlalchemy as sa

from impact.assessments.models import Assessment
from impact.audit.models import AuditEvent
from impact.auth.models import User
from impact.auth.passwords import verify_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.grounds.models import GROUND_KEYS, Ground, TemplateVersion
from impact.org.models import Department, District
from tests import factories


@pytest.fixture
def fff(app):
    with app.app_context():
        factories.ensure_department("FFF")
        db.session.commit()


def _create(runner, *extra):
    args = ["create-user", "--email", "New@Test.Example.com", "--name", "Nina Ny", "--password", "s3cret-enough"]
    return runner.invoke(args=[*args, *extra])


def test_create_user_by_department_code_with_several_roles(app, runner, fff):
    result = _create(runner, "--department", "fff", "--role", "case_officer", "--role", "reviewer")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "new@test.example.com"))
        assert user.roles == {Role.case_officer, Role.reviewer}
        assert user.department.code == "FFF"
        assert verify_password(user.password_hash, "s3cret-enough")


def test_create_user_by_department_name(app, runner, fff):
    result = _create(runner, "--department", "Fritids- och folkhälsoförvaltningen", "--role", "auditor")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--department", "Nowhere", "--role", "admin"], "unknown department: Nowhere"),
        (["--department", "FFF", "--role", "king"], "unknown role"),
    ],
)
def test_create_user_refuses_unknown_department_or_role(app, runner, fff, extra, message):
    result = _create(runner, *extra)
    assert result.exit_code == 1
    assert message in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_create_user_refuses_duplicate_email(app, runner, fff):
    assert _create(runner, "--department", "FFF", "--role", "admin").exit_code == 0
    result = _create(runner, "--department", "FFF", "--role", "admin")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_create_user_refuses_empty_password(app, runner, fff):
    result = runner.invoke(
        args=[
            "create-user",
            "--email",
            "a@test.example.com",
            "--name",
            "A",
            "--password",
            "",
            "--department",
            "FFF",
            "--role",
            "admin",
        ]
    )
    assert result.exit_code == 1
    assert "password must not be empty" in result.output


def test_seed_demo_is_idempotent_and_complete(app, runner):
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert "Impact-demo-2026" in first.output
    second = runner.invoke(args=["seed-demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
        assert count(Department) == 15
        assert count(District) == 10
        assert count(TemplateVersion) == 1
        assert sorted(db.session.scalars(sa.select(Ground.key))) == sorted(GROUND_KEYS)
        roles = set()
        for user in db.session.scalars(sa.select(User)):
            roles |= user.roles
        assert roles == set(Role)
        demo_assessments = count(Assessment)
    third = runner.invoke(args=["seed-demo"])
    assert third.exit_code == 0
    with app.app_context():
        assert count(Assessment) == demo_assessments


def test_every_ground_has_guidance_and_questions_in_both_languages(app):
    with app.app_context():
        version = TemplateVersion.current()
        assert [g.key for g in version.grounds] == list(GROUND_KEYS)
        for ground in version.grounds:
            assert ground.name_sv and ground.name_en and ground.guidance_sv and ground.guidance_en
            assert ground.questions and all(q.text_sv and q.text_en for q in ground.questions)


def test_audit_verify_passes_on_a_clean_trail_and_finds_a_tampered_row(app, runner, fff):
    for number in range(3):
        assert _create(runner, "--department", "FFF", "--role", "admin").exit_code in (0, 1)
        runner.invoke(
            args=[
                "create-user",
                "--email",
                f"u{number}@test.example.com",
                "--name",
                "U",
                "--password",
                "pw-long-enough",
                "--department",
                "FFF",
                "--role",
                "auditor",
            ]
        )
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact" in result.output
    with app.app_context():
        events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
        assert len(events) == 4
        target = events[1]
        db.session.execute(
            sa.update(AuditEvent).where(AuditEvent.id == target.id).values(changes={"email": "forged@x"})
        )
        db.session.commit()
        target_id = target.id
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"audit event {target_id}" in result.output
