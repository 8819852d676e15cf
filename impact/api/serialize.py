"""Assessments and summaries as JSON: stable keys, ISO dates, scores -2..2 or null."""

from impact.assessments.child_rights import TEXT_FIELDS as CHILD_TEXT_FIELDS
from impact.assessments.filters import AssessmentFilterForm
from impact.assessments.models import Assessment, GroundAnswer, Involvement
from impact.reports.summary import HEAT_CLASSES, Summary, quarter_bounds


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def ground_json(answer: GroundAnswer) -> dict:
    return {"key": answer.ground.key, "relevant": answer.relevant, "score": answer.score}


def area_json(area) -> dict:
    """An area within a district: its code (the statistics' code), its name and its district's name."""
    return {"code": area.code, "name": area.name, "district": area.district.name}


def assessment_item(assessment: Assessment) -> dict:
    return {
        "id": assessment.id,
        "title": assessment.title,
        "case_number": assessment.case_number,
        "department": {"code": assessment.department.code, "name": assessment.department.name},
        "status": assessment.status.value,
        "created_at": _iso(assessment.created_at),
        "updated_at": _iso(assessment.updated_at),
        "submitted_at": _iso(assessment.submitted_at),
        "decided_at": _iso(assessment.decided_at),
        "outcome": assessment.outcome.value if assessment.outcome else None,
        "districts": [district.name for district in assessment.districts],
        "areas": [area_json(area) for area in assessment.areas],
        "grounds": [ground_json(answer) for answer in assessment.answers],
    }


def decision_json(assessment: Assessment) -> dict | None:
    """The committee's decision, or None while none is recorded."""
    decision = assessment.committee_decision
    if decision is None:
        return None
    return {
        "committee": decision.committee,
        "meeting_date": _iso(decision.meeting_date),
        "paragraph": decision.paragraph,
        "outcome": decision.outcome.value,
        "analysis_changed": decision.analysis_changed,
        "analysis_change": decision.analysis_change,
        "minutes_reference": decision.minutes_reference,
        "recorded_at": _iso(decision.recorded_at),
        "corrected_at": _iso(decision.corrected_at),
    }


def child_rights_json(assessment: Assessment) -> dict | None:
    """Whether the proposal concerns children and the child-rights assessment; None for an assessment started
    before the question that never answered it."""
    record = assessment.child_rights
    if record is None:
        return None
    return {
        "required": record.required,
        "concerns_children": record.concerns_children,
        "children_heard": record.children_heard,
        "districts": [district.name for district in record.districts],
        **{name: getattr(record, name) for name in CHILD_TEXT_FIELDS},
        "rights": [
            {
                "article": row.article,
                "effect": row.effect.value if row.effect else None,
                "short_term": row.short_term,
                "long_term": row.long_term,
            }
            for row in record.effects
        ],
    }


def involvement_json(assessment: Assessment) -> dict | None:
    """Who was heard and the national minorities; None for an assessment started before the step that never
    filled it in."""
    involvement = assessment.involvement
    if involvement is None and not assessment.consultations:
        return None
    return {
        "required": involvement.required if involvement else False,
        "consultations": [
            {
                "group_kind": {"id": c.group_kind.id, "name": {"sv": c.group_kind.name_sv, "en": c.group_kind.name_en}}
                if c.group_kind
                else None,
                "group_name": c.group_name,
                "method": c.method.value if c.method else None,
                "held_on": _iso(c.held_on),
                "participants": c.participants,
                "views": c.views,
                "changes_made": c.changes_made,
            }
            for c in assessment.consultations
        ],
        **Involvement.answers_of(involvement),
    }


def action_json(action) -> dict:
    """One action of the action plan, with the keys of the grounds it addresses."""
    return {
        "id": action.id,
        "description": action.description,
        "responsible": action.responsible,
        "owner": action.owner.name if action.owner else None,
        "owner_department": action.owner.department.code if action.owner and action.owner.department else None,
        "due_date": _iso(action.due_date),
        "cost": action.cost,
        "grounds": [ground.key for ground in action.grounds],
        "status": action.status.value,
        "dropped_reason": action.dropped_reason,
        "outcome": action.outcome,
    }


