"""Whether each part of an assessment is complete, and what is missing (the server decides, never the browser).

Each check returns {field name: message}; the page attaches them to its fields and the check-your-answers page
lists them with links. The action plan's problems use the field name ``actions`` (and ``remaining_<ground>`` for
the impact that remains), those of the alternatives considered ``alternatives``, those of the consultations
``consultations``.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from impact.assessments.enums import Impact, MinorityAnswer, Outcome, remaining_better_than_impact
from impact.assessments.forms import NEEDS_MITIGATION, remaining_field_name
from impact.assessments.models import Assessment, GroundAnswer
from impact.grounds.models import Ground

NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"
STATUS_LABELS = {NOT_STARTED: _l("Not started"), IN_PROGRESS: _l("In progress"), DONE: _l("Done")}


@dataclass(frozen=True)
class Problem:
    section: str
    url: str
    field: str
    message: object


def proposal_problems(assessment: Assessment) -> dict[str, object]:
    problems = {}
    if not assessment.description.strip():
        problems["description"] = _l("Describe the proposal.")
    if not assessment.purpose.strip():
        problems["purpose"] = _l("Describe the purpose of the proposal.")
    if not assessment.concerns.strip():
        problems["concerns"] = _l("Say who the proposal concerns.")
    if not assessment.committee:
        problems["committee"] = _l("Choose the committee that decides.")
    if not assessment.whole_municipality and not assessment.districts:
        problems["districts"] = _l("Choose the districts the proposal touches, or the whole municipality.")
    return problems


def screening_problems(assessment: Assessment) -> dict[str, object]:
    if assessment.affects_people is None:
        return {"affects_people": _l("Say whether the proposal affects people.")}
    if assessment.affects_people is False and not assessment.screening_reason.strip():
        return {"screening_reason": _l("Explain why the proposal does not affect people.")}
    if assessment.affects_people and assessment.asks_child_rights and assessment.child_rights.concerns_children is None:
        return {"concerns_children": _l("Say whether the proposal concerns children.")}
    return {}


def ground_problems(answer: GroundAnswer | None) -> dict[str, object]:
    if answer is None or answer.relevant is None:
        return {"relevant": _l("Say whether this ground is relevant.")}
    if answer.relevant is False:
        if not answer.not_relevant_reason.strip():
            return {"not_relevant_reason": _l("Explain why this ground is not relevant.")}
        return {}
    problems = {}
    if answer.impact is None:
        problems["impact"] = _l("Choose the impact, or that it cannot yet be assessed.")
    elif answer.impact == Impact.cannot_assess and not answer.missing_information.strip():
        problems["missing_information"] = _l("Say what is missing to assess the impact.")
    if not answer.affected_groups.strip():
        problems["affected_groups"] = _l("Describe which groups are affected and how.")
    if not answer.evidence.strip():
        problems["evidence"] = _l("Describe what the assessment is based on.")
    if answer.confidence is None:
        problems["confidence"] = _l("Say how confident you are.")
    return problems


def action_plan_problems(assessment: Assessment) -> dict[str, object]:
    """What the action plan still lacks: an action or an accepted reason for every negative ground, every action
    complete, and the impact that remains after the actions for every negative ground."""
    problems = {}
    unaddressed = [
        answer.ground.name
        for answer in _relevant_answers(assessment)
        if answer.impact is not None
        and answer.impact.is_negative
        and not answer.mitigations
        and not answer.acceptance_justification.strip()
    ]
    if unaddressed:
        problems["actions"] = _l(
            "A negative impact needs at least one action that addresses it, or a justification on the ground's "
            "page of why it is accepted: %(grounds)s.",
            grounds=", ".join(unaddressed),
        )
    for action in assessment.actions:
        if not (
            action.description.strip()
            and (action.owner_id or action.responsible.strip())
            and action.due_date
            and action.answers
        ):
            problems["actions"] = _l(
                "Give every action what will be done, who is responsible, by when and the grounds it addresses."
            )
    for answer in _relevant_answers(assessment):
        name = remaining_field_name(answer.ground)
        negative = answer.impact is not None and answer.impact.is_negative
        if negative and answer.remaining_impact is None and asks_remaining_impact(answer):
            problems[name] = _l("Choose the impact that remains after the actions.")
        elif remaining_better_than_impact(answer.impact, answer.remaining_impact) and not answer.mitigations:
            problems[name] = NEEDS_MITIGATION
    return problems


def action_plan_started(assessment: Assessment) -> bool:
    return bool(assessment.actions) or any(answer.remaining_impact for answer in assessment.answers)


def _relevant_answers(assessment: Assessment) -> list[GroundAnswer]:
    return sorted(
        (answer for answer in assessment.answers if answer.relevant), key=lambda answer: answer.ground.position
    )


def asks_remaining_impact(answer: GroundAnswer) -> bool:
    """Whether the template version the assessment was started under asks for the remaining impact (versions
    published before the question existed do not, so their drafts stay submittable as they were)."""
    assessment = answer.assessment
    return assessment is None or assessment.template_version.asks_remaining_impact


def conclusion_problems(assessment: Assessment) -> dict[str, object]:
    problems = {}
    if not assessment.overall_assessment.strip():
        problems["overall_assessment"] = _l("Write the overall assessment.")
    if len(negative_grounds(assessment)) >= 2 and not assessment.combined_effects.strip():
        problems["combined_effects"] = _l(
            "Several grounds are negative: describe the combined effects on the groups hit more than once."
        )
    if significantly_negative_grounds(assessment) and not assessment.alternatives:
        problems["alternatives"] = _l(
            "A ground is significantly negative: describe at least one alternative that was considered, "
            "for example doing nothing."
        )
    # The proposal is not preferred when the outcome is to stop, so no alternative then needs a reason against it.
    needs_reason = assessment.analysis_outcome != Outcome.stop
    for alternative in assessment.alternatives:
        complete = alternative.description.strip() and alternative.effects.strip()
        if not complete or (needs_reason and not alternative.why_not_chosen.strip()):
            problems["alternatives"] = _l(
                "Give every alternative a description, how it would affect the grounds and why the proposal "
                "was preferred."
            )
    if assessment.analysis_outcome is None:
        problems["analysis_outcome"] = _l("Choose the outcome of the assessment.")
    elif assessment.analysis_outcome == Outcome.adjust and not assessment.adjustments.strip():
        problems["adjustments"] = _l("Say what was adjusted in the proposal.")
    elif assessment.analysis_outcome == Outcome.continue_despite and not assessment.outcome_justification.strip():
        problems["outcome_justification"] = _l(
            "Explain why the adverse impact is proportionate and what was weighed against it."
        )
    if not assessment.recommendation.strip():
        problems["recommendation"] = _l("Write a recommendation.")
    return problems


def involvement_reason_required(assessment: Assessment) -> bool:
    """Whether "nobody was heard" needs a reason: when a relevant ground is scored negative, or the proposal
    concerns children. The one place that says when hearing nobody must be explained."""
    return bool(negative_grounds(assessment)) or assessment.concerns_children


def involvement_problems(assessment: Assessment) -> dict[str, object]:
    """What the involvement step still lacks: complete consultations, or why nobody was heard when that needs a
    reason, and the answers on the national minorities."""
    problems = {}
    involvement = assessment.involvement
    for consultation in assessment.consultations:
        who = consultation.group_kind is not None or consultation.group_name.strip()
        if not (who and consultation.method and consultation.held_on and consultation.views.strip()):
            problems["consultations"] = _l(
                "Give every consultation who was heard, how, when and what they said, and say what changed in "
                "the proposal because of it."
            )
        elif not consultation.changes_made.strip():
            problems["consultations"] = _l(
                "Say for every consultation what changed in the proposal because of it, or that nothing did."
            )
    reason = involvement.no_consultation_reason.strip() if involvement is not None else ""
    if not assessment.consultations and not reason and involvement_reason_required(assessment):
        problems["no_consultation_reason"] = (
            _l("Nobody was heard, yet a ground is negative: explain why no one affected was asked.")
            if negative_grounds(assessment)
            else _l("Nobody was heard, yet the proposal concerns children: explain why no one affected was asked.")
        )
    answer = involvement.national_minority if involvement is not None else None
    if answer is None:
        problems["national_minority"] = _l("Say whether the proposal concerns a national minority.")
    elif answer == MinorityAnswer.yes:
        if not involvement.minorities:
            problems["minorities"] = _l("Choose the national minorities the proposal concerns.")
        if involvement.minority_consulted is None:
            problems["minority_consulted"] = _l("Say whether the minority was consulted.")
        elif involvement.minority_consulted is False and not involvement.minority_not_consulted_reason.strip():
            problems["minority_not_consulted_reason"] = _l("Explain why the minority was not consulted.")
    return problems


def involvement_started(assessment: Assessment) -> bool:
    involvement = assessment.involvement
    answered = involvement is not None and bool(involvement.national_minority or involvement.no_consultation_reason)
    return answered or bool(assessment.consultations)


def child_rights_problems(assessment: Assessment) -> dict[str, object]:
    """What the child-rights step still lacks, field by field (the consequences per right under ``effects``)."""
    record = assessment.child_rights
    if record is None:
        return {}
    problems = {}
    if not record.children.strip():
        problems["children"] = _l("Describe which children the proposal concerns: ages, groups, about how many.")
    if not record.effects:
        problems["principles"] = _l(
            "Choose the rights in the Convention that the proposal concerns, starting with the general principles."
        )
    if record.children_heard is None:
        problems["children_heard"] = _l("Say whether children were heard.")
    elif record.children_heard:
        if not record.heard_how.strip():
            problems["heard_how"] = _l("Say how the children were heard.")
        if not record.children_views.strip():
            problems["children_views"] = _l("Say what the children said.")
    elif not record.not_heard_reason.strip():
        problems["not_heard_reason"] = _l("Explain why no children were heard.")
    if not record.knowledge.strip():
        problems["knowledge"] = _l("Give other knowledge: statistics, research or experience.")
    if any(row.effect is None or not (row.short_term.strip() or row.long_term.strip()) for row in record.effects):
        problems["effects"] = _l(
            "For every right you chose, say whether the proposal strengthens, leaves unaffected or weakens it, and "
            "describe the consequences in the short or long term."
        )
    if not record.conclusion.strip():
        problems["conclusion"] = _l("Give the conclusion on the child's best interests.")
    if record.weakened:
        if not record.against_reasons.strip():
            problems["against_reasons"] = _l("A right is weakened: explain why the proposal goes ahead all the same.")
        if not record.compensating_measures.strip():
            problems["compensating_measures"] = _l("A right is weakened: describe the compensating measures.")
    if not record.feedback.strip():
        problems["feedback"] = _l("Say how the children will be told about the decision.")
    return problems


def child_rights_started(assessment: Assessment) -> bool:
    record = assessment.child_rights
    return record is not None and bool(record.children or record.effects or record.children_heard is not None)


def grounds_of(assessment: Assessment) -> list[Ground]:
    """The grounds of the template version the assessment was started under."""
    return assessment.template_version.active_grounds


def negative_grounds(assessment: Assessment) -> list[Ground]:
    return [
        answer.ground
        for answer in assessment.answers
        if answer.relevant and answer.impact is not None and answer.impact.is_negative
    ]


def significantly_negative_grounds(assessment: Assessment) -> list[Ground]:
    return [
        answer.ground
        for answer in assessment.answers
        if answer.relevant and answer.impact == Impact.significantly_negative
    ]


def ground_status(answer: GroundAnswer | None) -> str:
    if answer is None or (answer.relevant is None and not _has_text(answer)):
        return NOT_STARTED
    return IN_PROGRESS if ground_problems(answer) else DONE


def part_status(problems: dict, started: bool) -> str:
    if not started:
        return NOT_STARTED
    return IN_PROGRESS if problems else DONE


def _has_text(answer: GroundAnswer) -> bool:
    return bool(answer.not_relevant_reason or answer.affected_groups or answer.evidence or answer.impact)


def all_problems(assessment: Assessment) -> list[Problem]:
    """Everything that stops the assessment from being submitted, in the order of the form."""
    found = []

    def add(section, endpoint, problems, **args):
        url = url_for(endpoint, assessment_id=assessment.id, **args)
        found.extend(Problem(section, url, field, message) for field, message in problems.items())

    add(_l("Proposal"), "assessments.edit_proposal", proposal_problems(assessment))
    add(_l("Screening"), "assessments.screening", screening_problems(assessment))
    if assessment.affects_people:
        if assessment.asks_involvement:
            add(_l("Involvement and dialogue"), "assessments.involvement", involvement_problems(assessment))
        if assessment.concerns_children and assessment.asks_child_rights:
            add(_l("The best interests of the child"), "assessments.child_rights", child_rights_problems(assessment))
        for ground in grounds_of(assessment):
            add(ground.name, "assessments.ground", ground_problems(assessment.answer_for(ground)), key=ground.key)
        add(_l("Action plan"), "assessments.action_plan", action_plan_problems(assessment))
        add(_l("Conclusion"), "assessments.conclusion", conclusion_problems(assessment))
    return found
