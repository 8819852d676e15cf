"""Small factory functions for test data. Each flushes, none commits."""

import itertools

import sqlalchemy as sa

from impact.assessments.models import Assessment
from impact.auth.models import User
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db
from impact.demo.organisation import DEPARTMENTS
from impact.org.models import Department, District

PASSWORD = "correct horse battery staple"
_sequence = itertools.count(1)


def ensure_department(code: str = "FFF") -> Department:
    """The department with ``code``, created on first use (Borås's name when the code is one of Borås's)."""
    found = db.session.scalar(sa.select(Department).where(Department.code == code))
    if found is not None:
        return found
    name, committee = next(((n, c) for k, n, c in DEPARTMENTS if k == code), (f"Förvaltning {code}", None))
    found = Department(code=code, name=name, committee=committee)
    db.session.add(found)
    db.session.flush()
    return found


def ensure_district(name: str = "Norrby") -> District:
    found = db.session.scalar(sa.select(District).where(District.name == name))
    if found is None:
        found = District(name=name)
        db.session.add(found)
        db.session.flush()
    return found


def ensure_area(code: str = "OMR-HASSLEHOLMEN", name: str = "Hässleholmen", district: str = "Norrby"):
    """The area with ``code`` in ``district`` (created if missing)."""
    from impact.org.models import Area

    area = db.session.scalar(sa.select(Area).where(Area.code == code))
    if area is None:
        area = Area(code=code, name=name, district=ensure_district(district))
        db.session.add(area)
        db.session.flush()
    return area


def ensure_indicator(code: str = "EX-EKBIST", grounds: tuple[str, ...] = ("socioeconomic_status",), **fields):
    """The indicator with ``code`` (created with ``grounds`` if missing)."""
    from impact.indicators.models import Indicator, IndicatorGround

    indicator = db.session.scalar(sa.select(Indicator).where(Indicator.code == code))
    if indicator is None:
        indicator = Indicator(
            code=code,
            **{"name_sv": "Ekonomiskt bistånd", "name_en": "Economic assistance", "unit": "%", "source": "Kolada"}
            | fields,
        )
        indicator.ground_links = [IndicatorGround(ground_key=key) for key in grounds]
        db.session.add(indicator)
        db.session.flush()
    return indicator


def ensure_group_kind(name_sv: str = "Ungdomsrådet", name_en: str = "The youth council"):
    from impact.assessments.models import GroupKind

    found = db.session.scalar(sa.select(GroupKind).where(GroupKind.name_sv == name_sv))
    if found is None:
        found = GroupKind(name_sv=name_sv, name_en=name_en)
        db.session.add(found)
        db.session.flush()
    return found


def full_child_rights(**fields):
    """A complete child-rights assessment: article 3 strengthened, article 31 weakened with compensation."""
    from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
    from impact.assessments.enums import ChildRightEffect

    values = {
        "required": True,
        "concerns_children": True,
        "children": "Barn 6–15 år som simmar i föreningar, omkring 800.",
        "children_heard": True,
        "heard_how": "Enkät i skolorna och möte med ungdomsrådet.",
        "children_views": "Vill kunna simma på helgerna.",
        "knowledge": "Besöksstatistik 2025.",
        "conclusion": "Barnets bästa väger tungt; helgtider behålls för barn.",
        "against_reasons": "Kostnaderna måste ner.",
        "compensating_measures": "Gratis skolsim på vardagar.",
        "feedback": "Via skolorna och ungdomsrådet.",
        "effects": [
            ChildRightEffectRow(article=3, effect=ChildRightEffect.strengthened, short_term="Bättre planering."),
            ChildRightEffectRow(article=31, effect=ChildRightEffect.weakened, long_term="Färre simtider."),
        ],
    }
    return ChildRights(**{**values, **fields})


