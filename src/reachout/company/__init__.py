"""From a company's name to its website and mail domain: `find_domain("Acme Corp")`.

One module per concern: `names` folds and compares company names, `wiki` reads Wikidata's and
Wikipedia's answers, `evidence` weighs the clues into a confidence, `finder` asks the sources.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DomainCandidate", "DomainMatch", "Evidence", "find_domain", "resolve_company"]


def domain_for_company(company: str, **options: Any) -> tuple[str, str | None]:
    """COMPANY as it is when it is a domain, URL or address; else looked up by name (see
    reachout.company.finder.domain_for_company, which takes the same OPTIONS). Kept here so that a
    command given a domain never imports the HTTP stack: start-up is what a single user waits for."""
    from reachout.domains import looks_like_domain

    if looks_like_domain(company):
        return company, None
    from reachout.company.finder import domain_for_company as look_up

    return look_up(company, **options)


def __getattr__(name: str) -> Any:
    # Lazy: `import reachout.company` must not pull requests or lxml in.
    if name in {"find_domain", "resolve_company"}:
        from reachout.company import finder

        return getattr(finder, name)
    if name in {"DomainCandidate", "DomainMatch", "Evidence"}:
        from reachout.company import evidence

        return getattr(evidence, name)
    raise AttributeError(f"module 'reachout.company' has no attribute {name!r}")
