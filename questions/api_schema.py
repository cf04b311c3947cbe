"""The OpenAPI description of the bank's JSON API (questions/api.py), in the shared document."""

from __future__ import annotations

from contest import openapi
from contest.openapi import BOOLEAN, INTEGER, NUMBER, STRING, TIME
from questions.api import (
    MAX_PER_PAGE,
    PER_PAGE,
    question_create,
    question_get,
    question_list,
    question_update,
)
from questions.models import Level, QuestionType, Status
from questions.search import SORTS

TEXTS = {"type": "array", "items": STRING}
OPTION = openapi.obj({"text": STRING, "correct": BOOLEAN, "feedback": STRING, "weight": NUMBER})
OPTIONS = {"type": "array", "minItems": 2, "maxItems": 8, "items": {**OPTION, "required": ["text"]}}
TYPE_KEYS = {  # each type's own keys (docs/question-content.md), and the required ones
    "single": ({"options": OPTIONS}, ["options"]),
    "multiple": ({"options": OPTIONS, "scoring": {"enum": ["all_or_nothing", "partial"]}}, []),
    "true_false": ({"answer": BOOLEAN}, ["answer"]),
    "short_text": ({"accepted": {**TEXTS, "minItems": 1}, "ignore_diacritics": BOOLEAN}, []),
    "numeric": ({"value": NUMBER, "tolerance": {**NUMBER, "minimum": 0}, "unit": STRING}, []),
    "ordering": ({"items": {**TEXTS, "minItems": 2, "maxItems": 8}}, ["items"]),
    "open": ({"guidance": STRING}, []),
}
DETAILS = {
    "level": {"enum": [level.value for level in Level], "default": "recall"},
    "points": {**INTEGER, "minimum": 0, "maximum": 1000, "default": 10},
    "time_limit_s": {**INTEGER, "minimum": 5, "maximum": 3600, "default": 30},
    "source": openapi.obj({"document": STRING, "section": STRING, "url": STRING}),
}
PROBLEM = openapi.obj({"field": STRING, "code": STRING, "message": STRING})
SCHEMAS = {
    "Content": {
        "description": "A question's content, answers included: see docs/question-content.md.",
        "oneOf": [
            openapi.obj(
                {"type": {"const": kind}, "stem": STRING, "explanation": STRING, **keys},
                ["type", "stem", *required],
                title=kind,
            )
            for kind, (keys, required) in TYPE_KEYS.items()
        ],
    },
    "QuestionVersion": openapi.obj(
        {
            "number": INTEGER,
            "type": {"enum": [kind.value for kind in QuestionType]},
            "content": openapi.ref("Content"),
            **DETAILS,
            "image": {"type": ["string", "null"], "description": "its URL (staff only)"},
            "created_at": TIME,
        }
    ),
    "Question": openapi.obj(
        {
            "id": INTEGER,
            "key": {"type": ["string", "null"]},
            "status": {"enum": [status.value for status in Status]},
            "revision": INTEGER,
            "approved_revision": {"type": ["integer", "null"]},
            "themes": {
                "type": "array",
                "items": openapi.obj({"id": INTEGER, "short_name": STRING}),
            },
            "tags": TEXTS,
            "author": {
                "oneOf": [
                    openapi.obj({"id": INTEGER, "username": STRING, "full_name": STRING}),
                    {"type": "null"},
                ]
            },
            "created_at": TIME,
            "updated_at": TIME,
            "version": openapi.ref("QuestionVersion"),
            "changed": {**BOOLEAN, "description": "PUT only: whether anything was saved"},
        }
    ),
    "QuestionInput": openapi.obj(
        {
            "content": openapi.ref("Content"),
            **DETAILS,
            "themes": {"type": "array", "items": INTEGER, "description": "active theme ids"},
            "tags": TEXTS,
            "base_revision": {**INTEGER, "description": "PUT only, required: the revision read"},
        },
        ["content"],
        description=(
            "A question to save. Fields left out take their defaults, on PUT too; a PUT keeps "
            "the version's image (images are uploaded on the question's page)."
        ),
    ),
    "Page": openapi.obj(
        {
            "items": {"type": "array", "items": openapi.ref("Question")},
            **{key: INTEGER for key in ("page", "per_page", "total", "pages")},
            "total_is_exact": {"type": "boolean"},
            "has_next": {"type": "boolean"},
        }
    ),
    "Error": openapi.obj(
        {"error": STRING, "message": STRING, "current_revision": INTEGER}, ["error"]
    ),
    "ValidationErrors": openapi.obj(
        {
            "errors": {
                "type": "array",
                "items": {**PROBLEM, "required": list(PROBLEM["properties"])},
            }
        },
        ["errors"],
    ),
}
ERRORS = {
    400: "The X-CSRFToken header is missing or wrong (`csrf`).",
    401: "Not signed in (`unauthorized`).",
    403: "No role of the account allows this (`forbidden`).",
    404: "No such question (`not_found`).",
    409: "`changed`: someone saved after `base_revision` (`current_revision` says which is "
    "current); nothing was written. `retired`: reopen the question first.",
    422: "Every value that breaks a rule; `field` is a path into the body or the query.",
}
QUERY = {
    "q": (STRING, "words, matched without regard to accents or case"),
    "theme": (INTEGER, "a theme id"),
    "tag": (STRING, "a tag name"),
    "type": ({"enum": [kind.value for kind in QuestionType]}, "the current version's type"),
    "level": ({"enum": [level.value for level in Level]}, "the current version's level"),
    "status": ({"enum": [status.value for status in Status]}, "the workflow status"),
    "author": (INTEGER, "the author's user id"),
    "used": ({"enum": ["used", "unused"]}, "drawn into a contest at least once, or never"),
    "sort": ({"enum": list(SORTS), "default": "updated"}, "updated: latest change first"),
    "page": ({**INTEGER, "minimum": 1, "default": 1}, "past the last page: the last page"),
    "per_page": (
        {**INTEGER, "minimum": 1, "maximum": MAX_PER_PAGE, "default": PER_PAGE},
        "page size",
    ),
}


