"""One assessment as a PDF to attach to the committee's decision memo (tjänsteskrivelse).

fpdf2 is pure Python, so ``pip install`` is all a server needs (no Pango or Cairo); the DejaVu fonts bundled
with the package cover Swedish letters and are embedded, so nothing is fetched over the network.
"""

from pathlib import Path

from flask_babel import get_locale
from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from impact.assessments.child_rights import answer_rows
from impact.assessments.enums import IN_FORCE
from impact.assessments.models import Assessment
from impact.auth.people import person_text
from impact.core.timefmt import format_day, format_time

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
MARGIN = 20


class AssessmentPDF(FPDF):
    """A4 portrait with a running footer: case number, page n of N."""

    def __init__(self, footer_text: str):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer_text
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(70, 70, 70)
        page = _("Page %(page)s of %(pages)s", page=self.page_no(), pages="{nb}")
        self.cell(0, 6, f"{self.footer_text} · {page}", align="C")

    def heading(self, text: str, size: int = 14) -> None:
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.multi_cell(0, size * 0.5, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def paragraph(self, text: str | None) -> None:
        self.set_font(FONT, "", 10)
        self.multi_cell(0, 5, text or "–", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)

    def facts(self, rows: list[tuple[str, str]]) -> None:
        self.set_font(FONT, "", 10)
        with self.table(col_widths=(45, 125), first_row_as_headings=False, line_height=5.5) as table:
            for term, value in rows:
                row = table.row()
                row.cell(term)
                row.cell(value or "–")
        self.ln(2)


def _date(value) -> str:
    return format_day(value) if value else "–"


def _datetime(value) -> str:
    return format_time(value) if value else "–"


def assessment_pdf(assessment: Assessment) -> bytes:
    """The PDF of ``assessment`` in the current language."""
    title = _("Equality impact assessment: %(title)s", title=assessment.title)
    pdf = AssessmentPDF(f"{assessment.case_number} · {assessment.department.name}")
    pdf.set_title(title)
    pdf.set_author(assessment.department.name)
    pdf.set_subject(_("Equality impact assessment"))
    pdf.set_creator("Impact")
    pdf.set_lang(str(get_locale() or "sv"))
    pdf.add_page()
    pdf.set_font(FONT, "B", 18)
    pdf.multi_cell(0, 9, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)
    if assessment.status not in IN_FORCE:
        pdf.set_font(FONT, "B", 11)
        pdf.multi_cell(
            0,
            6,
            _("Status: %(status)s — not an approved assessment.", status=assessment.status.label),
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        pdf.ln(1)
    pdf.facts(
        [
            (_("Case number"), assessment.case_number),
            (_("Department"), assessment.department.name),
            (_("Committee"), assessment.committee or "–"),
            (_("Status"), str(assessment.status.label)),
            (_("Decision date"), _date(assessment.decision_date)),
            (
                _("Districts"),
                _("The whole municipality")
                if assessment.whole_municipality
                else ", ".join(district.name for district in assessment.districts) or "–",
            ),
            (_("Authors"), ", ".join(person_text(author) for author in assessment.authors)),
            (
                _("Approved"),
                f"{_datetime(assessment.decided_at)}, {person_text(assessment.decided_by)}"
                if assessment.decided_by and assessment.status in IN_FORCE
                else "–",
            ),
            (_("Follow-up date"), _date(assessment.follow_up_date)),
            (_("Outcome of the assessment"), str(assessment.outcome.label) if assessment.outcome else "–"),
            (_("The committee's decision"), _decision_line(assessment)),
        ]
    )
    pdf.heading(_("The proposal"))
    pdf.paragraph(assessment.description)
    pdf.heading(_("Purpose"), 11)
    pdf.paragraph(assessment.purpose)
    pdf.heading(_("Who is concerned"), 11)
    pdf.paragraph(assessment.concerns)
    if assessment.screening_only:
        pdf.heading(_("Screening"))
        pdf.paragraph(_("The proposal does not affect people; screening only.") + " " + assessment.screening_reason)
    else:
        _involvement(pdf, assessment)
        _child_rights(pdf, assessment)

    pdf.heading(_("Impact profile"))
    grounds = assessment.template_version.grounds
    pdf.set_font(FONT, "", 9)
    with pdf.table(col_widths=(60, 25, 55, 20, 20), line_height=5) as table:
        header = table.row()
        for text in (_("Ground"), _("Relevant"), _("Impact"), _("Score"), _("Mitigations")):
            header.cell(text)
        for ground in grounds:
            answer = assessment.answer_for(ground)
            row = table.row()
            row.cell(ground.name)
            if answer is None or answer.relevant is None:
                row.cell(_("Not answered"))
                row.cell("–")
                row.cell("–")
                row.cell("–")
                continue
            row.cell(_("Yes") if answer.relevant else _("No"))
            row.cell(answer.impact_text if answer.relevant and answer.impact else "–")
            score = answer.score
            row.cell("–" if score is None else f"{score:+d}" if score else "0")
            row.cell(str(len(answer.mitigations)) if answer.relevant else "–")
    pdf.ln(2)

    for ground in grounds:
        answer = assessment.answer_for(ground)
        if answer is None or not answer.relevant:
            continue
        pdf.heading(f"{ground.name}: {answer.impact_text or _('Not answered')}", 12)
        pdf.facts(
            [
                (_("Affected groups"), answer.affected_groups),
                (_("Evidence"), answer.evidence),
                (_("Confidence"), str(answer.confidence.label) if answer.confidence else "–"),
                (_("Missing information"), answer.missing_information or "–"),
                (_("Justification for accepting"), answer.acceptance_justification or "–"),
                *([(_("Actual impact at follow-up"), answer.actual_text)] if answer.actual_impact else []),
                *([(_("Comment on the actual impact"), answer.actual_comment)] if answer.actual_comment else []),
            ]
        )
        for mitigation in answer.mitigations:
            pdf.paragraph(
                _(
                    "Mitigation: %(description)s — responsible: %(responsible)s, due %(due)s, %(status)s.",
                    description=mitigation.description,
                    responsible=mitigation.responsible,
                    due=_date(mitigation.due_date),
                    status=mitigation.status.label,
                )
            )

    pdf.heading(_("Conclusion"))
    pdf.heading(_("Overall assessment"), 11)
    pdf.paragraph(assessment.overall_assessment)
    pdf.heading(_("Combined effects"), 11)
    pdf.paragraph(assessment.combined_effects)
    pdf.heading(_("Alternatives considered"), 11)
    if not assessment.alternatives:
        pdf.paragraph(_("No alternatives recorded."))
    for alternative in assessment.alternatives:
        pdf.facts(
            [
                (_("The alternative"), alternative.description),
                (_("How it would affect the grounds"), alternative.effects),
                (_("Why the proposal was preferred"), alternative.why_not_chosen),
            ]
        )
    pdf.heading(_("Outcome of the assessment"), 11)
    pdf.paragraph(str(assessment.analysis_outcome.label) if assessment.analysis_outcome else None)
    if assessment.outcome_text:
        pdf.paragraph(assessment.outcome_text)
    pdf.heading(_("Recommendation"), 11)
    pdf.paragraph(assessment.recommendation)
    decision = assessment.committee_decision
    if decision is not None:
        pdf.heading(_("The committee's decision"))
        pdf.facts(
            [
                (_("Committee"), decision.committee),
                (_("Date of the meeting"), _date(decision.meeting_date)),
                (_("Paragraph in the minutes"), decision.paragraph),
                (_("Decision"), str(decision.outcome.label)),
                (_("Did the analysis change the proposal?"), _("Yes") if decision.analysis_changed else _("No")),
                *([(_("How it changed the proposal"), decision.analysis_change)] if decision.analysis_changed else []),
                *([(_("The minutes"), decision.minutes_reference)] if decision.minutes_reference else []),
            ]
        )
    return bytes(pdf.output())


def _involvement(pdf: AssessmentPDF, assessment: Assessment) -> None:
    """Who was heard, how and what changed; why nobody was; the national minorities."""
    involvement = assessment.involvement
    if involvement is None and not assessment.consultations:
        return  # started before the step existed, and never filled in
    pdf.heading(_("Involvement and dialogue"))
    for consultation in assessment.consultations:
        pdf.facts(
            [
                (_("Who was heard"), consultation.who),
                (_("How"), str(consultation.method.label) if consultation.method else "–"),
                (_("When"), _date(consultation.held_on)),
                (_("About how many"), "–" if consultation.participants is None else str(consultation.participants)),
                (_("What they said"), consultation.views),
                (_("What changed because of it"), consultation.changes_made),
            ]
        )
    if not assessment.consultations:
        reason = involvement.no_consultation_reason if involvement else ""
        pdf.paragraph(_("Nobody was heard.") + (" " + reason if reason else ""))
    answer = involvement.national_minority if involvement else None
    rows = [(_("Does the proposal concern a national minority?"), str(answer.label) if answer else "–")]
    if answer is not None and answer.value == "yes":
        consulted = involvement.minority_consulted
        rows += [
            (_("Which national minorities?"), ", ".join(involvement.minority_labels)),
            (
                _("Was the minority consulted (samråd)?"),
                "–" if consulted is None else _("Yes") if consulted else _("No"),
            ),
        ]
        if consulted is False:
            rows.append((_("Why was the minority not consulted?"), involvement.minority_not_consulted_reason))
    pdf.facts(rows)


def _child_rights(pdf: AssessmentPDF, assessment: Assessment) -> None:
    """The child-rights assessment: the consequences per right, then the other answers."""
    if not assessment.concerns_children:
        return
    pdf.heading(_("The best interests of the child"))
    for row in assessment.child_rights.effects:
        pdf.facts(
            [
                (_("Right"), row.label),
                (_("Effect"), str(row.effect.label) if row.effect else "–"),
                (_("In the short term"), row.short_term or "–"),
                (_("In the long term"), row.long_term or "–"),
            ]
        )
    pdf.facts([(question, answer or "–") for _key, question, answer in answer_rows(assessment.child_rights)])


def _decision_line(assessment: Assessment) -> str:
    """The decision in one line (e.g. "Approved with changes, Kulturnämnden 2026-11-27 § 45"), or that none is
    recorded yet."""
    decision = assessment.committee_decision
    if decision is None:
        return _("Not yet recorded")
    return _(
        "%(outcome)s, %(committee)s %(date)s %(paragraph)s",
        outcome=decision.outcome.label,
        committee=decision.committee,
        date=_date(decision.meeting_date),
        paragraph=decision.paragraph,
    )
