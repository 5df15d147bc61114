"""Errors of the graph layer, each with a stable code so a message is easy to find."""

from __future__ import annotations

__all__ = ["NotAStoreError", "QuerySyntaxError", "ReadOnlyError", "StoreError", "StoreLockedError"]


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
