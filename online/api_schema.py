"""The OpenAPI description of the taking API (online/api.py), in the shared document."""

from __future__ import annotations

from contest import openapi
from contest.openapi import BOOLEAN, INTEGER, NUMBER, STRING, TIME
from online import taking
from online.api import (
    answer_put,
    attempt_get,
    attempt_result,
    attempt_start,
    attempt_submit,
    prediction_put,
)

NULLABLE_TIME = {"type": ["string", "null"], "format": "date-time"}
ENTRY = openapi.obj({"index": INTEGER, "text": STRING}, ["index", "text"])
SCHEMAS = {
    "OnlineQuestion": openapi.obj(
        {
            "position": INTEGER,
            "type": {
                "enum": ["single", "multiple", "true_false", "short_text", "numeric"]
                + ["ordering", "open"]
            },
            "stem_html": {**STRING, "description": "sanitised HTML"},
            "points": INTEGER,
            "image_url": STRING,
            "options": {"type": "array", "items": ENTRY, "description": "in the order shown"},
            "items": {"type": "array", "items": ENTRY, "description": "ordering, as shown"},
            "unit": {**STRING, "description": "numeric: shown after the box"},
        },
        ["position", "type", "stem_html", "points"],
        description="A question as a participant sees it: never the answer.",
    ),
    "OnlineAttempt": openapi.obj(
        {
            "attempt": {**STRING, "description": "the attempt token"},
            "number": INTEGER,
            "contest": openapi.obj({"title": STRING}),
            "round": openapi.obj(
                {
                    "id": INTEGER,
                    "number": INTEGER,
                    "title": STRING,
                    "one_per_screen": BOOLEAN,
                    "time_limit_s": INTEGER,
                    "grace_s": INTEGER,
                }
            ),
            "started_at": TIME,
            "deadline": TIME,
            "server_now": TIME,
            "seconds_left": NUMBER,
            "submitted": BOOLEAN,
            "questions": {"type": "array", "items": openapi.ref("OnlineQuestion")},
            "answers": {
                "type": "object",
                "description": "by position: the saved response in shown indices",
                "additionalProperties": openapi.obj({"response": {}, "saved_at": TIME}),
            },
            "prediction": {
                "oneOf": [
                    openapi.obj({"question": STRING, "response": {"type": ["integer", "null"]}}),
                    {"type": "null"},
                ]
            },
            "links": openapi.obj({"page": STRING, "result": STRING}),
        }
    ),
    "OnlineResult": openapi.obj(
        {
            "attempt": STRING,
            "submitted_at": TIME,
            "finalised_by": {"enum": [taking.PARTICIPANT, taking.SERVER]},
            "score": NUMBER,
            "max_score": NUMBER,
            "full_marks": {**INTEGER, "description": "questions answered with full marks"},
            "question_count": INTEGER,
            "time_taken_ms": INTEGER,
            "prediction": {"type": ["integer", "null"]},
            "review_policy": {"enum": ["immediately", "after_close", "never"]},
            "review_from": NULLABLE_TIME,
            "review": {
                "type": ["array", "null"],
                "description": "per question, with the right answer: only when the policy allows",
                "items": {"type": "object"},
            },
        }
    ),
    "OnlineError": openapi.obj({"error": STRING, "message": STRING}, ["error", "message"]),
    "OnlineStart": openapi.obj(
        {"participant": {**STRING, "description": "the personal link's token"}, "round": INTEGER},
        ["participant", "round"],
    ),
    "OnlineAnswer": openapi.obj(
        {"response": {"description": "shown indices: int, [int], bool or text, by type"}},
        ["response"],
    ),
    "OnlinePrediction": openapi.obj({"prediction": {**INTEGER, "minimum": 0}}, ["prediction"]),
    "OnlineSaved": openapi.obj(
        {"saved": BOOLEAN, "position": INTEGER, "prediction": INTEGER, "saved_at": TIME}
    ),
}
ERRORS = {
    403: "`not_registered`: the person is registered for another contest.",
    404: "`unknown_attempt`, `unknown_participant`, `unknown_round`, `no_such_question`.",
    409: "`submitted` (no more changes), `not_open`, `no_attempts_left`, `not_submitted`.",
    410: "`past_deadline`: the deadline plus the grace period has passed.",
    422: "`bad_request`, `bad_response` (wrong shape for the question), `no_prediction`.",
    429: "`too_many`: too many starts in a minute (per personal link and per address).",
    503: "`draw_failed`: the bank cannot fill the round's draw.",
}


def _describe(path: str, method: str, view, ok: tuple[int, str, str], errors, body=None) -> None:
    status, description, schema = ok
    responses = {str(status): openapi.json_response(description, openapi.ref(schema))}
    for code in errors:
        responses[str(code)] = openapi.json_response(ERRORS[code], openapi.ref("OnlineError"))
    operation = {
        "tags": ["online"],
        "summary": view.__doc__,
        "security": [],  # the attempt token in the path (or the personal token in the body)
        "responses": responses,
    }
    if "{token}" in path:
        operation["parameters"] = [
            {"name": "token", "in": "path", "required": True, "schema": STRING}
        ]
    if "{position}" in path:
        operation["parameters"].append(
            {"name": "position", "in": "path", "required": True, "schema": INTEGER}
        )
    if body:
        json_body = {"application/json": {"schema": openapi.ref(body)}}
        operation["requestBody"] = {"required": True, "content": json_body}
    openapi.add_path(path, method, operation)


for _name, _schema in SCHEMAS.items():
    openapi.add_schema(_name, _schema)
_BASE = "/api/online/attempts"
_ATTEMPT = (200, "The attempt", "OnlineAttempt")
_RESULT = (200, "The result", "OnlineResult")
_SAVED = (200, "Saved", "OnlineSaved")
_describe(
    _BASE,
    "post",
    attempt_start,
    (201, "Started; 200 when resumed", "OnlineAttempt"),
    (403, 404, 409, 422, 429, 503),
    body="OnlineStart",
)
_describe(f"{_BASE}/{{token}}", "get", attempt_get, _ATTEMPT, (404,))
_describe(
    f"{_BASE}/{{token}}/answers/{{position}}",
    "put",
    answer_put,
    _SAVED,
    (404, 409, 410, 422),
    body="OnlineAnswer",
)
_describe(
    f"{_BASE}/{{token}}/prediction",
    "put",
    prediction_put,
    _SAVED,
    (404, 409, 410, 422),
    body="OnlinePrediction",
)
_describe(f"{_BASE}/{{token}}/submit", "post", attempt_submit, _RESULT, (404,))
_describe(f"{_BASE}/{{token}}/result", "get", attempt_result, _RESULT, (404, 409))
