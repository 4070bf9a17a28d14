"""One exception tree for the whole library; the CLI turns these into one-line errors."""

from __future__ import annotations


class ReachoutError(Exception):
    """Base of every error reachout raises on purpose."""

    exit_code = 1


class BadInput(ReachoutError, ValueError):
    """The user's input (a name, a domain, a URL, a file row) cannot be used as given."""


class DataError(ReachoutError):
    """A patterns/ data file is missing or malformed."""


class LookupFailed(ReachoutError):
    """A network lookup (DNS, HTTP, SMTP) failed in a way that leaves nothing to report."""


class NotFound(ReachoutError):
    """A stored record (an application, a follow-up) does not exist."""


class StoreError(ReachoutError):
    """A file reachout keeps (the user directory, a cache, the tracker) cannot be opened or used."""


class BadAnswer(ReachoutError, ValueError):
    """A remote service's answer is not in the shape its API documents (a note for that source)."""
