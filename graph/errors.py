"""Errors of the graph layer, each with a stable code so a message is easy to find."""

from __future__ import annotations

__all__ = [
    "NotAStoreError",
    "QuerySyntaxError",
    "ReadOnlyError",
    "RemoteError",
    "RemoteQueryError",
    "StoreError",
    "StoreLockedError",
]


class StoreError(Exception):
    """A problem with the store; the message is one readable line."""

    code = "E100"

    def __str__(self) -> str:
        return f"[{self.code}] {super().__str__()}"


class NotAStoreError(StoreError):
    code = "E101"


class StoreLockedError(StoreError):
    code = "E102"


class ReadOnlyError(StoreError):
    code = "E201"


class QuerySyntaxError(StoreError):
    code = "E202"


class RemoteError(StoreError):
    """A remote SPARQL endpoint or graph store could not be reached, or answered with an error."""

    code = "E301"


class RemoteQueryError(RemoteError):
    """A remote SPARQL endpoint refused a query as invalid or not allowed (HTTP 400 or 403)."""

    code = "E302"