def create_user(
    roles=("case_officer",),
    department: str = "FFF",
    email: str | None = None,
    name: str | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    number = next(_sequence)
    user = User(
        email=email or f"user{number}@test.example.com",
        name=name or f"Test User {number}",
        password_hash=hash_password(password),
        department=ensure_department(department),
        **fields,
    )
    user.roles = [Role(role) for role in roles]
    db.session.add(user)
    db.session.flush()
    return user


def ground_id(key: str) -> int:
    """The id of the ground ``key`` in the template version in force (what the action plan's checkboxes carry)."""
    from impact.grounds.models import TemplateVersion

    return next(ground.id for ground in TemplateVersion.current().grounds if ground.key == key)


def create_assessment(
    status: str = "draft",
    department: str = "FFF",
    author: User | None = None,
    title: str | None = None,
    answers: dict | None = None,
    districts: tuple[str, ...] = ("Norrby",),
    affects_people: bool | None = True,
    **fields,
) -> Assessment:
    """An assessment in ``status`` with consistent timestamps.

    ``answers`` maps ground keys to an Impact value (e.g. "negative"), "not_relevant", or a dict of GroundAnswer
    fields (a "mitigations" entry holds dicts of Mitigation fields). Grounds left out are not started.
    """
    from datetime import date, timedelta

    from impact.assessments.enums import AssessmentStatus, Impact
    from impact.assessments.models import GroundAnswer, Mitigation
    from impact.core.db import utcnow
    from impact.grounds.models import TemplateVersion

    number = next(_sequence)
    dept = ensure_department(department)
    author = author or create_user(roles=("case_officer",), department=department)
    version = TemplateVersion.current()
    assessment = Assessment(
        template_version=version,
        department=dept,
        created_by=author,
        title=title or f"Förslag {number}",
        case_number=fields.pop("case_number", f"2026-{number:05d}"),
        committee=dept.committee,
        decision_date=date(2026, 12, 15),
        description=fields.pop("description", "Beskrivning av förslaget."),
        purpose=fields.pop("purpose", "Syftet med förslaget."),
        concerns=fields.pop("concerns", "Boende i berörda kommundelar."),
        affects_people=affects_people,
        status=AssessmentStatus(status),
        **fields,
    )
    assessment.authors = [author]
    assessment.districts = [ensure_district(name) for name in districts]
    now = utcnow()
    if status in ("submitted", "approved", "decided", "archived"):
        assessment.submitted_at = now - timedelta(days=2)
    if status in ("approved", "decided", "archived", "returned"):
        assessment.decided_at = now - timedelta(days=1)
        assessment.decided_by = create_user(roles=("reviewer",), department=department)
    if status == "decided":
        from impact.assessments.enums import CommitteeOutcome
        from impact.assessments.models import CommitteeDecision

        assessment.committee_decision = CommitteeDecision(
            committee=assessment.committee or "Kommunstyrelsen",
            meeting_date=date.today() - timedelta(days=1),
            paragraph="§ 1",
            outcome=CommitteeOutcome.approved,
            analysis_changed=False,
            recorded_by=author,
        )
    grounds = {ground.key: ground for ground in version.grounds}
    for key, spec in (answers or {}).items():
        if spec == "not_relevant":
            spec = {"relevant": False, "not_relevant_reason": "Förslaget berör inte denna grund."}
        elif isinstance(spec, str):
            spec = {"impact": spec}
        spec = dict(spec)
        mitigations = spec.pop("mitigations", [])
        for name in ("remaining_impact", "actual_impact"):
            if isinstance(spec.get(name), str):
                spec[name] = Impact(spec[name])
        if "impact" in spec:
            spec["impact"] = Impact(spec["impact"])
            spec.setdefault("relevant", True)
            spec.setdefault("affected_groups", "Berörda grupper.")
            spec.setdefault("evidence", "Statistik från kommunen.")
        answer = GroundAnswer(ground=grounds[key], **spec)
        answer.mitigations = [
            Mitigation(**{"assessment": assessment, "description": "Åtgärd", "responsible": "Enhetschef", **mitigation})
            for mitigation in mitigations
        ]
        assessment.answers.append(answer)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def create_review_comment(assessment: Assessment, author: User, body: str = "Förtydliga underlaget.", **fields):
    """A reviewer's comment on ``assessment`` (on the whole decision unless ground or section is given)."""
    from impact.review.models import Decision, ReviewComment, Section

    if "ground" not in fields and "section" not in fields:
        fields["section"] = Section.overall
    comment = ReviewComment(
        assessment=assessment, author=author, body=body, round=1, decision=Decision.returned, **fields
    )
    db.session.add(comment)
    db.session.flush()
    return comment


def seed_report_data() -> dict:
    """Assessments across two departments, states, quarters and districts for summary and export tests.

    Returns a dict of the created assessments by name. Nothing is committed.
    """
    from datetime import UTC, date, datetime

    from impact.assessments.enums import Outcome
    from impact.assessments.models import Alternative

    past = date(2020, 1, 31)
    made = {}
    made["approved_ff"] = create_assessment(
        "approved",
        department="FFF",
        title='=HYPERLINK("http://evil.example")',
        districts=("Norrby",),
        follow_up_date=past,
        analysis_outcome=Outcome.continue_despite,
        outcome_justification="=Nyttan för fler väger tyngre än den negativa påverkan.",
        alternatives=[
            Alternative(description="Göra ingenting", effects="Ingen förändring.", why_not_chosen="Syftet nås inte.")
        ],
        answers={
            # Followed up: gender turned out better than predicted, disability as predicted after mitigations.
            "gender": {"impact": "negative", "actual_impact": "neutral"},
            "age": "positive",
            "ethnicity": "not_relevant",
            "disability": {
                "impact": "significantly_negative",
                "remaining_impact": "negative",
                "actual_impact": "negative",
                "mitigations": [
                    {
                        "due_date": past,
                        "status": "planned",
                        "description": "+Ramper vid entréer",
                        # Owned in another department than the assessment's.
                        "owner": create_user(roles=("case_officer",), department="SOF"),
                    }
                ],
            },
        },
    )
    made["approved_sof"] = create_assessment(
        "approved",
        department="SOF",
        districts=("Norrby", "Sjöbo"),
        answers={
            "gender": "neutral",
            "age": {
                "impact": "negative",
                "acceptance_justification": "-Nödvändigt av säkerhetsskäl.",
                "actual_impact": "negative",
            },
            "religion": "cannot_assess",
        },
    )
    made["submitted_sof"] = create_assessment(
        "submitted",
        department="SOF",
        districts=("Sjöbo",),
        answers={"gender": {"impact": "negative", "mitigations": [{"status": "done", "due_date": past}]}},
    )
    made["old_approved_ff"] = create_assessment(
        "approved",
        department="FFF",
        districts=("Hässleholmen",),
        created_at=datetime(2025, 2, 10, 9, 0, tzinfo=UTC),
        answers={"disability": "negative", "gender": "positive"},
    )
    made["draft_ff"] = create_assessment("draft", department="FFF", answers={"gender": "negative"})
    made["returned_sof"] = create_assessment("returned", department="SOF", answers={"age": "negative"})
    made["screening_only"] = create_assessment("approved", department="SOF", affects_people=False, districts=())
    return made
