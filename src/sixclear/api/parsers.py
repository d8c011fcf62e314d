"""The API's JSON parser, with limits on a body's size and nesting (ASVS V13.1).

Python's JSON decoder recurses once per nesting level, so a body of 100,000 "[" raised
RecursionError (a 500, and an HTML page in production). No request of this API nests deeper than
a few levels or needs more than a few hundred kilobytes: the body is refused with a 400 in the
API's error format beyond SIXCLEAR_API_MAX_BODY_BYTES or SIXCLEAR_API_MAX_JSON_DEPTH.
"""

import io

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


def nesting_depth(data, limit):
    """How deep `data` nests (a scalar is 0), counting no further than `limit` + 1."""
    deepest, pending = 0, [(data, 0)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict):
            value = value.values()
        elif not isinstance(value, list):
            continue
        depth += 1
        deepest = max(deepest, depth)
        if deepest > limit:
            return deepest
        pending.extend((item, depth) for item in value)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.SIXCLEAR_API_MAX_BODY_BYTES
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(_("The request body is larger than %(limit)s bytes.") % {
                "limit": limit})
        max_depth = settings.SIXCLEAR_API_MAX_JSON_DEPTH
        try:
            data = super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError:
            too_deep = True
        else:
            too_deep = nesting_depth(data, max_depth) > max_depth
        if too_deep:
            raise ParseError(_("The JSON is nested more than %(limit)s levels deep.") % {
                "limit": max_depth})
        return data
