"""The clues that a domain is a company's, weighed into one confidence (a small log-odds model).

Weights and thresholds live in patterns/company_domain.toml, set by hand until measured.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Any

from reachout.data import load_toml
from reachout.errors import DataError

STATUSES = ("found", "review", "not_found")


@dataclass
class Evidence:
    """One clue: its kind (a weight's name), what it says, where it was read, its weight."""

    kind: str
    detail: str
    source: str = ""
    weight: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "detail": self.detail, "source": self.source,
                "weight": self.weight}


@dataclass
class DomainCandidate:
    """One company the name may mean, with its website domain, mail domain and the clues."""

    name: str
    website_domain: str | None = None
    mail_domain: str | None = None
    website: str | None = None  # the home page address the domain came from
    website_source: str = ""  # wikidata | wikipedia | given | name
    mail_reason: str = ""
    description: str = ""
    wikidata: str | None = None
    wikipedia: str | None = None  # the English Wikipedia title
    parent: str | None = None  # the parent organisation's Q-id (Wikidata P749)
    facts: dict[str, str] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    score: float = 0.0
    confidence: float = 0.0

    def add(self, kind: str, detail: str, source: str = "") -> None:
        """Record a clue once (a kind counts once per candidate)."""
        if not any(e.kind == kind for e in self.evidence):
            self.evidence.append(Evidence(kind, detail, source))

    def has(self, kind: str) -> bool:
        return any(e.kind == kind for e in self.evidence)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "website_domain": self.website_domain,
            "mail_domain": self.mail_domain,
            "confidence": round(self.confidence, 4),
            "website": self.website,
            "website_source": self.website_source,
            "mail_reason": self.mail_reason,
            "description": self.description,
            "wikidata": self.wikidata,
            "wikipedia": self.wikipedia,
            "facts": dict(self.facts),
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class DomainMatch:
    """The answer for one name: the best candidate, the alternatives, and how sure we are."""

    query: str
    # found | review | not_found | failed (a source could not be asked, so "not found" is unknown)
    status: str = "not_found"
    best: DomainCandidate | None = None
    alternatives: list[DomainCandidate] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # sources that failed, and why
    # Companies the sources know by this name whose website gives no usable domain, and why.
    unusable: list[str] = field(default_factory=list)
    requests: int = 0  # HTTP requests that went over the network for this name

    @property
    def domain(self) -> str | None:
        """The mail domain to use, when the answer is sure enough (status found)."""
        return self.best.mail_domain if self.best and self.status == "found" else None

    @property
    def complete(self) -> bool:
        """False when a source failed, so "not found" may only mean "not known now"."""
        return not self.notes

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "status": self.status,
            "domain": self.domain,
            "best": self.best.to_dict() if self.best else None,
            "alternatives": [c.to_dict() for c in self.alternatives],
            "hints": dict(self.hints),
            "notes": list(self.notes),
            "unusable": list(self.unusable),
            "requests": self.requests,
        }


@dataclass(frozen=True)
class Model:
    prior: float
    weights: dict[str, float]
    found: float
    ambiguous_ratio: float
    show: float


@functools.lru_cache(maxsize=8)
def model(patterns: str | None = None) -> Model:
    """The weights and thresholds of patterns/company_domain.toml."""
    data = load_toml("company_domain", patterns)
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        limits = data["thresholds"]
        return Model(float(data["prior"]), weights, float(limits["found"]),
                     float(limits["ambiguous_ratio"]), float(limits["show"]))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise DataError(f"company_domain.toml needs prior, [weights] and [thresholds] ({exc}).") from None


def weigh(match: DomainMatch, candidates: list[DomainCandidate], patterns: str | None = None) -> None:
    """Score every candidate, turn scores into confidences, rank, and set MATCH's status.

    confidence_i = exp(s_i) / (1 + Σ_j exp(s_j)): the "1" is "none of these", so one candidate
    gets sigmoid(s) and rivals share the probability between them.
    """
    m = model(patterns)
    for candidate in candidates:
        for clue in candidate.evidence:
            if clue.kind not in m.weights:
                raise DataError(f"company_domain.toml has no weight for {clue.kind!r}.")
            clue.weight = m.weights[clue.kind]
        candidate.score = m.prior + sum(clue.weight for clue in candidate.evidence)
    top = max((c.score for c in candidates), default=0.0)
    # Shifted by the top score so exp() never overflows; the "none" term shifts with it.
    total = math.exp(-top) + sum(math.exp(c.score - top) for c in candidates)
    for candidate in candidates:
        candidate.confidence = math.exp(candidate.score - top) / total
    ranked = sorted(candidates, key=lambda c: -c.confidence)
    ranked = [c for c in ranked if c.mail_domain or c.website_domain]
    if not ranked:
        match.status = "not_found"
        return
    match.best = ranked[0]
    match.alternatives = [c for c in ranked[1:] if c.confidence >= m.show]
    rival = match.alternatives[0].confidence if match.alternatives else 0.0
    sure = match.best.confidence >= m.found and rival < m.ambiguous_ratio * match.best.confidence
    # A look-alike domain (TR 39) is never chosen unseen, however strong the rest of its evidence.
    sure = sure and not match.best.has("lookalike_domain")
    match.status = "found" if sure and match.best.mail_domain else "review"
