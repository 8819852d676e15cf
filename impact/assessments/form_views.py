"""The guided form: start, proposal, screening, task list, involvement, the best interests of the child, one page
per ground, the action plan, conclusion, check and submit.

Every page saves on "Save and continue" and "Save and come back later". Format errors (length, date, choice)
save nothing and re-render what was typed; an incomplete part is saved as a draft and its gaps are shown.
A stale lock version refuses the save and shows both what is saved and what the user typed.
"""

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from impact.assessments import bp, operations, validation
from impact.assessments.child_rights import TEXT_FIELDS as CHILD_TEXT_FIELDS
from impact.assessments.child_rights import answer_rows, article_label, guidance_text
from impact.assessments.child_rights_forms import ChildRightsForm, child_rights_data
from impact.assessments.cumulative import Earlier, earlier_negatives, notice
from impact.assessments.forms import (
    ConclusionForm,
    GroundForm,
    InvolvementForm,
    ProposalForm,
    ScreeningForm,
    area_choices,
    build_action_plan_form,
    committee_choices,
    conclusion_data,
    district_choices,
    fix_date_messages,
    group_kind_choices,
    involvement_data,
    remaining_field_name,
)
from impact.assessments.lifecycle import WorkflowError, submit
from impact.assessments.loaders import get_assessment_or_404
from impact.assessments.search.similar import similar_to
from impact.auth.models import User
from impact.auth.people import person_text
from impact.auth.permissions import role_required
from impact.auth.roles import Role
from impact.core.db import db
from impact.core.stash import keeps_input_on_expiry, pop_stash
from impact.indicators.figures import FigureRow, figure_rows, places_of

# The child-rights answers in words, and an article's name, for every page that shows them.
bp.add_app_template_global(answer_rows, "child_rights_answers")
bp.add_app_template_global(article_label, "article_label")
bp.add_app_template_global(guidance_text, "child_rights_guidance")
bp.add_app_template_global(notice, "combined_notice")

# Flask-WTF's default source of input: the request's form on a POST, none on a GET.
REQUEST = object()


def _restored_formdata():
    """Input kept from a POST refused for an expired session (shown with a notice), else ``REQUEST``."""
    if request.method != "GET":
        return REQUEST
    formdata = pop_stash(request.path, current_user.id)
    if formdata is None:
        return REQUEST
    db.session.commit()
    flash(_("We kept what you typed before your session expired. Check it and save."), "warning")
    return formdata


def _source(formdata) -> dict:
    """Form keyword arguments for ``formdata``: restored input, ``REQUEST``, or None for what is saved now."""
    return {} if formdata is REQUEST else {"formdata": formdata}


def _set_version(form, version: int) -> None:
    form.lock_version.data = version
    form.lock_version.raw_data = [str(version)]


def _save(form, save: Callable[[], object], current_version: Callable[[], int]) -> bool:
    """Run ``save`` and commit; on a stale version roll back and point the form at the saved version.

    Raises the IntegrityError of a save the database refused for any other reason than a concurrent save.
    """
    seen = form.lock_version.data
    try:
        save()
        db.session.commit()
        return True
    except (operations.StaleEdit, StaleDataError):
        db.session.rollback()
    except IntegrityError:
        db.session.rollback()
        # Two first saves of the same ground at once collide on its unique key: a conflict, because the saved
        # version has moved on. Any other refusal is a fault, and calling it a conflict would hide it.
        if seen is None or current_version() == seen:
            raise
    _set_version(form, current_version())
    return False


def _after_save(form, assessment_id: int, next_url: str):
    if form.leaving:
        flash(_("Your answers are saved. You can come back and continue at any time."), "success")
        return redirect(url_for("assessments.tasks", assessment_id=assessment_id))
    return redirect(next_url)


def _attach(form, problems: dict) -> None:
    for name, message in problems.items():
        if name in ("actions", "alternatives", "consultations", "effects"):
            setattr(form, f"{name}_problem", [message])
        elif name in form:
            form[name].errors = [*form[name].errors, message]


def _with_rows(form, fields: tuple[str, ...], rows: str) -> dict:
    """A page's answers in ``fields`` and its list of rows ``rows`` (one dict per row), as an operation takes them."""
    return {**{name: form[name].data for name in fields}, rows: [entry.form.data for entry in form[rows]]}


