"""reachout: find, check and follow up with the right person at a company."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
USER_AGENT = f"reachout/{__version__} (+https://github.com/reachout-tools/reachout)"

__all__ = [
    "USER_AGENT", "DomainMatch", "Guess", "__version__", "find_domain", "guess", "parse_name"
]


def __getattr__(name: str) -> Any:
    # Lazy re-exports keep `import reachout` (and `reachout --help`) fast.
    if name in {"guess", "Guess", "Candidate", "parse_name", "NameParts"}:
        from reachout import guessing

        return getattr(guessing, name)
    if name in {"find_domain", "DomainMatch", "DomainCandidate"}:
        import reachout.company as _company

        return getattr(_company, name)
    raise AttributeError(f"module 'reachout' has no attribute {name!r}")
