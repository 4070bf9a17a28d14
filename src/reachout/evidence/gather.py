"""`find_evidence`: ask the public sources in parallel for people's addresses at a domain, keep the
evidence, learn the domain's format from it, and save it for `guess`, `brief` and `batch`."""

from __future__ import annotations

import concurrent.futures
import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import requests

from reachout.evidence import github, site
from reachout.evidence import store as evidence_store
from reachout.evidence.hits import BudgetSpent, Hit, SourceReport, SourceRun
from reachout.evidence.pairs import EvidencePair, Rules, cap, load_rules, to_pairs
from reachout.guessing.known import KnownAddress
from reachout.guessing.learn import DomainFormat
from reachout.http import Fetcher, HttpConfig, build_session, network_requests
from reachout.research.endpoints import EVIDENCE_SOURCES, Endpoints


def now() -> datetime:
    """The time evidence is gathered at (one place, so the docs' examples can fix the day)."""
    return datetime.now(UTC)


# How long any one source may take for a domain (each request also has its own timeouts).
_SOURCE_DEADLINE = 30.0
# How long the GitHub source waits for the site's home page to name the organisation.
_SITE_WAIT = _SOURCE_DEADLINE


@dataclass
class Evidence:
    """What the public sources showed of a domain's people, and the format and naming custom they
    support. `pairs` is what the learner saw (capped); `people` how many were kept before the cap."""

    domain: str
    gathered_at: str
    expires_at: str
    sources: list[SourceReport]
    pairs: list[EvidencePair]
    people: int
    dropped: dict[str, int] = field(default_factory=dict)
    learned: DomainFormat | None = None
    notices: list[str] = field(default_factory=list)
    from_store: bool = False
    saved: bool = False  # kept in the user directory (read from it, or saved this time)
    requests: int = 0  # requests made this time (0 when read from the store)
    network_requests: int = 0  # of those, how many went over the network (not the HTTP cache)

    def known(self) -> list[KnownAddress]:
        """The pairs as the guesser's known addresses, each with its weight."""
        return [pair.known() for pair in self.pairs]

    def counts(self) -> dict[str, int]:
        """How many of the pairs the learner saw came from each source, largest first."""
        counts: dict[str, int] = {}
        for pair in self.pairs:
            counts[pair.source] = counts.get(pair.source, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

    def unreachable(self) -> list[str]:
        """Each host a source could not reach, once ('cannot reach api.github.com: …')."""
        return list(dict.fromkeys(line for s in self.sources for line in s.unreachable))

    @property
    def failed(self) -> bool:
        """Nothing found while a source could not be reached: no answer about the domain at all."""
        return not self.pairs and any(s.status == "failed" for s in self.sources)

    def summary(self) -> str:
        """'23 public addresses: github 17, site 4, mailarchive 2' ('' when there are none)."""
        if not self.pairs:
            return ""
        parts = ", ".join(f"{source} {count}" for source, count in self.counts().items())
        return f"{len(self.pairs)} public address{'es' if len(self.pairs) != 1 else ''}: {parts}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "gathered_at": self.gathered_at,
            "expires_at": self.expires_at,
            "people": self.people,
            "sources": [s.to_dict() for s in self.sources],
            "pairs": [p.to_dict() for p in self.pairs],
            "dropped": dict(self.dropped),
            "learned": self.learned.to_dict() if self.learned else None,
            # The naming customs the evidence favours, in words ('surnames: first of two').
            "custom": self.learned.convention_summary() if self.learned else "",
            "custom_shares": [{"dimension": d, "option": o, "share": round(s, 4)}
                              for d, o, s in (self.learned.convention_shares() if self.learned else [])],
            "notices": list(self.notices),
            "failed": self.failed,
            "from_store": self.from_store,
            "saved": self.saved,
            "requests": self.requests,
        }

    @classmethod
    def from_saved(cls, data: dict[str, Any], *, patterns: str | None = None) -> Evidence:
        """Evidence read back from the store (its format learnt again from its pairs)."""
        pairs = [EvidencePair.from_dict(p) for p in data.get("pairs") or [] if isinstance(p, dict)]
        domain = str(data["domain"])
        return cls(
            domain=domain,
            gathered_at=str(data["gathered_at"]),
            expires_at=str(data["expires_at"]),
            sources=[SourceReport.from_dict(s) for s in data.get("sources") or []
                     if isinstance(s, dict)],
            pairs=pairs,
            people=int(data.get("people") or len(pairs)),
            dropped={str(k): int(v) for k, v in (data.get("dropped") or {}).items()
                     if isinstance(v, int)},
            learned=learn(domain, pairs, patterns) if pairs else None,
            notices=[str(n) for n in data.get("notices") or [] if isinstance(n, str)],
            from_store=True,
            saved=True,
        )