@dataclass
class FormPage:
    """One page of the guided form (proposal, screening, a ground, conclusion): what differs between them.

    ``build(formdata)`` makes the page's form from the request's (or restored) input, or with ``formdata=None``
    from what is saved now at its current version; ``save(form)`` applies it (raising on a stale version);
    ``version()`` is the version saved now; ``problems()`` what is still missing after a save; ``next_url()``
    where "Save and continue" leads; ``add_row`` (action, notice, anchor) names a button that saves and adds an
    empty row; ``context()`` the template's other variables.
    """

    assessment_id: int
    template: str
    build: Callable[[object], object]
    save: Callable[[object], object]
    version: Callable[[], int]
    problems: Callable[[], dict]
    next_url: Callable[[], str]
    context: Callable[[], dict]
    add_row: tuple[str, str, str] | None = None


def _form_page(page: FormPage):
    """The one skeleton of the guided form's pages.

    Save what was typed as a draft (format errors save nothing and keep the input); then go on when the part is
    complete or the user is leaving, else show what is saved with what is missing next to its field. A stale
    version saves nothing and shows the saved answers beside what the user typed.
    """
    form = page.build(_restored_formdata())
    conflict = False
    if form.validate_on_submit():
        if _save(form, lambda: page.save(form), page.version):
            if page.add_row and form.action.data == page.add_row[0]:
                flash(page.add_row[1], "success")
                return redirect(f"{request.path}?add=1#{page.add_row[2]}")
            problems = page.problems()
            if form.leaving or not problems:
                return _after_save(form, page.assessment_id, page.next_url())
            # Saved as a draft, but not complete: show what is now saved (its new version, the ids of new rows,
            # without removed rows) with what is missing, so that the next save continues from it.
            form = page.build(None)
            _attach(form, problems)
            flash(_("Your answers are saved as a draft. Some answers are still missing."), "warning")
        else:
            conflict = True
            db.session.expire_all()  # show the answers saved meanwhile beside what the user typed
    fix_date_messages(form)
    return render_template(page.template, form=form, conflict=conflict, **page.context())


# --- Start and proposal ---------------------------------------------------------------------------------------


def _proposal_form(assessment=None, formdata=REQUEST) -> ProposalForm:
    if assessment is None:
        committee = current_user.department.committee
        form = ProposalForm(**_source(formdata), committee=committee, lock_version=0)
    else:
        # What is saved, as data: WTForms would prefer ``obj``'s own districts and areas (objects, which the
        # fields cannot read as ids) to any ids passed beside it, and show none of them ticked.
        saved = {name: getattr(assessment, name) for name in operations.PROPOSAL_FIELDS}
        saved.update(
            lock_version=assessment.lock_version,
            districts=[district.id for district in assessment.districts],
            areas=[area.id for area in assessment.areas],
        )
        form = ProposalForm(**_source(formdata), data=saved)
        committee = assessment.committee
    form.committee.choices = committee_choices(committee)
    form.districts.choices = district_choices()
    form.areas.choices = area_choices()
    return form


def _proposal_data(form: ProposalForm) -> dict:
    return {name: form[name].data for name in (*operations.PROPOSAL_FIELDS, "districts", "areas")}


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def new():
    form = _proposal_form(formdata=_restored_formdata())
    if form.validate_on_submit():
        try:
            assessment = operations.create(current_user, _proposal_data(form))
        except operations.NoTemplate:
            flash(_("No template with grounds is published yet. Ask an administrator."), "error")
        else:
            db.session.commit()
            flash(_("The assessment is started and saved as a draft."), "success")
            return _after_save(form, assessment.id, url_for("assessments.screening", assessment_id=assessment.id))
    fix_date_messages(form)
    return render_template("assessments/proposal.html", form=form, assessment=None)


@bp.route("/<int:assessment_id>/proposal", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def edit_proposal(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")

    def build(formdata):
        form = _proposal_form(assessment, formdata)
        if formdata is None or (request.method == "GET" and not form.lock_version.raw_data):
            _set_version(form, assessment.lock_version)
        return form

    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/proposal.html",
            build=build,
            save=lambda form: operations.save_proposal(
                assessment, current_user, _proposal_data(form), form.lock_version.data
            ),
            version=lambda: get_assessment_or_404(assessment_id).lock_version,
            problems=dict,  # the proposal's gaps are shown on the task list; the form goes on to the screening
            next_url=lambda: url_for("assessments.screening", assessment_id=assessment_id),
            context=lambda: {
                "assessment": assessment,
                "similar": similar_to(assessment, current_user),
                "figures": figure_rows(None, places_of(assessment)),
            },
        )
    )