def _describe(path: str, method: str, view, ok: dict, errors, body=None, query=None) -> None:
    """Add one operation to the document; one with a body writes, so it needs the CSRF header."""
    responses = {str(status): response for status, response in ok.items()}
    for status in errors:
        schema = openapi.ref("ValidationErrors" if status == 422 else "Error")
        responses[str(status)] = openapi.json_response(ERRORS[status], schema)
    operation = {
        "tags": ["questions"],
        "summary": view.__doc__,
        "security": [{"session": [], "csrf": []} if body else {"session": []}],
        "responses": responses,
    }
    parameters = [
        {"name": name, "in": "query", "schema": schema, "description": text}
        for name, (schema, text) in (query or {}).items()
    ]
    if "{id}" in path:
        parameters.append({"name": "id", "in": "path", "required": True, "schema": INTEGER})
    if parameters:
        operation["parameters"] = parameters
    if body:
        json_body = {"application/json": {"schema": openapi.ref(body)}}
        operation["requestBody"] = {"required": True, "content": json_body}
    openapi.add_path(path, method, operation)


for _name, _schema in SCHEMAS.items():
    openapi.add_schema(_name, _schema)
_QUESTION = openapi.json_response("The question", openapi.ref("Question"))
_PAGE = openapi.json_response("A page of questions", openapi.ref("Page"))
_describe("/api/questions", "get", question_list, {200: _PAGE}, (401, 403, 422), query=QUERY)
_describe("/api/questions/{id}", "get", question_get, {200: _QUESTION}, (401, 403, 404))
_describe(
    "/api/questions",
    "post",
    question_create,
    {201: {**_QUESTION, "headers": {"Location": {"schema": STRING}}}},
    (400, 401, 403, 422),
    body="QuestionInput",
)
_describe(
    "/api/questions/{id}",
    "put",
    question_update,
    {200: _QUESTION},
    (400, 401, 403, 404, 409, 422),
    body="QuestionInput",
)
