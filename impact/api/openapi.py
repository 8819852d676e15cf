"""The OpenAPI 3.1 description of API v1; its schemas are JSON Schema 2020-12, which the tests validate against."""

from impact.assessments.child_rights import TEXT_FIELDS as CHILD_TEXT_FIELDS
from impact.assessments.enums import (
    AssessmentStatus,
    ChildRightEffect,
    CommitteeOutcome,
    Confidence,
    ConsultationMethod,
    Impact,
    MinorityAnswer,
    MitigationStatus,
    NationalMinority,
    Outcome,
)
from impact.assessments.filters import QUALITY_LABELS
from impact.reports.summary import HEAT_CLASSES

NULLABLE_STRING = {"type": ["string", "null"]}
NULLABLE_DATE = {"type": ["string", "null"], "format": "date"}
NULLABLE_DATETIME = {"type": ["string", "null"], "format": "date-time"}
COUNT = {"type": "integer", "minimum": 0}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERRORS = {
    "400": {"$ref": "#/components/responses/BadRequest"},
    "401": {"$ref": "#/components/responses/Unauthorized"},
}
FILTER_PARAMETERS = [
    {
        "name": "q",
        "in": "query",
        "description": "Words to search for in the title, case number, description, affected groups and evidence, "
        "with the database's full-text index (Swedish word forms on PostgreSQL); every word must match, the last "
        "one also as the start of a longer word.",
        "schema": {"type": "string", "maxLength": 200},
    },
    {
        "name": "status",
        "in": "query",
        "description": "Assessment status; repeat for several.",
        "schema": {"type": "array", "items": {"enum": [status.value for status in AssessmentStatus]}},
        "style": "form",
        "explode": True,
    },
    {"name": "department", "in": "query", "description": "Department code.", "schema": {"type": "string"}},
    {"name": "ground", "in": "query", "description": "Ground key (see /grounds).", "schema": {"type": "string"}},
    {
        "name": "district",
        "in": "query",
        "description": "District name; an assessment that names an area within the district counts for it too.",
        "schema": {"type": "string"},
    },
    {
        "name": "area",
        "in": "query",
        "description": "The code of an area within a district (as in the assessment's areas).",
        "schema": {"type": "string"},
    },
    {
        "name": "from",
        "in": "query",
        "description": "Created on or after this day (a day in Europe/Stockholm time, from its local midnight).",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "to",
        "in": "query",
        "description": "Created on or before this day (a day in Europe/Stockholm time, up to the next local midnight).",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "outcome",
        "in": "query",
        "description": "Outcome of the assessment; a screening-only assessment counts as no_major_change.",
        "schema": {"enum": [outcome.value for outcome in Outcome]},
    },
    {
        "name": "committee",
        "in": "query",
        "description": "The committee that decided the assessment, or, while none has, the one it goes to.",
        "schema": {"type": "string"},
    },
    {
        "name": "decision",
        "in": "query",
        "description": "The committee's decision; adopted: approved with or without changes; none: not yet decided.",
        "schema": {"enum": [*(outcome.value for outcome in CommitteeOutcome), "adopted", "none"]},
    },
    {
        "name": "quality",
        "in": "query",
        "description": "A quality check the assessment fails (as on the quality page).",
        "schema": {"enum": list(QUALITY_LABELS)},
    },
    {
        "name": "children",
        "in": "query",
        "description": (
            "concerns: the proposal concerns children; heard: and children were heard; weakened: and a right of the "
            "child is weakened."
        ),
        "schema": {"type": "string", "enum": ["concerns", "heard", "weakened"]},
    },
    {
        "name": "prediction",
        "in": "query",
        "description": "At follow-up, on a relevant ground (the ground filter, if given): recorded: an actual impact "
        "is recorded; held: it is the predicted one (the impact that remains after the actions, else the impact); "
        "missed: it is not.",
        "schema": {"enum": ["recorded", "held", "missed"]},
    },
    {
        "name": "owner_department",
        "in": "query",
        "description": "An action addressing a relevant ground is owned by a person of the department with this code; "
        "none: an action has no owner.",
        "schema": {"type": "string"},
    },
    {
        "name": "involvement",
        "in": "query",
        "description": "none: no consultation recorded (nobody was heard); kind-<id>: a consultation heard a group of "
        "that kind (the ids are in the assessment's involvement.consultations).",
        "schema": {"type": "string", "pattern": "^(none|kind-[0-9]+)$"},
    },
    {
        "name": "meeting_from",
        "in": "query",
        "description": "Decided at a committee meeting on or after this day.",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "meeting_to",
        "in": "query",
        "description": "Decided at a committee meeting on or before this day.",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "approved_from",
        "in": "query",
        "description": "Approved by the reviewer (decided_at) on or after this day (in Europe/Stockholm time).",
        "schema": {"type": "string", "format": "date"},
    },
    {
        "name": "approved_to",
        "in": "query",
        "description": "Approved by the reviewer (decided_at) on or before this day (in Europe/Stockholm time).",
        "schema": {"type": "string", "format": "date"},
    },
]