def find_evidence(
    company: str,
    *,
    sources: Iterable[str] | None = None,
    refresh: bool = False,
    save: bool = True,
    allow_private: bool = False,
    session: requests.Session | None = None,
    config: HttpConfig | None = None,
    endpoints: Endpoints | None = None,
    patterns: str | None = None,
    max_pairs: int | None = None,
    today: datetime | None = None,
) -> Evidence:
    """Public evidence of COMPANY's address format (a domain, URL or address): people's addresses at
    its domain from its own site, GitHub commits, a mailing-list archive, a keyserver and Europe PMC.

    Saved evidence of the domain younger than 30 days is returned as it is unless REFRESH; new
    evidence is saved (SAVE) for `guess`. SOURCES picks some of them; a source that fails or has no
    answer becomes a note, never an error. ENDPOINTS (overridable base URLs, `off` sources), SESSION
    and CONFIG are those of the polite HTTP layer. MAX_PAIRS caps the pairs the learner sees.
    """
    from reachout.research.crawl import parse_company

    if config is None:
        config = getattr(session, "reachout_config", None) or HttpConfig.from_env(
            allow_private=allow_private)
    domain, origin = parse_company(company, allow_private=config.allow_private)
    if not refresh:
        saved = saved_evidence(domain, patterns=patterns)
        if saved is not None:
            return saved
    elif session is None and not config.refresh:
        config = dataclasses.replace(config, refresh=True)  # asked again, not read from the HTTP cache
    endpoints = endpoints or Endpoints.from_env()
    chosen = _chosen(sources, endpoints)
    rules = load_rules(patterns)
    own = session is None
    session = session or build_session(config)
    before = network_requests(session)
    today = today or now()
    try:
        reports, hits = _ask(domain, origin, chosen, rules, session, config, endpoints, today)
    finally:
        after = network_requests(session)
        if own:
            session.close()
    evidence = _evidence(domain, reports, hits, rules, patterns, max_pairs, today)
    evidence.requests = sum(r.requests for r in reports)
    evidence.network_requests = after - before
    skipped = [s for s in EVIDENCE_SOURCES if s not in chosen]
    evidence.sources += [SourceReport(s, skipped="turned off") for s in skipped]
    # Kept for 30 days, "no one found" would hide the domain's people once the network is back.
    if save and not evidence.failed:
        evidence.saved = True
        evidence_store.save(evidence.to_dict(), domain)
    return evidence


def _chosen(sources: Iterable[str] | None, endpoints: Endpoints) -> list[str]:
    from reachout.errors import BadInput

    wanted = [s.strip().lower() for s in sources] if sources is not None else list(EVIDENCE_SOURCES)
    unknown = [s for s in wanted if s not in EVIDENCE_SOURCES]
    if unknown:
        raise BadInput(f"Unknown evidence source {unknown[0]!r}; use {', '.join(EVIDENCE_SOURCES)}.")
    return [s for s in EVIDENCE_SOURCES if s in wanted and s not in endpoints.disabled]


def _ask(
    domain: str, origin: str | None, chosen: list[str], rules: Rules, session: requests.Session,
    config: HttpConfig, endpoints: Endpoints, today: datetime,
) -> tuple[list[SourceReport], list[Hit]]:
    """Every chosen source asked at once (each with its own fetcher and budget over one session)."""
    from reachout.domains import to_ascii

    # No source holds the others (or a guess waiting for them) longer than this. No retries: every
    # attempt counts against the source's budget (GitHub's 60 an hour), so a refused or failed
    # request is that source's note rather than two more requests past its budget.
    config = dataclasses.replace(config, run_deadline=min(config.run_deadline, _SOURCE_DEADLINE),
                                 retries=0)
    runs = {
        name: SourceRun(name, domain, Fetcher(session, _polite(config, rules, name),
                                              allowed_domains=[to_ascii(domain)]),
                        endpoints, rules.budget.get(name, 1), origin or "",
                        today.date().isoformat())
        for name in chosen
    }
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(runs))) as pool:
        site_future = pool.submit(_safely, runs["site"], lambda: site.gather(runs["site"])) \
            if "site" in runs else None

        def site_org() -> str | None:
            if site_future is None:
                return None
            try:
                found = site_future.result(timeout=_SITE_WAIT)
            except concurrent.futures.TimeoutError:
                return None
            return found.github_org if isinstance(found, site.SiteFindings) else None

        futures = {}
        for name, run in runs.items():
            if name == "site":
                continue
            task = _task(name, run, site_org)
            futures[name] = pool.submit(_safely, run, task)
        results: dict[str, Any] = {name: future.result() for name, future in futures.items()}
        if site_future is not None:
            results["site"] = site_future.result()
    hits: list[Hit] = []
    for name, result in results.items():
        found = result.hits if isinstance(result, site.SiteFindings) else result or []
        runs[name].report.hits = len(found)
        hits += found
    return [runs[name].report for name in chosen], hits


