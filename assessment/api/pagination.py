"""Paging of API lists: ?limit= and ?offset=, with the limit capped so no number reaches the database unchecked."""

from rest_framework.pagination import LimitOffsetPagination


class CappedLimitOffsetPagination(LimitOffsetPagination):
    # Without a cap, ?limit=10**30 overflows the database's LIMIT (a 500 on PostgreSQL and SQLite alike).
    max_limit = 1000
