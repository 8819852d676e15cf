"""The four roles a user may hold, several at once, and where a role came from."""

from flask_babel import lazy_gettext as _l

from impact.core.enums import LabelledEnum


class Role(LabelledEnum):
    case_officer = "case_officer", _l("Case officer")
    reviewer = "reviewer", _l("Reviewer")
    auditor = "auditor", _l("Auditor")
    admin = "admin", _l("Administrator")
    # Keeps the minutes of the committees they are assigned to (User.committees) and records their decisions.
    committee_secretary = "committee_secretary", _l("Committee secretary")


class RoleSource(LabelledEnum):
    manual = "manual", _l("Granted by an administrator")
    group = "group", _l("From the municipality's groups")
