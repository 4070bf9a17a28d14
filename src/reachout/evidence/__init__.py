"""Public evidence of a domain's address format: people's addresses at the domain as public sources
show them (the company's own pages, GitHub commits, mailing-list archives, OpenPGP keyservers, research
papers), kept as weighted (name, address) pairs that the guesser learns from.

One module per source (site, github, mailarchive, keyserver, europepmc), each reading its real API
through the polite HTTP layer and the one decoder, within a request budget per domain; `pairs` turns
raw hits into evidence; `gather` asks the sources in parallel; `store` keeps the result 30 days.
The names below are imported on first use: `guess` reads saved evidence without loading the HTTP layer.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Evidence": "reachout.evidence.gather",
    "find_evidence": "reachout.evidence.gather",
    "saved_evidence": "reachout.evidence.gather",
    "Hit": "reachout.evidence.hits",
    "SourceReport": "reachout.evidence.hits",
    "EvidencePair": "reachout.evidence.pairs",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'reachout.evidence' has no attribute {name!r}")
