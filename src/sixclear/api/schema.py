"""OpenAPI additions: the shared error shape on every operation, the Idempotency-Key header
on every POST, and the token security scheme."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error has this shape; `fields` names each bad field.",
    "properties": {
        "code": {"type": "string"},
        "message": {"type": "string"},
        "fields": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["code", "message", "fields"],
}

IDEMPOTENCY_HEADER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "description": "Any unique string (e.g. a UUID). A retry with the same key and the same "
    "body replays the first response and creates nothing twice; the same key with another "
    "body answers 422. Keys are kept for 24 hours.",
    "schema": {"type": "string", "maxLength": 255, "minLength": 1},
}

DESCRIPTIONS = {
    "400": "The request is not valid; `fields` names each bad field.",
    "401": "No valid token or session.",
    "403": "Your role does not allow this.",
    "404": "Not found, or you may not see it.",
    "409": "Someone else changed the record after you read it (send the version you read).",
    "422": "This Idempotency-Key was already used for another request.",
    "429": "Too many requests: wait for the number of seconds in Retry-After.",
    "503": "The database is briefly out of reach (code `unavailable`): try again after the "
           "seconds in Retry-After; a write sent again with the same Idempotency-Key is applied "
           "at most once.",
}


def add_error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            codes = ["400", "401", "403", "404", "429", "503"]
            if method in ("post", "patch", "put"):
                codes.append("409")
            if method == "post":
                codes.append("422")
                parameters = operation.setdefault("parameters", [])
                if not any(p.get("name") == "Idempotency-Key" for p in parameters):
                    parameters.append(IDEMPOTENCY_HEADER)
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {
                    "description": DESCRIPTIONS[code],
                    "content": {"application/json": {"schema": ref}},
                })
    return result


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "sixclear.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token created on /accounts/api-tokens/.",
        }