def assessment_detail(assessment: Assessment) -> dict:
    item = assessment_item(assessment)
    item.update(
        {
            "version_number": assessment.version_number,
            "amends_id": assessment.amends_id,
            "committee": assessment.committee,
            "decision_date": _iso(assessment.decision_date),
            "description": assessment.description,
            "purpose": assessment.purpose,
            "concerns": assessment.concerns,
            "whole_municipality": assessment.whole_municipality,
            "affects_people": assessment.affects_people,
            "screening_reason": assessment.screening_reason,
            "involvement": involvement_json(assessment),
            "child_rights": child_rights_json(assessment),
            "overall_assessment": assessment.overall_assessment,
            "combined_effects": assessment.combined_effects,
            "outcome_adjustments": assessment.adjustments if assessment.outcome_text else "",
            "outcome_justification": assessment.outcome_justification if assessment.outcome_text else "",
            "alternatives": [
                {
                    "description": alternative.description,
                    "effects": alternative.effects,
                    "why_not_chosen": alternative.why_not_chosen,
                }
                for alternative in assessment.alternatives
            ],
            "actions": [action_json(action) for action in assessment.actions],
            "recommendation": assessment.recommendation,
            "follow_up_date": _iso(assessment.follow_up_date),
            "authors": [author.name for author in assessment.authors],
            "decided_by": assessment.decided_by.name if assessment.decided_by else None,
            "committee_decision": decision_json(assessment),
            "grounds": [
                {
                    **ground_json(answer),
                    "name": {"sv": answer.ground.name_sv, "en": answer.ground.name_en},
                    "impact": answer.impact.value if answer.impact else None,
                    "remaining_impact": answer.remaining_impact.value if answer.remaining_impact else None,
                    "not_relevant_reason": answer.not_relevant_reason,
                    "affected_groups": answer.affected_groups,
                    "evidence": answer.evidence,
                    "evidence_links": answer.evidence_links,
                    "confidence": answer.confidence.value if answer.confidence else None,
                    "missing_information": answer.missing_information,
                    "districts": [district.name for district in answer.districts],
                    "areas": [area_json(area) for area in answer.areas],
                    "district_notes": answer.district_notes,
                    "acceptance_justification": answer.acceptance_justification,
                    "actual_outcome": answer.actual_outcome,
                    "actual_impact": answer.actual_impact.value if answer.actual_impact else None,
                    "actual_comment": answer.actual_comment,
                    "actual_recorded_at": _iso(answer.actual_recorded_at),
                    "prediction_held": answer.prediction_held,
                    "mitigations": [action_json(mitigation) for mitigation in answer.mitigations],
                }
                for answer in assessment.answers
            ],
        }
    )
    return item


def summary_json(summary: Summary, filters: AssessmentFilterForm) -> dict:
    """The dashboard's figures; keys are codes (department code, ground key, status, impact class)."""
    return {
        "filters": filters.to_args(),
        "total": summary.total,
        "by_status": summary.by_status,
        "by_department": [
            {
                "department": code,
                "name": name,
                "by_status": {
                    status: count for (dept, status), count in summary.by_department_status.items() if dept == code
                },
            }
            for code, name in summary.departments
        ],
        "impacts": [
            {
                "department": code,
                "ground": key,
                **{klass: summary.heat.get((code, key, klass), 0) for klass in HEAT_CLASSES},
            }
            for code, _name in summary.departments
            for key, _ground in summary.grounds
        ],
        "impacts_by_ground": [
            {"ground": key, **{klass: summary.heat_by_ground.get((key, klass), 0) for klass in HEAT_CLASSES}}
            for key, _ground in summary.grounds
        ],
        "most_negative_ground": summary.most_negative_ground,
        "unmitigated": {
            "assessments": summary.unmitigated_assessments,
            "by_ground": {key: summary.unmitigated_by_ground.get(key, 0) for key, _ground in summary.grounds},
        },
        "overdue": {
            "mitigations": summary.overdue_mitigations,
            "assessments_with_overdue_mitigations": summary.overdue_mitigation_assessments,
            "follow_ups": summary.overdue_follow_ups,
        },
        "quarters": [
            {
                "quarter": f"{year}-Q{quarter}",
                "start": quarter_bounds(year, quarter)[0].isoformat(),
                "end": quarter_bounds(year, quarter)[1].isoformat(),
                "assessments": summary.by_quarter.get((year, quarter), 0),
                "with_negative_impact": summary.negative_by_quarter.get((year, quarter), 0),
            }
            for year, quarter in summary.quarters
        ],
    }
