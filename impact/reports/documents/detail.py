"""The detail after the summary page: the proposal, every ground, the conclusion, the action plan, involvement,
the child-rights assessment, follow-up and the committee's decision."""

from flask_babel import gettext as _

from impact.assessments.child_rights import answer_rows
from impact.assessments.enums import Impact
from impact.assessments.models import Assessment, GroundAnswer
from impact.auth.people import person_text
from impact.reports.documents.blocks import action_plan, day, facts, heading, paragraph, table, yes_no


def answer_state(answer: GroundAnswer | None) -> str:
    """The answer on one ground in a few words: not started, not relevant, or the impact (and what remains)."""
    if answer is None or answer.relevant is None:
        return _("Not started")
    if answer.relevant is False:
        return _("Not relevant")
    return answer.impact_text or _("Not answered")


def detail_blocks(assessment: Assessment, pairs, public: bool = False) -> list[dict | None]:
    """The detail; ``public`` leaves out the authors and who is responsible for each action."""
    blocks: list[dict | None] = [
        heading(2, _("The proposal")),
        facts(
            [
                (_("Case number"), assessment.case_number),
                (_("Department"), assessment.department.name),
                (_("Committee that decides"), assessment.committee),
                (_("Planned decision date"), day(assessment.decision_date)),
                (_("Describe the proposal"), assessment.description),
                (_("Purpose of the proposal"), assessment.purpose),
                (_("Who the proposal concerns"), assessment.concerns),
                (
                    _("Districts the proposal touches"),
                    _("The whole municipality")
                    if assessment.whole_municipality
                    else ", ".join(district.name for district in assessment.districts),
                ),
                (_("Authors"), "" if public else ", ".join(person_text(author) for author in assessment.authors)),
            ]
        ),
    ]
    if assessment.screening_only:
        blocks += [
            heading(2, _("Screening")),
            paragraph(_("No major change needed: the screening found that the proposal does not affect people.")),
            facts([(_("Why does it not affect people?"), assessment.screening_reason)]),
        ]
        return blocks + _decision(assessment)
    blocks.append(heading(2, _("The grounds")))
    for ground, answer in pairs:
        blocks += [heading(3, ground.name), *_ground(answer)]
    blocks += _conclusion(assessment, pairs, public)
    blocks += _involvement(assessment)
    blocks += _child_rights(assessment)
    blocks += _follow_up(assessment, pairs)
    return blocks + _decision(assessment)


def _ground(answer: GroundAnswer | None) -> list[dict | None]:
    if answer is None or answer.relevant is None:
        return [paragraph(_("Not started"))]
    if answer.relevant is False:
        return [
            facts([(_("Relevant"), _("No, not relevant")), (_("Why is it not relevant?"), answer.not_relevant_reason)])
        ]
    missing = answer.missing_information if answer.impact == Impact.cannot_assess else ""
    return [
        facts(
            [
                (_("Impact"), answer.impact_text),
                (_("What is missing to assess the impact?"), missing),
                (_("Which groups are affected, and how?"), answer.affected_groups),
                (_("What is the assessment based on?"), answer.evidence),
                (_("Links to sources (optional)"), answer.evidence_links),
                (_("How confident are you?"), str(answer.confidence.label) if answer.confidence else ""),
                (_("Districts affected differently"), ", ".join(d.name for d in answer.districts)),
                (_("How are these districts affected differently?"), answer.district_notes),
                (_("Or: why is the negative impact accepted?"), answer.acceptance_justification),
            ]
        )
    ]


