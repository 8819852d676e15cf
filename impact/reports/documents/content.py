"""The content of an assessment's documents: one list of blocks (``blocks.py``) that the PDF and the Word file
both lay out. Page 1 is the summary a politician reads; the detail (``detail.py``) follows after a page break.

The public register's documents come from the same loader with ``public=True``: they name no person (no authors,
no reviewer, no one responsible for an action, a free text that may be a name) and say everything else the same.
The documents never carry reviewers' comments or the history, internal or public.
"""

from flask_babel import gettext as _

from impact.assessments.enums import IN_FORCE, AssessmentStatus
from impact.assessments.models import Assessment
from impact.auth.people import person_text
from impact.reports.documents.blocks import actions_for, day, facts, heading, language, paragraph, table, yes_no
from impact.reports.documents.detail import answer_state, detail_blocks

# The proposal on the summary page is cut to this many characters; the detail has it in full.
SUMMARY_PROPOSAL_CHARS = 600


def is_draft(assessment: Assessment) -> bool:
    """Whether the documents carry the draft mark: anything never approved (an archived assessment was)."""
    return assessment.status not in (*IN_FORCE, AssessmentStatus.archived)


def document_content(assessment: Assessment, public: bool = False) -> dict:
    """Everything the PDF and the Word file show of ``assessment``, in the current language; ``public`` leaves out
    every person's name (the public register's documents)."""
    blocks: list[dict | None] = []
    add = blocks.append
    draft = is_draft(assessment)
    pairs = [(ground, assessment.answer_for(ground)) for ground in assessment.template_version.grounds]

    add(heading(1, assessment.title))
    add(paragraph(f"{assessment.case_number} · {assessment.department.name}"))
    if draft:
        add(
            {
                "kind": "mark",
                "text": _("Draft: not an approved assessment (status: %(status)s).", status=assessment.status.label),
            }
        )
    add(heading(2, _("Summary")))
    add(facts(_summary_rows(assessment)))
    add(heading(3, _("Outcome of the assessment")))
    add(paragraph(str(assessment.outcome.label) if assessment.outcome else _("Not yet chosen")))
    add(paragraph(assessment.outcome_text))
    if not assessment.screening_only:
        add(_chart(pairs))
        add(_negative_table(pairs))
        add(heading(3, _("Children and involvement")))
        add(facts(_people_rows(assessment)))
    add(facts(_approval_rows(assessment, public)))
    add({"kind": "pagebreak"})
    blocks.extend(detail_blocks(assessment, pairs, public))
    return {
        "lang": language(),
        "title": assessment.title,
        "draft": draft,
        "draft_label": _("Draft") if draft else "",
        "footer": f"{assessment.case_number} · {assessment.department.name}",
        # "Sida {page} av {pages}": the template puts in the numbers.
        "page_text": _("Page %(page)s of %(pages)s", page="{page}", pages="{pages}"),
        "author": assessment.department.name,
        "blocks": _without_repeated_captions([block for block in blocks if block]),
    }


def _without_repeated_captions(blocks: list[dict]) -> list[dict]:
    """A table right under a heading of the same words needs no caption saying them again."""
    for before, block in zip(blocks, blocks[1:], strict=False):
        if block["kind"] == "table" and before["kind"] == "heading" and before["text"] == block["caption"]:
            block["caption"] = ""
    return blocks


def _summary_rows(assessment: Assessment) -> list[tuple[str, str]]:
    proposal = (assessment.description or "").strip()
    if len(proposal) > SUMMARY_PROPOSAL_CHARS:
        proposal = proposal[:SUMMARY_PROPOSAL_CHARS].rsplit(" ", 1)[0] + " …"
    return [
        (_("The proposal"), proposal),
        (_("Committee that decides"), assessment.committee),
        (_("Planned decision date"), day(assessment.decision_date)),
        (_("Status"), str(assessment.status.label)),
        (_("Version"), str(assessment.version_number)),
    ]


def _chart(pairs) -> dict:
    bars = []
    described = []
    for ground, answer in pairs:
        state = answer_state(answer)
        score = answer.score if answer is not None else None
        bars.append({"label": ground.name, "score": score, "value": state})
        described.append(f"{ground.name}: {state}")
    alt = _("Impact profile across the grounds") + ". " + "; ".join(described) + "."
    return {
        "kind": "chart",
        "caption": _("Impact profile"),
        "alt": alt,
        "bars": bars,
        "ground_label": _("Ground"),
        "impact_label": _("Impact"),
    }


def _negative_table(pairs) -> dict | None:
    rows = []
    for ground, answer in pairs:
        if answer is None or not answer.relevant or answer.impact is None or not answer.impact.is_negative:
            continue
        actions = actions_for(answer)
        if actions:
            done = "; ".join(action.description for action in actions)
        elif answer.acceptance_justification:
            done = _("Accepted without actions: %(reason)s", reason=answer.acceptance_justification)
        else:
            done = _("No actions")
        remaining = answer.remaining_impact.label if answer.remaining_impact else answer.impact.label
        rows.append([ground.name, str(answer.impact.label), done, str(remaining)])
    header = [_("Ground"), _("Impact"), _("Actions"), _("Remaining impact")]
    return table(_("Negative impacts and what is done about them"), header, rows) or paragraph(
        _("No ground has a negative impact.")
    )


def _people_rows(assessment: Assessment) -> list[tuple[str, str]]:
    record = assessment.child_rights
    children = yes_no(assessment.concerns_children) if record is not None else ""
    heard = yes_no(record.children_heard) if assessment.concerns_children else ""
    consulted = ", ".join(c.who for c in assessment.consultations if c.who)
    if not assessment.consultations and assessment.involvement is not None:
        consulted = _("Nobody was heard.")
    return [
        (_("Does the proposal concern children?"), children),
        (_("Were children heard?"), heard),
        (_("Who was heard"), consulted),
    ]


def _approval_rows(assessment: Assessment, public: bool) -> list[tuple[str, str]]:
    approved = not is_draft(assessment)
    decision = assessment.committee_decision
    decision_text = ""
    if decision is not None:
        decision_text = _(
            "%(outcome)s, %(committee)s %(date)s %(paragraph)s",
            outcome=decision.outcome.label,
            committee=decision.committee,
            date=day(decision.meeting_date),
            paragraph=decision.paragraph,
        )
    return [
        (_("Reviewer"), person_text(assessment.decided_by) if approved and not public else ""),
        (_("Approved on"), day(assessment.decided_at) if approved else ""),
        (_("The committee's decision"), decision_text or _("Not yet recorded")),
        (_("Follow-up date"), day(assessment.follow_up_date)),
    ]