# --- Screening ------------------------------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/screening", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def screening(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")

    def build(formdata):
        record = assessment.child_rights
        form = ScreeningForm(
            **_source(formdata),
            affects_people=assessment.affects_people,
            screening_reason=assessment.screening_reason,
            concerns_children=record.concerns_children if record is not None else None,
        )
        if formdata is None or (request.method == "GET" and not form.lock_version.raw_data):
            _set_version(form, assessment.lock_version)
        return form

    def next_url() -> str:
        after = "assessments.check" if assessment.screening_only else "assessments.tasks"
        return url_for(after, assessment_id=assessment_id)

    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/screening.html",
            build=build,
            save=lambda form: operations.save_screening(
                assessment,
                current_user,
                form.affects_people.data,
                form.screening_reason.data,
                form.lock_version.data,
                concerns_children=form.concerns_children.data,
            ),
            version=lambda: assessment.lock_version,
            problems=lambda: validation.screening_problems(assessment),
            next_url=next_url,
            context=lambda: {"assessment": assessment},
        )
    )


# --- Task list ------------------------------------------------------------------------------------------------


@bp.get("/<int:assessment_id>/tasks")
@role_required(Role.case_officer)
def tasks(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    grounds = validation.grounds_of(assessment)
    rows = [(ground, validation.ground_status(assessment.answer_for(ground))) for ground in grounds]
    parts = {
        "proposal": validation.part_status(validation.proposal_problems(assessment), True),
        "screening": validation.part_status(
            validation.screening_problems(assessment), assessment.affects_people is not None
        ),
        "involvement": validation.part_status(
            validation.involvement_problems(assessment), validation.involvement_started(assessment)
        ),
        "child_rights": validation.part_status(
            validation.child_rights_problems(assessment), validation.child_rights_started(assessment)
        ),
        "action_plan": validation.part_status(
            validation.action_plan_problems(assessment), validation.action_plan_started(assessment)
        ),
        "conclusion": validation.part_status(
            validation.conclusion_problems(assessment),
            bool(
                assessment.overall_assessment
                or assessment.recommendation
                or assessment.combined_effects
                or assessment.analysis_outcome
            ),
        ),
    }
    done = sum(1 for _ground, status in rows if status == validation.DONE)
    return render_template(
        "assessments/tasks.html",
        assessment=assessment,
        rows=rows,
        parts=parts,
        done=done,
        labels=validation.STATUS_LABELS,
    )


# --- Involvement and dialogue ---------------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/involvement", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def involvement(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    if assessment.screening_only:
        abort(404)  # a proposal that affects no one has no one to hear
    extra = 1 if request.args.get("add") == "1" else 0

    def build(formdata) -> InvolvementForm:
        form = InvolvementForm(
            **_source(formdata), data=involvement_data(assessment, extra if formdata is not None else 0)
        )
        form.set_group_kinds(group_kind_choices(assessment))
        return form

    def save(form) -> None:
        data = _with_rows(form, operations.INVOLVEMENT_FIELDS, "consultations")
        operations.save_involvement(assessment, current_user, data, form.lock_version.data)

    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/involvement.html",
            build=build,
            save=save,
            version=lambda: assessment.lock_version,
            problems=lambda: validation.involvement_problems(assessment) if assessment.asks_involvement else {},
            next_url=lambda: url_for("assessments.tasks", assessment_id=assessment_id),
            context=lambda: {
                "assessment": assessment,
                "reason_required": validation.involvement_reason_required(assessment),
            },
            add_row=("add_consultation", _("Saved. A new row for a consultation has been added."), "consultations"),
        )
    )


# --- The best interests of the child ---------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/child-rights", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def child_rights(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    if not assessment.concerns_children:
        abort(404)  # the screening says the proposal concerns no children

    def save(form) -> None:
        data = {name: form[name].data for name in (*CHILD_TEXT_FIELDS, "children_heard", "districts")}
        data.update(principles=form.principles.data, other_articles=form.other_articles.data)
        data["effects"] = [entry.form.data for entry in form.effects]
        operations.save_child_rights(assessment, current_user, data, form.lock_version.data)

    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/child_rights.html",
            build=lambda formdata: ChildRightsForm(
                **_source(formdata), data=child_rights_data(assessment), version=assessment.template_version
            ),
            save=save,
            version=lambda: assessment.lock_version,
            problems=lambda: validation.child_rights_problems(assessment) if assessment.asks_child_rights else {},
            next_url=lambda: url_for("assessments.tasks", assessment_id=assessment_id),
            context=lambda: {"assessment": assessment},
            add_row=("show_rights", _("Saved. Each right you chose now has its row of consequences."), "effects"),
        )
    )


