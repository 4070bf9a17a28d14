"""Public evidence of a domain's address format: people's addresses at the domain as public sources
show them (the company's own pages, GitHub commits, mailing-list archives, OpenPGP keyservers, research
papers), kept as weighted (name, address) pairs that the guesser learns from.

One module per source (site, github, mailarchive, keyserver, europepmc), each reading its real API
through the polite HTTP layer and the one decoder, within a request budget per domain; `pairs` turns
raw hits into evidence; `gather` asks the sources in parallel; `store` keeps the result 30 days.
"""

from __future__ import annotations

from reachout.evidence.gather import Evidence, find_evidence, saved_evidence
from reachout.evidence.hits import Hit, SourceReport
from reachout.evidence.pairs import EvidencePair

__all__ = ["Evidence", "EvidencePair", "Hit", "SourceReport", "find_evidence", "saved_evidence"]