def _conclusion(assessment: Assessment, pairs, public: bool) -> list[dict | None]:
    blocks = [
        heading(2, _("Conclusion")),
        facts(
            [
                (_("Overall assessment"), assessment.overall_assessment),
                (_("Combined effects"), assessment.combined_effects),
                (_("Outcome of the assessment"), str(assessment.outcome.label) if assessment.outcome else ""),
                (_("What was adjusted in the proposal?"), assessment.adjustments),
                (_("Why is the adverse impact proportionate, and what was weighed?"), assessment.outcome_justification),
                (_("Recommendation"), assessment.recommendation),
            ]
        ),
        heading(3, _("Alternatives considered")),
    ]
    rows = [[a.description, a.effects, a.why_not_chosen] for a in assessment.alternatives]
    header = [_("The alternative"), _("How it would affect the grounds"), _("Why the proposal was preferred")]
    blocks.append(table(_("Alternatives considered"), header, rows) or paragraph(_("No alternatives recorded.")))
    blocks.append(heading(2, _("Action plan")))
    actions = action_plan(assessment)
    costed = any(action.cost for action in actions)  # the cost column only when some action has one
    rows = [
        [
            action.description,
            action.grounds_text,
            *([] if public else [action.who]),
            day(action.due_date),
            *([action.cost] if costed else []),
            str(action.status.label),
        ]
        for action in actions
    ]
    header = [
        _("What will be done"),
        _("Grounds"),
        *([] if public else [_("Who is responsible")]),
        _("By when"),
        *([_("Cost or resources")] if costed else []),
        _("Status"),
    ]
    blocks.append(table(_("Action plan"), header, rows) or paragraph(_("No actions planned.")))
    return blocks


def _involvement(assessment: Assessment) -> list[dict | None]:
    involvement = assessment.involvement
    if involvement is None and not assessment.consultations:
        return []  # started before the step existed, and never filled in
    blocks = [heading(2, _("Involvement and dialogue"))]
    rows = [
        [
            c.who,
            str(c.method.label) if c.method else "",
            day(c.held_on),
            "" if c.participants is None else str(c.participants),
            c.views,
            c.changes_made,
        ]
        for c in assessment.consultations
    ]
    header = [
        _("Who was heard"),
        _("How"),
        _("When"),
        _("About how many"),
        _("What they said"),
        _("What changed because of it"),
    ]
    blocks.append(table(_("Consultations"), header, rows) or paragraph(_("Nobody was heard.")))
    answer = involvement.national_minority if involvement else None
    consulted = involvement.minority_consulted if involvement else None
    minority_yes = answer is not None and answer.value == "yes"
    blocks.append(
        facts(
            [
                (
                    _("If nobody was heard: why not?"),
                    involvement.no_consultation_reason if involvement and not assessment.consultations else "",
                ),
                (_("Does the proposal concern a national minority?"), str(answer.label) if answer else ""),
                (_("Which national minorities?"), ", ".join(involvement.minority_labels) if minority_yes else ""),
                (_("Was the minority consulted (samråd)?"), yes_no(consulted) if minority_yes else ""),
                (
                    _("Why was the minority not consulted?"),
                    involvement.minority_not_consulted_reason if minority_yes and consulted is False else "",
                ),
            ]
        )
    )
    return blocks


def _child_rights(assessment: Assessment) -> list[dict | None]:
    if not assessment.concerns_children:
        return []
    record = assessment.child_rights
    rows = [
        [row.label, str(row.effect.label) if row.effect else "", row.short_term, row.long_term]
        for row in record.effects
    ]
    header = [_("Right"), _("Effect"), _("In the short term"), _("In the long term")]
    return [
        heading(2, _("The best interests of the child")),
        table(_("Consequences for the children"), header, rows),
        facts([(question, answer) for _key, question, answer in answer_rows(record)]),
    ]


def _follow_up(assessment: Assessment, pairs) -> list[dict | None]:
    rows = [
        [ground.name, answer.actual_text, answer.actual_comment]
        for ground, answer in pairs
        if answer is not None and answer.relevant and answer.actual_impact
    ]
    header = [_("Ground"), _("Actual impact at follow-up"), _("Comment on the actual impact")]
    return [
        heading(2, _("Follow-up")),
        facts([(_("Follow-up date"), day(assessment.follow_up_date))]),
        table(_("Actual impact at follow-up"), header, rows),
    ]


def _decision(assessment: Assessment) -> list[dict | None]:
    decision = assessment.committee_decision
    if decision is None:
        return []
    return [
        heading(2, _("The committee's decision")),
        facts(
            [
                (_("Committee"), decision.committee),
                (_("Date of the meeting"), day(decision.meeting_date)),
                (_("Paragraph in the minutes"), decision.paragraph),
                (_("Decision"), str(decision.outcome.label)),
                (_("Did the analysis change the proposal?"), yes_no(decision.analysis_changed)),
                (_("How it changed the proposal"), decision.analysis_change if decision.analysis_changed else ""),
                (_("The minutes"), decision.minutes_reference),
            ]
        ),
    ]
