"""The JSON API's OpenAPI 3.1 document, served at /api/openapi.json.

Each package that adds API endpoints describes them here at import time with `add_path` and
`add_schema`; `document()` assembles what has been registered. The document is public: it
describes the API and holds no data.
"""

from __future__ import annotations

import copy

from flask import Blueprint, jsonify

OPENAPI_VERSION = "3.1.0"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# The JSON Schema types every API's description is built from.
STRING, INTEGER, BOOLEAN, NUMBER = ({"type": t} for t in ("string", "integer", "boolean", "number"))
TIME = {"type": "string", "format": "date-time"}

INFO = {
    "title": "HoiThi API",
    "version": "1",
    "description": (
        "JSON API for staff. Sign in through the login page; the session cookie then "
        "authenticates every request. Requests that change data (POST, PUT, DELETE) must also "
        "carry the CSRF token in the `X-CSRFToken` header: it is the `content` of the "
        '`<meta name="csrf-token">` tag on any page of the site, and lives as long as the '
        "session. Without it the answer is 400 with `error: csrf`.\n\n"
        "Errors are JSON: 401 `unauthorized` when not signed in, 403 `forbidden` when no role "
        "of the account allows the request, 404 `not_found`, 422 with `errors` when a value "
        "breaks a rule."
    ),
}

SECURITY_SCHEMES = {
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": "session",
        "description": "The session cookie set by signing in at /login.",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": "X-CSRFToken",
        "description": 'The page\'s `<meta name="csrf-token">`; required on POST, PUT, DELETE.',
    },
}

_paths: dict[str, dict[str, dict]] = {}
_schemas: dict[str, dict] = {}


def add_path(path: str, method: str, operation: dict) -> None:
    """Describe one operation (`path` in OpenAPI form: /api/questions/{id})."""
    method = method.lower()
    if method not in METHODS:
        raise ValueError(f"not an HTTP method OpenAPI knows: {method!r}")
    operations = _paths.setdefault(path, {})
    # Registering the same thing twice is harmless (a module imported again); two different
    # descriptions of one operation are a mistake.
    if operations.get(method, operation) != operation:
        raise ValueError(f"{method.upper()} {path} is already described differently")
    operations[method] = operation


def add_schema(name: str, schema: dict) -> None:
    """A named schema under components.schemas, for `ref(name)`."""
    if _schemas.get(name, schema) != schema:
        raise ValueError(f"schema {name!r} is already defined differently")
    _schemas[name] = schema


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: dict, required=(), **extra) -> dict:
    """An object schema: `obj({"id": {"type": "integer"}}, ["id"])`."""
    schema = {"type": "object", "properties": properties, **extra}
    if required:
        schema["required"] = list(required)
    return schema


def json_response(description: str, schema: dict | None = None, **extra) -> dict:
    """A response object with an application/json body of `schema`."""
    response = {"description": description, **extra}
    if schema is not None:
        response["content"] = {"application/json": {"schema": schema}}
    return response


def document() -> dict:
    """The whole document, from everything registered so far (a copy: callers may change it)."""
    return copy.deepcopy(
        {
            "openapi": OPENAPI_VERSION,
            "info": INFO,
            "paths": {path: _paths[path] for path in sorted(_paths)},
            "components": {
                "schemas": {name: _schemas[name] for name in sorted(_schemas)},
                "securitySchemes": SECURITY_SCHEMES,
            },
        }
    )


bp = Blueprint("api_docs", __name__)


@bp.get("/api/openapi.json")
def openapi_json():
    """The OpenAPI document describing every API endpoint."""
    return jsonify(document())