def _schemas() -> dict:
    ground_ref = {
        "key": {"type": "string"},
        "relevant": {"type": ["boolean", "null"]},
        "score": {"type": ["integer", "null"], "minimum": -2, "maximum": 2},
    }
    item = {
        "id": {"type": "integer"},
        "title": {"type": "string"},
        "case_number": {"type": "string"},
        "department": _ref("Department"),
        "status": {"enum": [status.value for status in AssessmentStatus]},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
        "submitted_at": NULLABLE_DATETIME,
        "decided_at": NULLABLE_DATETIME,
        "outcome": {"enum": [outcome.value for outcome in Outcome] + [None]},
        "districts": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The districts named, by name (an area's district among them).",
        },
        "areas": {"type": "array", "items": _ref("Area"), "description": "The areas within districts named."},
        "grounds": {"type": "array", "items": _ref("GroundScore")},
    }
    mitigation = {
        "id": {"type": "integer"},
        "description": {"type": "string"},
        "responsible": {"type": "string", "description": "A named external party; empty when a user owns it."},
        "owner": {**NULLABLE_STRING, "description": "The user responsible, if one is chosen."},
        "owner_department": {**NULLABLE_STRING, "description": "The code of the owner's department."},
        "due_date": NULLABLE_DATE,
        "cost": {"type": "string", "description": "Cost or resources the action needs, if given."},
        "grounds": {"type": "array", "items": {"type": "string"}, "description": "Keys of the grounds addressed."},
        "status": {"enum": [status.value for status in MitigationStatus]},
        "dropped_reason": {"type": "string"},
        "outcome": {"type": "string"},
    }
    ground_detail = {
        **ground_ref,
        "name": _ref("LocalizedName"),
        "impact": {"enum": [impact.value for impact in Impact] + [None]},
        "remaining_impact": {
            "enum": [impact.value for impact in Impact] + [None],
            "description": "The impact that remains once the mitigations are carried out; null when not given.",
        },
        "not_relevant_reason": {"type": "string"},
        "affected_groups": {"type": "string"},
        "evidence": {"type": "string"},
        "evidence_links": {"type": "string"},
        "confidence": {"enum": [confidence.value for confidence in Confidence] + [None]},
        "missing_information": {"type": "string"},
        "districts": {"type": "array", "items": {"type": "string"}},
        "areas": {"type": "array", "items": _ref("Area")},
        "district_notes": {"type": "string"},
        "acceptance_justification": {"type": "string"},
        "actual_outcome": {"type": "string"},
        "actual_impact": {
            "enum": [impact.value for impact in Impact] + [None],
            "description": "The impact that actually came about, recorded at follow-up; null until recorded.",
        },
        "actual_comment": {"type": "string"},
        "actual_recorded_at": NULLABLE_DATETIME,
        "prediction_held": {
            "type": ["boolean", "null"],
            "description": "Whether the actual impact is the predicted one (the remaining impact, else the impact); "
            "null until an actual impact is recorded.",
        },
        "mitigations": {
            "type": "array",
            "items": _ref("Mitigation"),
            "description": "The actions of the action plan that address this ground.",
        },
    }
    detail = {
        **item,
        "version_number": {"type": "integer"},
        "amends_id": {"type": ["integer", "null"]},
        "committee": NULLABLE_STRING,
        "decision_date": NULLABLE_DATE,
        "description": {"type": "string"},
        "purpose": {"type": "string"},
        "concerns": {"type": "string"},
        "whole_municipality": {"type": "boolean"},
        "affects_people": {"type": ["boolean", "null"]},
        "screening_reason": {"type": "string"},
        "involvement": {"anyOf": [_ref("Involvement"), {"type": "null"}]},
        "child_rights": {"anyOf": [_ref("ChildRights"), {"type": "null"}]},
        "overall_assessment": {"type": "string"},
        "combined_effects": {"type": "string"},
        "actions": {"type": "array", "items": _ref("Mitigation"), "description": "The action plan."},
        "outcome_adjustments": {"type": "string"},
        "outcome_justification": {"type": "string"},
        "alternatives": {"type": "array", "items": _ref("Alternative")},
        "recommendation": {"type": "string"},
        "follow_up_date": NULLABLE_DATE,
        "authors": {"type": "array", "items": {"type": "string"}},
        "decided_by": NULLABLE_STRING,
        "committee_decision": {"anyOf": [_ref("CommitteeDecision"), {"type": "null"}]},
        "grounds": {"type": "array", "items": _ref("GroundDetail")},
    }
    classes = {klass: COUNT for klass in HEAT_CLASSES}
    summary = {
        "filters": {"type": "object"},
        "total": COUNT,
        "by_status": {"type": "object", "additionalProperties": COUNT},
        "by_department": {
            "type": "array",
            "items": _object(
                {
                    "department": {"type": "string"},
                    "name": {"type": "string"},
                    "by_status": {"type": "object", "additionalProperties": COUNT},
                }
            ),
        },
        "impacts": {
            "type": "array",
            "items": _object({"department": {"type": "string"}, "ground": {"type": "string"}, **classes}),
        },
        "impacts_by_ground": {"type": "array", "items": _object({"ground": {"type": "string"}, **classes})},
        "most_negative_ground": NULLABLE_STRING,
        "unmitigated": _object({"assessments": COUNT, "by_ground": {"type": "object", "additionalProperties": COUNT}}),
        "overdue": _object({"mitigations": COUNT, "assessments_with_overdue_mitigations": COUNT, "follow_ups": COUNT}),
        "quarters": {
            "type": "array",
            "items": _object(
                {
                    "quarter": {"type": "string", "pattern": "^[0-9]{4}-Q[1-4]$"},
                    "start": {"type": "string", "format": "date"},
                    "end": {"type": "string", "format": "date"},
                    "assessments": COUNT,
                    "with_negative_impact": COUNT,
                }
            ),
        },
    }
    return {
        "LocalizedName": _object({"sv": {"type": "string"}, "en": {"type": "string"}}),
        "Department": _object({"code": {"type": "string"}, "name": {"type": "string"}}),
        "Area": _object(
            {
                "code": {"type": "string", "description": "The code the statistics use (e.g. SCB's RegSO code)."},
                "name": {"type": "string"},
                "district": {"type": "string", "description": "The name of the district the area lies in."},
            }
        ),
        "Ground": _object({"key": {"type": "string"}, "name": _ref("LocalizedName")}),
        "GroundList": _object({"grounds": {"type": "array", "items": _ref("Ground")}}),
        "GroundScore": _object(ground_ref),
        "GroundDetail": _object(ground_detail),
        "Mitigation": _object(mitigation),
        "Alternative": _object(
            {"description": {"type": "string"}, "effects": {"type": "string"}, "why_not_chosen": {"type": "string"}}
        ),
        "ChildRights": _object(
            {
                "required": {"type": "boolean"},
                "concerns_children": {"type": ["boolean", "null"]},
                "children_heard": {"type": ["boolean", "null"]},
                "districts": {"type": "array", "items": {"type": "string"}},
                **{name: {"type": "string"} for name in CHILD_TEXT_FIELDS},
                "rights": {
                    "type": "array",
                    "items": _object(
                        {
                            "article": {"type": "integer", "minimum": 1, "maximum": 54},
                            "effect": {"enum": [effect.value for effect in ChildRightEffect] + [None]},
                            "short_term": {"type": "string"},
                            "long_term": {"type": "string"},
                        }
                    ),
                },
            }
        ),
        "GroupKind": _object({"id": {"type": "integer"}, "name": _ref("LocalizedName")}),
        "Consultation": _object(
            {
                "group_kind": {"anyOf": [_ref("GroupKind"), {"type": "null"}]},
                "group_name": {"type": "string"},
                "method": {"enum": [method.value for method in ConsultationMethod] + [None]},
                "held_on": NULLABLE_DATE,
                "participants": {"type": ["integer", "null"], "minimum": 0},
                "views": {"type": "string"},
                "changes_made": {"type": "string"},
            }
        ),
        "Involvement": _object(
            {
                "required": {"type": "boolean"},
                "consultations": {"type": "array", "items": _ref("Consultation")},
                "no_consultation_reason": {"type": "string"},
                "national_minority": {"enum": [answer.value for answer in MinorityAnswer] + [None]},
                "minorities": {"type": "array", "items": {"enum": [minority.value for minority in NationalMinority]}},
                "minority_consulted": {"type": ["boolean", "null"]},
                "minority_not_consulted_reason": {"type": "string"},
            }
        ),
        "CommitteeDecision": _object(
            {
                "committee": {"type": "string"},
                "meeting_date": {"type": "string", "format": "date"},
                "paragraph": {"type": "string"},
                "outcome": {"enum": [outcome.value for outcome in CommitteeOutcome]},
                "analysis_changed": {"type": "boolean"},
                "analysis_change": {"type": "string"},
                "minutes_reference": {"type": "string"},
                "recorded_at": {"type": "string", "format": "date-time"},
                "corrected_at": NULLABLE_DATETIME,
            }
        ),
        "AssessmentItem": _object(item),
        "Assessment": _object(detail),
        "AssessmentPage": _object(
            {
                "items": {"type": "array", "items": _ref("AssessmentItem")},
                "page": {"type": "integer", "minimum": 1},
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "total": COUNT,
                "pages": COUNT,
            }
        ),
        "Summary": _object(summary),
        "Error": _object(
            {
                "error": _object(
                    {"status": {"type": "integer"}, "message": {"type": "string"}},
                )
            }
        ),
    }


