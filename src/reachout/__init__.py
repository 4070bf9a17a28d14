"""reachout: find, check and follow up with the right person at a company."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
USER_AGENT = f"reachout/{__version__} (+https://github.com/reachout-tools/reachout)"

# The public API: each name, and the module that owns it (imported on first use, so that
# `import reachout` and `reachout --help` stay fast). tests/test_public_api.py pins this list.
_EXPORTS = {
    "guess": "reachout.guessing",
    "Guess": "reachout.guessing",
    "Candidate": "reachout.guessing",
    "parse_name": "reachout.guessing",
    "NameParts": "reachout.guessing",
    "KnownAddress": "reachout.guessing",
    "infer_domain_format": "reachout.guessing",
    "find_domain": "reachout.company",
    "DomainMatch": "reachout.company",
    "DomainCandidate": "reachout.company",
    "check_domain": "reachout.mail.dnscheck",
    "check_domains": "reachout.mail.dnscheck",
    "DomainReport": "reachout.mail.dnscheck",
    "verify_address": "reachout.mail.verify",
    "verify_addresses": "reachout.mail.verify",
    "verify_guess": "reachout.mail.verify",
    "AddressReport": "reachout.mail.verify",
    "VerifiedGuess": "reachout.mail.verify",
    "build_brief": "reachout.research",
    "Brief": "reachout.research",
    "load_saved_brief": "reachout.research",
    "run_batch": "reachout.batch",
    "iter_results": "reachout.batch",
    "BatchSummary": "reachout.batch",
    "RowResult": "reachout.batch",
    "Tracker": "reachout.followup",
    "find_evidence": "reachout.evidence",
    "Evidence": "reachout.evidence",
}

__all__ = ["USER_AGENT", "__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'reachout' has no attribute {name!r}")