# --- One ground -----------------------------------------------------------------------------------------------


def _ground_or_404(assessment, key: str):
    ground = next((ground for ground in validation.grounds_of(assessment) if ground.key == key), None)
    if ground is None:
        abort(404)
    return ground


def _ground_form(assessment, ground, formdata) -> GroundForm:
    """The ground page's form: the request's (or restored) input, or with ``formdata=None`` what is saved now, at
    its version."""
    answer = assessment.answer_for(ground)
    data = {"lock_version": operations.answer_version(assessment, ground)}
    if answer is not None:
        data.update({name: getattr(answer, name) for name in operations.ANSWER_FIELDS})
        data["relevant"] = answer.relevant
        data["impact"] = answer.impact.value if answer.impact else None
        data["confidence"] = answer.confidence.value if answer.confidence else None
        data["districts"] = [district.id for district in answer.districts]
        data["areas"] = [area.id for area in answer.areas]
    form = GroundForm(**_source(formdata), data=data)
    form.districts.choices = district_choices()
    form.areas.choices = area_choices()
    return form


def _ground_data(form: GroundForm) -> dict:
    data = {name: form[name].data for name in operations.ANSWER_FIELDS}
    data["relevant"] = form.relevant.data
    data["districts"] = form.districts.data
    data["areas"] = form.areas.data
    return data


def _next_ground_url(assessment, ground) -> str:
    """The next unfinished ground after ``ground`` in template order, wrapping round; else the action plan."""
    grounds = validation.grounds_of(assessment)
    position = grounds.index(ground)
    for candidate in grounds[position + 1 :] + grounds[:position]:
        if validation.ground_status(assessment.answer_for(candidate)) != validation.DONE:
            return url_for("assessments.ground", assessment_id=assessment.id, key=candidate.key)
    return url_for("assessments.action_plan", assessment_id=assessment.id)


def _figures(assessment, ground) -> list[FigureRow]:
    return figure_rows(ground.key, places_of(assessment, assessment.answer_for(ground)))


def _earlier(assessment, ground) -> list[Earlier]:
    """The notice of combined effects for the places the proposal or the answer names and for every place the
    ground's question offers: the page shows a place's part once it is ticked, without a save in between (see
    ``fixed_places`` and the template)."""
    offered = [("district", key, name) for key, name in district_choices()]
    offered += [("area", key, name) for key, name in area_choices()]
    return earlier_negatives(assessment, ground.key, places_of(assessment, assessment.answer_for(ground)) + offered)


def _fixed_places(assessment) -> set[tuple[str, int]]:
    """The places the proposal names: their part of the notice always shows, whatever is ticked on the ground."""
    return {(kind, key) for kind, key, _name in places_of(assessment)}


def _copy_figure(assessment, ground, figures: list[FigureRow]):
    """ "Copy into the evidence" without JavaScript: add the figure's text to the evidence as typed, save nothing,
    and show the page again with everything the user typed."""
    form = _ground_form(assessment, ground, REQUEST)
    if not form.validate_on_submit() and "csrf_token" in form.errors:
        abort(400)
    for name in form.errors:  # nothing is saved: say nothing yet about what is still being typed
        form[name].errors = []
    wanted = request.form.get("copy_figure", "")
    row = next((row for row in figures if str(row.figure.id) == wanted), None)
    copied = None
    if row is not None:
        evidence = (form.evidence.data or "").rstrip()
        form.evidence.data = f"{evidence}\n{row.copy_text}" if evidence else row.copy_text
        copied = row.copy_text
    return render_template(
        "assessments/ground.html",
        form=form,
        conflict=False,
        assessment=assessment,
        ground=ground,
        answer=assessment.answer_for(ground),
        next_url=_next_ground_url(assessment, ground),
        figures=figures,
        copied=copied,
        earlier=_earlier(assessment, ground),
        fixed_places=_fixed_places(assessment),
    )