def openapi_document() -> dict:
    """The whole document, built fresh so enum values always match the code."""
    error = _json(_ref("Error"), "Error")
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Impact API",
            "version": "1.0.0",
            "description": (
                "Read-only access to equality impact assessments. Authenticate with a personal API token "
                "(created on your profile page): `Authorization: Bearer <token>`. The API sees exactly what "
                "the token's user may see."
            ),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            "/grounds": {
                "get": {
                    "summary": "The grounds, with keys and names",
                    "responses": {"200": _json(_ref("GroundList"), "The grounds"), "401": ERRORS["401"]},
                }
            },
            "/assessments": {
                "get": {
                    "summary": "Assessments the user may see, newest first",
                    "parameters": [
                        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
                        {
                            "name": "per_page",
                            "in": "query",
                            "schema": {"type": "integer", "minimum": 1, "maximum": 100},
                        },
                        *FILTER_PARAMETERS,
                    ],
                    "responses": {"200": _json(_ref("AssessmentPage"), "One page of assessments"), **ERRORS},
                }
            },
            "/assessments/{id}": {
                "get": {
                    "summary": "Everything about one assessment, mitigations included",
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                    "responses": {
                        "200": _json(_ref("Assessment"), "The assessment"),
                        "401": ERRORS["401"],
                        "404": {"$ref": "#/components/responses/NotFound"},
                    },
                }
            },
            "/summary": {
                "get": {
                    "summary": "The dashboard's figures under the same filters",
                    "parameters": FILTER_PARAMETERS,
                    "responses": {"200": _json(_ref("Summary"), "The figures"), **ERRORS},
                }
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "responses": {"200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {}}}},
                }
            },
        },
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "responses": {
                "BadRequest": {**error, "description": "A filter or parameter is not valid"},
                "Unauthorized": {**error, "description": "No token, an unknown token or a revoked token"},
                "NotFound": {**error, "description": "No such assessment, or not one the user may see"},
            },
            "schemas": _schemas(),
        },
    }
