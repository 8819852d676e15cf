"""The one registry of audit event types and of the names of what their ``changes`` hold, in both languages.

Every action passed to ``trail.record`` has a label here (tests/audit/test_audit_labels.py finds every call and fails
for one without); so does every key that can appear in ``changes``, and every value that is a code (a state, an
impact, a role) is shown by its enum's label. Nothing raw reaches the history or the audit trail.
"""

from flask_babel import lazy_gettext as _l

from impact.assessments.enums import (
    AssessmentStatus,
    CommitteeOutcome,
    Confidence,
    ConsultationMethod,
    Impact,
    MinorityAnswer,
    MitigationStatus,
    NationalMinority,
    Outcome,
)
from impact.auth.group_rules import GroupRuleKind
from impact.auth.roles import Role
from impact.core.enums import LabelledEnum
from impact.grounds.models import TemplateStatus
from impact.review.models import Section

EVENT_TYPES = {
    # Assessments, in the order they happen
    "assessment.create": _l("Assessment started"),
    "assessment.update": _l("Assessment changed"),
    "ground_answer.update": _l("Answer on a ground changed"),
    "assessment.add_author": _l("Co-author added"),
    "assessment.remove_author": _l("Co-author removed"),
    "assessment.submit": _l("Submitted for review"),
    "review.comment": _l("Reviewer's comment"),
    "assessment.return_for_changes": _l("Returned for changes"),
    "assessment.reopen": _l("Reopened for editing"),
    "assessment.approve": _l("Approved"),
    "assessment.withdraw": _l("Withdrawn"),
    "assessment.amend": _l("New version started"),
    "assessment.decide": _l("Committee's decision recorded"),
    "committee_decision.correct": _l("Committee's decision corrected"),
    "committee_cases.import": _l("Committee's list of cases imported"),
    "assessment.archive": _l("Archived"),
    "mitigation.update": _l("Mitigation followed up"),
    "assessment.follow_up": _l("Outcome recorded"),
    "ground_answer.actual_impact": _l("Actual impact recorded"),
    # Accounts
    "user.login": _l("Logged in"),
    "user.login_failed": _l("Sign-in refused"),
    "user.sync_from_provider": _l("Account updated from the municipality's groups"),
    "user.oidc_link_allowed": _l("Allowed to sign in with the municipality's account"),
    "user.oidc_link": _l("Linked to the municipality's account"),
    "user.create": _l("Account created"),
    "user.update": _l("Account changed"),
    "user.deactivate": _l("Account deactivated"),
    "user.reactivate": _l("Account reactivated"),
    "user.password_reset": _l("Password reset by an administrator"),
    "user.password_change": _l("Password changed"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    # Organisation, settings, grounds
    "department.create": _l("Department created"),
    "department.update": _l("Department changed"),
    "department.deactivate": _l("Department deactivated"),
    "department.reactivate": _l("Department reactivated"),
    "district.create": _l("District created"),
    "district.update": _l("District changed"),
    "district.deactivate": _l("District deactivated"),
    "district.reactivate": _l("District reactivated"),
    "area.create": _l("Area created"),
    "area.update": _l("Area changed"),
    "area.deactivate": _l("Area deactivated"),
    "area.reactivate": _l("Area reactivated"),
    "indicators.import": _l("Key figures imported"),
    "backup.request": _l("Backup of the whole database asked for"),
    "backup.download": _l("Backup of the whole database downloaded"),
    "indicator.update": _l("Key figure changed"),
    "group_kind.create": _l("Kind of group created"),
    "group_kind.update": _l("Kind of group changed"),
    "group_kind.deactivate": _l("Kind of group deactivated"),
    "group_kind.reactivate": _l("Kind of group reactivated"),
    "settings.update": _l("Settings changed"),
    "group_rule.create": _l("Group rule added"),
    "group_rule.remove": _l("Group rule removed"),
    "template.draft": _l("New draft of the grounds started"),
    "template.ground_add": _l("Ground added to the draft"),
    "template.ground_update": _l("Ground changed in the draft"),
    "template.ground_move": _l("Ground moved in the draft"),
    "template.ground_deactivate": _l("Ground deactivated in the draft"),
    "template.ground_activate": _l("Ground reactivated in the draft"),
    "template.child_rights_articles": _l("Articles of the Convention changed in the draft"),
    "template.publish": _l("Grounds published"),
    "accessibility_report.create": _l("Accessibility problem reported"),
    "accessibility_report.handled": _l("Accessibility report handled"),
    # The public register
    "public_register.open": _l("Public register opened"),
    "public_register.close": _l("Public register closed"),
    "public_register.published": _l("Published in the public register"),
    "public_register.removed": _l("Removed from the public register"),
    "public_register.keep_unpublished": _l("Kept out of the public register"),
    "public_register.release": _l("Allowed into the public register again"),
}

FIELD_LABELS = {
    # The proposal, the screening and the conclusion
    "title": _l("Title"),
    "case_number": _l("Case number"),
    "committee": _l("Committee"),
    "decision_date": _l("Planned decision date"),
    "description": _l("Description"),
    "purpose": _l("Purpose"),
    "concerns": _l("Who it concerns"),
    "whole_municipality": _l("The whole municipality"),
    "districts": _l("Districts"),
    "areas": _l("Areas"),
    "affects_people": _l("Affects people"),
    "screening_reason": _l("Why it does not affect people"),
    "consultations": _l("Consultations"),
    "no_consultation_reason": _l("Why nobody was heard"),
    "national_minority": _l("Concerns a national minority"),
    "minorities": _l("National minorities"),
    "minority_consulted": _l("The minority was consulted"),
    "minority_not_consulted_reason": _l("Why the minority was not consulted"),
    "overall_assessment": _l("Overall assessment"),
    "combined_effects": _l("Combined effects"),
    "alternatives": _l("Alternatives considered"),
    "effects": _l("How it would affect the grounds"),
    "why_not_chosen": _l("Why the proposal was preferred"),
    "analysis_outcome": _l("Outcome of the assessment"),
    "adjustments": _l("What was adjusted"),
    "outcome_justification": _l("Why continuing despite adverse impacts is justified"),
    "recommendation": _l("Recommendation"),
    "follow_up_date": _l("Follow-up date"),
    "part": _l("Part"),
    # The best interests of the child
    "concerns_children": _l("Concerns children"),
    "children": _l("Which children are concerned"),
    "child_districts": _l("Districts where the children live"),
    "districts_note": _l("More about where the children are"),
    "children_heard": _l("Children were heard"),
    "heard_how": _l("How the children were heard"),
    "not_heard_reason": _l("Why no children were heard"),
    "children_views": _l("What the children said"),
    "knowledge": _l("Other knowledge"),
    "child_rights": _l("Rights of the child concerned"),
    "conflicts": _l("Conflicts with other interests"),
    "child_alternatives": _l("Alternatives considered for the children"),
    "conclusion": _l("Conclusion on the child's best interests"),
    "against_reasons": _l("Why go ahead although a right is weakened"),
    "compensating_measures": _l("Compensating measures"),
    "feedback": _l("How the children are told"),
    # A ground's answer
    "ground": _l("Ground"),
    "relevant": _l("Relevant"),
    "not_relevant_reason": _l("Why not relevant"),
    "impact": _l("Impact"),
    "missing_information": _l("What is missing"),
    "affected_groups": _l("Affected groups"),
    "evidence": _l("Evidence"),
    "evidence_links": _l("Links"),
    "confidence": _l("Confidence"),
    "district_notes": _l("Districts affected differently"),
    "acceptance_justification": _l("Why the impact is accepted"),
    "mitigations": _l("Mitigations"),
    "actions": _l("Actions"),
    # Key figures: an import, and the grounds a key figure is shown on and its threshold for few individuals.
    "few_below": _l("Threshold for few individuals"),
    "value_counts_people": _l("The value is a number of people"),
    "figures": _l("Figures imported"),
    "replaced": _l("Figures replaced"),
    "indicators": _l("Key figures"),
    "years": _l("Years"),
    "grounds": _l("Grounds"),
    # The backup asked for and downloaded: the background job that made it, and the file's name.
    "job": _l("Background job"),
    "file": _l("File"),
    "remaining_impact": _l("Impact that remains after the actions"),
    "predicted_impact": _l("Predicted impact"),
    "actual_impact": _l("Actual impact"),
    "actual_comment": _l("Comment on the actual impact"),
    # Workflow, review and follow-up
    "status": _l("Status"),
    "authors": _l("Authors"),
    "user_id": _l("Person"),
    "comment": _l("Comment"),
    "body": _l("Comment"),
    "round": _l("Review round"),
    "amends": _l("New version of assessment"),
    "new_version": _l("New version"),
    "version_number": _l("Version"),
    "owner_id": _l("Owner"),
    "due_date": _l("Due date"),
    "dropped_reason": _l("Why it was dropped"),
    "outcome": _l("Outcome"),
    # The committee's decision
    "meeting_date": _l("Date of the meeting"),
    "paragraph": _l("Paragraph in the minutes"),
    "committee_outcome": _l("The committee's decision"),
    "analysis_changed": _l("The analysis changed the proposal"),
    "analysis_change": _l("How the analysis changed the proposal"),
    "minutes_reference": _l("The minutes"),
    "correction_reason": _l("Why it was corrected"),
    "committees": _l("Committees"),
    "added": _l("Added"),
    "already_there": _l("Already on the list"),
    # Accounts and tokens
    "email": _l("Email address"),
    "name": _l("Name"),
    "department": _l("Department"),
    "roles": _l("Roles"),
    "municipality_wide": _l("Whole municipality"),
    "active": _l("Active"),
    "must_change_password": _l("Must choose a new password"),
    "prefix": _l("Token begins with"),
    "via": _l("Made with"),
    "reason": _l("Reason"),
    "oidc_link_allowed": _l("May link to the municipality's account"),
    "group": _l("Group"),
    "kind": _l("Gives"),
    "role": _l("Role"),
    # Organisation and settings
    "code": _l("Code"),
    "handled": _l("Handled"),
    "municipality_name": _l("Name of the municipality"),
    "case_number_pattern": _l("Case number pattern"),
    "case_number_example": _l("Example case number"),
    "follow_up_reminder_days": _l("Follow-up reminder (days)"),
    "accessibility_statement_sv": _l("Accessibility statement in Swedish"),
    "child_rights_guidance_sv": _l("Guidance on children's rights in Swedish"),
    "child_rights_guidance_en": _l("Guidance on children's rights in English"),
    "accessibility_statement_en": _l("Accessibility statement in English"),
    "public_register": _l("Public register"),
    "published": _l("Published"),
    "unpublished_reason": _l("Why it is kept unpublished"),
    # The grounds' template
    "number": _l("Version"),
    "copied_from": _l("Copied from version"),
    "note": _l("Note"),
    "retired": _l("Retired version"),
    "key": _l("Ground"),
    "position": _l("Position"),
    "order": _l("Order"),
    "name_sv": _l("Name in Swedish"),
    "name_en": _l("Name in English"),
    "guidance_sv": _l("Guidance in Swedish"),
    "guidance_en": _l("Guidance in English"),
    "questions": _l("Guiding questions"),
    "articles": _l("Articles of the Convention on the Rights of the Child"),
}

# Where one key means something else in one kind of event.
EVENT_FIELD_LABELS = {
    ("review.comment", "concerns"): _l("Concerns"),
}

# Keys whose values are codes of an enum; "status" depends on what the event is about.
VALUE_ENUMS: dict[str, type[LabelledEnum]] = {
    "impact": Impact,
    "remaining_impact": Impact,
    "predicted_impact": Impact,
    "actual_impact": Impact,
    "confidence": Confidence,
    "analysis_outcome": Outcome,
    "national_minority": MinorityAnswer,
    "minorities": NationalMinority,
    "method": ConsultationMethod,
    "roles": Role,
    "role": Role,
    "kind": GroupRuleKind,
    "part": Section,
    "committee_outcome": CommitteeOutcome,
}
STATUS_ENUMS: dict[str, type[LabelledEnum]] = {
    "assessment": AssessmentStatus,
    "mitigation": MitigationStatus,
    "template": TemplateStatus,
}
# Other values that are codes rather than text.
VALUE_LABELS = {
    "via": {"cli": _l("The command line"), "oidc": _l("The municipality's account")},
    "reason": {
        "state": _l("The sign-in request was not recognised (expired, reused or from another browser)"),
        "provider_error": _l("The provider refused the sign-in"),
        "provider_unreachable": _l("The provider did not answer"),
        "id_token": _l("The identity token did not pass the checks"),
        "deactivated": _l("The account is deactivated"),
        "email_taken": _l("Another account has the email address"),
        "no_access": _l("No group gives access"),
    },
}


def event_label(action: str) -> str:
    """The translated name of an event type; an unknown one (a test keeps there being none) as recorded."""
    label = EVENT_TYPES.get(action)
    return str(label) if label is not None else action


def value_enum(action: str, key: str) -> type[LabelledEnum] | None:
    """The enum whose labels name the values of ``key`` in an event of type ``action``, if any."""
    if key == "status":
        return STATUS_ENUMS.get(action.split(".", 1)[0], AssessmentStatus)
    if key == "concerns" and action == "review.comment":
        return Section  # or a ground key, which the display resolves first
    return VALUE_ENUMS.get(key)
