"""The people, assessments and other objects the permission matrix calls every route with.

Created once per test function: eight personas (one per row of the matrix), one assessment per state in the
department FFF written by the author persona, and one of everything else a route takes an id of.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import sqlalchemy as sa

from impact.accessibility.models import AccessibilityReport
from impact.api.models import ApiToken
from impact.assessments.enums import ConsultationMethod, MinorityAnswer
from impact.assessments.models import Assessment, Consultation, Involvement
from impact.auth.group_rules import GroupRule, GroupRuleKind
from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.grounds import operations as template_operations
from impact.grounds.models import TemplateVersion
from impact.jobs.models import Job, JobStatus
from impact.jobs.running import jobs_dir
from impact.reports.export_jobs import register_scope
from tests import factories
from tests.conftest import CSRF_INPUT

STATES = ("draft", "submitted", "returned", "approved", "decided", "withdrawn", "archived")
DEPARTMENT = "FFF"  # every assessment of the matrix belongs here
OTHER = "KSF"

# name -> (roles, department, municipality-wide); None is the anonymous visitor.
PERSONAS: dict[str, tuple[tuple[str, ...], str, bool] | None] = {
    "anonymous": None,
    "other_officer": (("case_officer",), OTHER, False),
    "author": (("case_officer",), DEPARTMENT, False),
    "colleague": (("case_officer",), DEPARTMENT, False),
    "reviewer": (("reviewer",), DEPARTMENT, False),
    "wide_reviewer": (("reviewer",), OTHER, True),
    "auditor": (("auditor",), OTHER, True),
    "admin": (("admin",), OTHER, True),
    "secretary": (("committee_secretary",), OTHER, False),  # keeps the minutes of the matrix's committee
}
SECRETARY_COMMITTEE = "Fritids- och folkhälsonämnden"  # DEPARTMENT's


@dataclass
class World:
    """Ids of everything the matrix needs; the assessments are replaced when a request changed them."""

    users: dict[str, int] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    assessments: dict[str, int] = field(default_factory=dict)
    mitigations: dict[str, int] = field(default_factory=dict)
    coauthor: int = 0
    target_user: int = 0
    department: int = 0
    other_department: int = 0
    district: int = 0
    area: int = 0
    indicator: int = 0
    group_kind: int = 0
    report: int = 0
    author_token: int = 0
    group_rule: int = 0
    job: int = 0  # the author's finished export, with its file


def create_assessment_in(world: World, state: str) -> None:
    """A fresh assessment in ``state`` by the author (with a co-author and one mitigation); flushes."""
    author = db.session.get(factories.User, world.users["author"])
    assessment = factories.create_assessment(
        state,
        department=DEPARTMENT,
        author=author,
        answers={"age": {"impact": "negative", "mitigations": [{"description": "Ramper"}]}},
        involvement=Involvement(
            national_minority=MinorityAnswer.yes,
            minorities=["sweden_finns"],
            minority_consulted=False,
            minority_not_consulted_reason="Samråd hålls i januari.",
        ),
        consultations=[
            Consultation(
                group_kind=factories.ensure_group_kind("Matrisrådet", "The matrix council"),
                group_name="Matrisrådets arbetsgrupp",
                method=ConsultationMethod.walk_through,
                participants=7,
                views="Mörkt vid entrén.",
                changes_made="Belysning lades till.",
            )
        ],
        child_rights=factories.full_child_rights(districts=[factories.ensure_district("Norrby")]),
    )
    assessment.authors.append(db.session.get(factories.User, world.coauthor))
    db.session.flush()
    world.assessments[state] = assessment.id
    world.mitigations[state] = assessment.answers[0].mitigations[0].id


def build_world() -> World:
    """Create the personas, their API tokens and every object the routes take; commits."""
    world = World()
    for name, spec in PERSONAS.items():
        if spec is None:
            continue
        roles, department, wide = spec
        committees = [SECRETARY_COMMITTEE] if name == "secretary" else []
        user = factories.create_user(roles=roles, department=department, municipality_wide=wide, committees=committees)
        world.users[name], world.emails[name] = user.id, user.email
        token, plain = ApiToken.issue(user, f"matrix {name}")
        world.tokens[name] = plain
        if name == "author":
            db.session.flush()
            world.author_token = token.id
    world.coauthor = factories.create_user(department=DEPARTMENT).id
    world.target_user = factories.create_user(department=OTHER).id
    world.department = factories.ensure_department("MATRIX").id
    world.other_department = factories.ensure_department(OTHER).id
    world.district = factories.ensure_district("Matrixby").id
    world.area = factories.ensure_area("MATRIX-1", "Matrisområdet", "Matrixby").id
    world.indicator = factories.ensure_indicator("MATRIX-IND").id
    world.group_kind = factories.ensure_group_kind("Matrisrådet", "The matrix council").id
    report = AccessibilityReport(description="Knappen saknar etikett.")
    rule = GroupRule(group="matrix-group", kind=GroupRuleKind.role, role=Role.case_officer)
    db.session.add_all([report, rule])
    for state in STATES:
        create_assessment_in(world, state)
    db.session.flush()
    world.report = report.id
    world.group_rule = rule.id
    author = db.session.get(factories.User, world.users["author"])
    world.job = _finished_job(author).id
    # A job waiting to start and one that failed, so the crawls meet each state of the progress page.
    db.session.add_all(
        [
            Job(user=author, kind="register_xlsx", params={}, status=JobStatus.queued, rows_done=0),
            Job(user=author, kind="register_csv", params={}, status=JobStatus.failed, rows_done=0, error="error"),
        ]
    )
    db.session.commit()
    return world


def _finished_job(user) -> Job:
    """A finished register export of ``user``'s, its file in JOBS_DIR; flushes."""
    stored = secrets.token_urlsafe(16)
    (jobs_dir() / stored).write_text("\ufeffDiarienummer\r\n", encoding="utf-8")
    now = utcnow()
    job = Job(
        user=user,
        kind="register_csv",
        params={},
        status=JobStatus.done,
        rows_done=0,
        rows_total=0,
        started_at=now,
        finished_at=now,
        scope=register_scope(user, {}),
        file_name="impact-register.csv",
        file_path=stored,
        expires_at=now + timedelta(hours=24),
    )
    db.session.add(job)
    db.session.flush()
    return job


def template_draft_id(admin_id: int) -> int:
    """The draft template version (created when there is none, e.g. after the matrix published it); commits."""
    draft = template_operations.current_draft()
    if draft is None:
        draft = template_operations.create_draft(db.session.get(factories.User, admin_id))
        db.session.commit()
    return draft.id


def first_ground_id(version_id: int) -> int:
    version = db.session.get(TemplateVersion, version_id)
    return min(ground.id for ground in version.grounds)


def audit_event_count() -> int:
    from impact.audit.models import AuditEvent

    return db.session.scalar(sa.select(sa.func.count(AuditEvent.id)))


def assessment(world: World, state: str) -> Assessment:
    return db.session.get(Assessment, world.assessments[state])


def csrf_anywhere(client) -> str:
    """A valid CSRF token for this client's session, from a page every visitor may open."""
    return CSRF_INPUT.search(client.get("/accessibility/").get_data(as_text=True)).group(1)


def log_in(client, world: World, persona: str) -> None:
    """Log out whoever is logged in, then log in as ``persona`` (nobody for "anonymous")."""
    client.post("/logout", data={"csrf_token": csrf_anywhere(client)})
    if persona != "anonymous":
        data = {"email": world.emails[persona], "password": factories.PASSWORD, "csrf_token": csrf_anywhere(client)}
        assert client.post("/login", data=data).status_code == 302, persona
