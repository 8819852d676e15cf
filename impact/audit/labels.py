"""Readable names of audit actions, for the history on an assessment page and the auditor's trail."""

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "assessment.create": _l("Created"),
    "assessment.save": _l("Saved"),
    "assessment.submit": _l("Submitted for review"),
    "assessment.approve": _l("Approved"),
    "assessment.return_for_changes": _l("Returned for changes"),
    "assessment.reopen": _l("Reopened for editing"),
    "assessment.withdraw": _l("Withdrawn"),
    "assessment.archive": _l("Archived"),
    "assessment.amend": _l("New version started"),
    "assessment.follow_up": _l("Outcome recorded"),
    "review.comment": _l("Reviewer's comment"),
    "mitigation.update": _l("Mitigation followed up"),
}


def action_label(action: str) -> str:
    """The translated name of an action; unknown actions are shown as recorded."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action
