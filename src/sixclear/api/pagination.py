"""Cursor pagination with a stable order: the ordering asked for, then the id."""

from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "pk"


class StableOrdering(OrderingFilter):
    """The ordering the client asks for among `ordering_fields`, ended by the id so that pages
    never overlap. Only fields without empty values are offered: a cursor cannot point between
    empty values."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or ["pk"])
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            ordering.append("-pk" if ordering[0].startswith("-") else "pk")
        return ordering
