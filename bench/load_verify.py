"""After the load: compare the ledger of acknowledged writes with what the database holds, and check invariants."""

from collections import defaultdict

import sqlalchemy as sa

from bench.load_users import GroundSave, Ledger


def _answer_values(answer) -> dict:
    values = {
        "relevant": "yes" if answer.relevant else "no",
        "impact": answer.impact.value if answer.impact else None,
        "affected_groups": answer.affected_groups,
        "evidence": answer.evidence,
        "confidence": answer.confidence.value if answer.confidence else None,
        "acceptance_justification": answer.acceptance_justification,
    }
    return values


def verify(ledger: Ledger, made_after_id: int = 0) -> dict:
    """Figures of the comparison (inside an app context on the load test's database); every count should be 0.

    Assessments up to ``made_after_id`` were there before the run (generated data with a history of its own) and
    are left out of the check for half-written assessments."""
    from impact.assessments import validation
    from impact.assessments.enums import AssessmentStatus
    from impact.assessments.models import Assessment
    from impact.audit import trail
    from impact.audit.models import AuditEvent
    from impact.core.db import db

    assessments = {a.id: a for a in db.session.scalars(sa.select(Assessment))}
    answers = {(a.id, answer.ground.key): answer for a in assessments.values() for answer in a.answers}
    audit_versions = dict(
        db.session.execute(
            sa.select(AuditEvent.object_id, sa.func.count())
            .where(AuditEvent.action == "ground_answer.update")
            .group_by(AuditEvent.object_id)
        ).all()
    )
    created_events = set(
        db.session.scalars(sa.select(AuditEvent.assessment_id).where(AuditEvent.action == "assessment.create"))
    )
    # The action plan sets the impact that remains on a ground's answer, a version of the answer of its own.
    plan_versions: dict[tuple[int, str], int] = defaultdict(int)
    plan_events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "assessment.update", AuditEvent.assessment_id.is_not(None))
    )
    for event in plan_events:
        changes = event.changes or {}
        remaining = changes.get("remaining_impact")
        if changes.get("part") != "actions" or not isinstance(remaining, dict):
            continue
        before, after = remaining.get("before") or {}, remaining.get("after") or {}
        for key in set(before) | set(after):
            if before.get(key) != after.get(key):
                plan_versions[(event.assessment_id, key)] += 1
    figures = defaultdict(int)
    problems: list[str] = []

    by_ground: dict[tuple[int, str], list[GroundSave]] = defaultdict(list)
    for save in ledger.ground_saves:
        by_ground[(save.assessment_id, save.key)].append(save)
    for (assessment_id, key), saves in by_ground.items():
        answer = answers.get((assessment_id, key))
        versions = [save.seen_version for save in saves]
        duplicates = len(versions) - len(set(versions))
        if duplicates:
            # Two saves acknowledged from the same version: the first was silently overwritten.
            figures["lost_writes"] += duplicates
            problems.append(f"{assessment_id}/{key}: {duplicates} saves acknowledged from the same version")
        last = max(saves, key=lambda save: save.seen_version)
        planned = plan_versions[(assessment_id, key)]
        written = answer is not None and last.seen_version + 1 <= answer.lock_version <= last.seen_version + 1 + planned
        if not written or _answer_values(answer) != last.values:
            figures["lost_writes"] += 1
            problems.append(f"{assessment_id}/{key}: the last acknowledged save is not what the database holds")
            continue
        # Versions nobody was told about: a save reported as failed that was written all the same.
        figures["unacknowledged_versions"] += answer.lock_version - planned - len(set(versions))
        if audit_versions.get(answer.id, 0) + planned != answer.lock_version:
            audited = audit_versions.get(answer.id, 0) + planned
            figures["versions_without_audit_event"] += abs(answer.lock_version - audited)
            problems.append(f"{assessment_id}/{key}: {answer.lock_version} versions, audit events disagree")
    figures["ground_saves_checked"] = len(ledger.ground_saves)

    for assessment_id, values in ledger.conclusions.items():
        assessment = assessments.get(assessment_id)
        fields = ("overall_assessment", "combined_effects", "recommendation")
        held = {name: getattr(assessment, name) for name in fields}
        held["follow_up_date"] = assessment.follow_up_date.isoformat() if assessment.follow_up_date else None
        held["analysis_outcome"] = assessment.analysis_outcome.value if assessment.analysis_outcome else None
        alternatives = assessment.alternatives[:1]
        for name in ("description", "effects", "why_not_chosen"):
            held[f"alternatives-0-{name}"] = getattr(alternatives[0], name) if alternatives else None
        if held != values:
            figures["lost_writes"] += 1
            problems.append(f"{assessment_id}: the acknowledged conclusion is not what the database holds")

    for assessment_id in ledger.submitted:
        if assessments[assessment_id].status not in (AssessmentStatus.submitted, AssessmentStatus.approved):
            figures["lost_writes"] += 1
            problems.append(f"{assessment_id}: acknowledged submission, status {assessments[assessment_id].status}")

    deciders: dict[int, list[str]] = defaultdict(list)
    for assessment_id, email in ledger.approvals:
        deciders[assessment_id].append(email)
    for assessment_id, emails in deciders.items():
        assessment = assessments[assessment_id]
        if len(emails) > 1:
            figures["double_decisions"] += len(emails) - 1
            problems.append(f"{assessment_id}: approved by {len(emails)} reviewers")
        if assessment.status != AssessmentStatus.approved or assessment.decided_by.email != emails[-1]:
            figures["lost_writes"] += 1
            problems.append(f"{assessment_id}: acknowledged approval by {emails[-1]} not in the database")

    for assessment in assessments.values():
        if assessment.id <= made_after_id:
            continue
        if assessment.id not in created_events:
            figures["partial_assessments"] += 1
            problems.append(f"{assessment.id}: no creation event")
        if assessment.status in (AssessmentStatus.submitted, AssessmentStatus.approved):
            incomplete = [
                ground.key
                for ground in validation.grounds_of(assessment)
                if validation.ground_problems(assessment.answer_for(ground))
            ]
            late = [answer.ground.key for answer in assessment.answers if answer.updated_at > assessment.submitted_at]
            if incomplete or late:
                figures["partial_assessments"] += 1
                problems.append(f"{assessment.id}: submitted with {incomplete} incomplete, {late} changed afterwards")
    figures["assessments"] = len(assessments)
    figures["approved"] = sum(1 for a in assessments.values() if a.status == AssessmentStatus.approved)
    broken = trail.first_broken_link()
    figures["audit_chain_broken"] = 0 if broken is None else 1
    if broken is not None:
        problems.append(f"audit chain broken at event {broken.id}")
    figures["audit_events"] = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    for name in ("lost_writes", "unacknowledged_versions", "versions_without_audit_event", "double_decisions"):
        figures.setdefault(name, 0)
    figures.setdefault("partial_assessments", 0)
    return {"figures": dict(figures), "problems": problems}