@bp.route("/<int:assessment_id>/grounds/<key>", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def ground(assessment_id: int, key: str):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    ground = _ground_or_404(assessment, key)
    if request.method == "POST" and "copy_figure" in request.form:
        return _copy_figure(assessment, ground, _figures(assessment, ground))
    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/ground.html",
            build=lambda formdata: _ground_form(assessment, ground, formdata),
            save=lambda form: operations.save_ground(
                assessment, ground, current_user, _ground_data(form), form.lock_version.data
            ),
            version=lambda: operations.answer_version(get_assessment_or_404(assessment_id), ground),
            problems=lambda: validation.ground_problems(assessment.answer_for(ground)),
            next_url=lambda: _next_ground_url(assessment, ground),
            context=lambda: {
                "assessment": assessment,
                "ground": ground,
                "answer": assessment.answer_for(ground),
                "next_url": _next_ground_url(assessment, ground),
                "figures": _figures(assessment, ground),
                "earlier": _earlier(assessment, ground),
                "fixed_places": _fixed_places(assessment),
            },
        )
    )


# --- The action plan ------------------------------------------------------------------------------------------


def _owner_choices(assessment) -> dict[str, list[tuple[int, str]]]:
    """Every active user, of any department (an action may be owned outside the assessment's department), grouped
    by department, the assessment's own first: a list of a whole municipality's staff is found by its groups."""
    people = db.session.scalars(
        sa.select(User).where(User.active.is_(True)).options(sa.orm.joinedload(User.department)).order_by(User.name)
    )
    groups: dict[str, list[tuple[int, str]]] = {}
    for user in people:
        groups.setdefault(user.department.name, []).append((user.id, person_text(user)))
    own = assessment.department.name
    return {name: groups[name] for name in sorted(groups, key=lambda name: (name != own, name))}


@bp.route("/<int:assessment_id>/actions", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def action_plan(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    if assessment.screening_only:
        abort(404)  # a proposal that affects no one needs no actions
    extra = 1 if request.args.get("add") == "1" else 0
    owners = _owner_choices(assessment)

    def build(formdata):
        return build_action_plan_form(assessment, owners, _source(formdata), extra if formdata is not None else 0)

    def save(form) -> None:
        data = {"actions": [entry.form.data for entry in form.actions]}
        data["remaining"] = {
            assessment.answer_for(ground).ground_id: form[remaining_field_name(ground)].data
            for ground in form.remaining_grounds
        }
        operations.save_action_plan(assessment, current_user, data, form.lock_version.data)

    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/action_plan.html",
            build=build,
            save=save,
            version=lambda: assessment.lock_version,
            problems=lambda: validation.action_plan_problems(assessment),
            next_url=lambda: url_for("assessments.conclusion", assessment_id=assessment_id),
            context=lambda: {"assessment": assessment},
            add_row=("add_action", _("Saved. A new row for an action has been added."), "actions"),
        )
    )


# --- Conclusion -----------------------------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/conclusion", methods=["GET", "POST"])
@role_required(Role.case_officer)
@keeps_input_on_expiry
def conclusion(assessment_id: int):
    assessment = get_assessment_or_404(assessment_id, need="edit")
    extra = 1 if request.args.get("add") == "1" else 0

    def save(form) -> None:
        data = _with_rows(form, operations.CONCLUSION_FIELDS, "alternatives")
        operations.save_conclusion(assessment, current_user, data, form.lock_version.data)

    return _form_page(
        FormPage(
            assessment_id=assessment_id,
            template="assessments/conclusion.html",
            build=lambda formdata: ConclusionForm(
                **_source(formdata), data=conclusion_data(assessment, extra if formdata is not None else 0)
            ),
            save=save,
            version=lambda: assessment.lock_version,
            problems=lambda: validation.conclusion_problems(assessment),
            next_url=lambda: url_for("assessments.check", assessment_id=assessment_id),
            context=lambda: {"assessment": assessment, "negative": validation.negative_grounds(assessment)},
            add_row=("add_alternative", _("Saved. A new row for an alternative has been added."), "alternatives"),
        )
    )


# --- Check your answers and submit ----------------------------------------------------------------------------


@bp.route("/<int:assessment_id>/check", methods=["GET", "POST"])
@role_required(Role.case_officer)
def check(assessment_id: int):
    from impact.core.forms import EmptyForm

    assessment = get_assessment_or_404(assessment_id, need="edit")
    form = EmptyForm()
    problems = []
    if form.validate_on_submit():
        problems = validation.all_problems(assessment)
        if not problems:
            try:
                submit(assessment, current_user)
            except WorkflowError as error:
                db.session.rollback()
                flash(str(error.message), "error")
            else:
                db.session.commit()
                flash(_("The assessment has been sent for review. It can no longer be changed."), "success")
                return redirect(url_for("assessments.view", assessment_id=assessment.id))
    return render_template("assessments/check.html", assessment=assessment, form=form, problems=problems)