def _polite(config: HttpConfig, rules: Rules, source: str) -> HttpConfig:
    """CONFIG with SOURCE's requests at once to one host (evidence.toml's [at_once], one when it
    does not say), never more than CONFIG allows; the HTTP layer holds it across the process."""
    return dataclasses.replace(config, per_host=min(config.per_host, rules.at_once.get(source, 1)))


def _task(name: str, run: SourceRun, site_org: Callable[[], str | None]) -> Callable[[], Any]:
    from reachout.evidence import europepmc, keyserver, mailarchive

    if name == "github":
        def from_github() -> list[Hit]:
            saved = site.from_saved_brief(run.domain)
            org = (saved.github_org if saved else None) or github.organisation(run) or site_org()
            if org:
                return github.gather(run, org)
            return github.gather(run, github.org_from_domain(run.domain), guessed=True)
        return from_github
    gatherers: dict[str, Callable[[SourceRun], list[Hit]]] = {
        "mailarchive": mailarchive.gather, "keyserver": keyserver.gather,
        "europepmc": europepmc.gather,
    }
    return lambda: gatherers[name](run)


def _safely(run: SourceRun, task: Callable[[], Any]) -> Any:
    """TASK's result; a failing source becomes its note (it must never cost the others)."""
    try:
        return task()
    except BudgetSpent:
        run.note(f"Stopped at its budget of {run.budget} request(s) for the domain.")
    except Exception as exc:  # a bug or a hostile answer in one source: that source's note
        run.note(f"Failed: {type(exc).__name__}: {str(exc)[:200]}")
    return None


def _evidence(
    domain: str, reports: list[SourceReport], hits: list[Hit], rules: Rules, patterns: str | None,
    max_pairs: int | None, today: datetime | None,
) -> Evidence:
    moment = today or now()
    pairs, dropped = to_pairs(hits, domain, rules, patterns=patterns, today=moment)
    for report in reports:
        own = [p for p in pairs if p.source == report.source]
        report.people = len(own)
        if own:
            top = learn(domain, cap(own, rules.cap, rules), patterns).formats[0]
            report.format, report.share = top.pattern, top.probability
    seen = cap(pairs, rules.cap if max_pairs is None else max_pairs, rules)
    notices = []
    if len(seen) < len(pairs):
        notices.append(f"Learned from the {len(seen)} newest of {len(pairs)} people found.")
    gathered = moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    return Evidence(
        domain=domain, gathered_at=gathered, expires_at=evidence_store.expiry(gathered),
        sources=reports, pairs=seen, people=len(pairs), dropped=dropped,
        learned=learn(domain, seen, patterns) if seen else None, notices=notices,
    )


def learn(domain: str, pairs: list[EvidencePair], patterns: str | None = None) -> DomainFormat:
    """The format and naming custom PAIRS support, each counted by its weight."""
    from reachout.guessing.learn import infer_domain_format

    return infer_domain_format(domain, [p.known() for p in pairs], patterns=patterns)


def saved_evidence(domain: str, *, patterns: str | None = None) -> Evidence | None:
    """DOMAIN's saved evidence while fresh (never fetches); None without any, or when the file is not
    one reachout wrote (edited by hand, an older schema): it is then gathered again."""
    data = evidence_store.load(domain)
    if data is None:
        return None
    try:
        return Evidence.from_saved(data, patterns=patterns)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


def evidence_settings(
    *, source_urls: Iterable[str] = (), resolve: Iterable[str] = (), allow_private: bool = False,
    timeout: float = 10.0,
) -> dict[str, Any]:
    """find_evidence's `config` and `endpoints` from command-line style settings (NAME=URL sources,
    curl-style HOST:PORT:ADDRESS entries), as `evidence`, `guess --find-evidence` and `batch` take
    them. Raises BadInput for a malformed one."""
    from reachout.http import parse_resolve

    config = HttpConfig.from_env(allow_private=allow_private,
                                 timeout=(min(5.0, timeout), max(10.0, timeout)))
    config.resolve.update(parse_resolve(resolve))
    return {"config": config, "endpoints": Endpoints.from_settings(source_urls)}
