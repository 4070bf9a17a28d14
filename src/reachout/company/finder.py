"""Ask the sources about a company name and gather the clues: `find_domain("Acme Corp")`.

The order keeps requests few (goal: at most 4 per name from a cold cache, 0 from a warm one):
Wikidata's entity search (1), the top candidates' entities at once (1), the best candidate's home
page (robots.txt and the page: 2). Wikipedia's infobox is asked only when Wikidata gave the best
candidate no website, did not answer, or left it short of sure; the parent organisation's entity
only when a subsidiary's own domain takes no mail; names of places and industries only for a
--city or --industry hint. DNS (MX) answers come from reachout's resolver and its cache.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import requests

from reachout import domains
from reachout.company import names, wiki
from reachout.company.evidence import DomainCandidate, DomainMatch, model, weigh
from reachout.data import load_toml
from reachout.errors import BadAnswer, BadInput, NotFound, ReachoutError
from reachout.http import (
    HTML_TYPES,
    JSON_TYPES,
    Fetcher,
    HttpConfig,
    build_session,
    name_not_resolved,
    network_requests,
)
from reachout.research.endpoints import Endpoints

# A mail check: ASCII domains in, each one's reachout.mail.dnscheck status out (ok, implicit_mx, null_mx,
# no_mail, nxdomain: answers; timeout, servfail, refused: unknown).
MailCheck = Callable[[Sequence[str]], dict[str, str]]
TAKES_MAIL = {"ok", "implicit_mx"}
NO_MAIL = {"null_mx", "no_mail"}
MAX_NAME = 200
T = TypeVar("T")


def dns_mail_check(
    *,
    nameservers: Iterable[str] | None = None,
    timeout: float = 5.0,
    allow_private: bool = False,
    cache: bool = True,
) -> MailCheck:
    """A MailCheck over reachout.mail.dnscheck (its resolver, its answer cache)."""
    chosen = list(nameservers or ())

    def check(items: Sequence[str]) -> dict[str, str]:
        from reachout.mail.dnscheck import check_domains

        todo = list(dict.fromkeys(items))
        if not todo:
            return {}
        reports = check_domains(todo, nameservers=chosen or None, timeout=timeout,
                                allow_private=allow_private, cache=cache, policy=False)
        return {domain: report.status for domain, report in zip(todo, reports, strict=True)}

    return check


looks_like_domain = domains.looks_like_domain


def clean_name(name: str) -> str:
    """NAME on one line, or BadInput: empty, too long or undecodable names cannot be looked up."""
    text = "".join(" " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch for ch in name or "")
    text = " ".join(text.split())
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise BadInput(f"{text[:60]!r} holds bytes that are not UTF-8; type the name again.")
    if not text:
        raise BadInput("No company name given; pass a name such as \"Acme Corp\".")
    if len(text) > MAX_NAME:
        raise BadInput(f"The company name {text[:40]!r}… is {len(text)} characters long; "
                       f"give at most {MAX_NAME}.")
    return text


@dataclass
class Hints:
    """What the user knows besides the name, each matched against the candidates' facts."""

    country: str | None = None
    city: str | None = None
    industry: str | None = None
    website: str | None = None
    country_code: str | None = None  # ISO 3166-1 alpha-2, when the country is in the data file
    country_qid: str | None = None

    def to_dict(self) -> dict[str, str]:
        keys = ("country", "city", "industry", "website")
        return {k: str(getattr(self, k)) for k in keys if getattr(self, k)}


def _country(hint: str, patterns: str | None) -> tuple[str | None, str | None, str | None]:
    """(ISO code, Wikidata Q-id, English name) of a --country hint, from company_domain.toml."""
    wanted = names.fold(hint)
    for code, entry in (load_toml("company_domain", patterns).get("countries") or {}).items():
        qid, *spellings = entry
        if wanted == code.lower() or wanted in {names.fold(s) for s in spellings}:
            return code, qid, spellings[0]
    return None, None, None


@dataclass
class _Search:
    """One name's search: the sources, the candidates so far, the match being built."""

    name: str
    hints: Hints
    fetcher: Fetcher
    endpoints: Endpoints
    mail_check: MailCheck
    allow_private: bool
    patterns: str | None
    match: DomainMatch
    language: str = "en"
    candidates: list[DomainCandidate] = field(default_factory=list)
    entities: dict[str, wiki.Entity] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    mail: dict[str, str] = field(default_factory=dict)
    wikidata_answered: bool = False
    wikipedia_asked: set[str] = field(default_factory=set)
    answered: bool = False  # some source gave an HTTP answer
    unresolved: bool = False  # some source's host name did not resolve (offline)

    # ---------------------------------------------------------------- plumbing
    def note(self, text: str) -> None:
        if text not in self.match.notes:
            self.match.notes.append(text)

    def api(self, url: str, params: dict[str, str], what: str, parse: Callable[[str, list[str]], T]
            ) -> T | None:
        """A public API's JSON answer read by PARSE (its text, a list for notes); None (and a note
        for the source) when the request fails or the answer is not in its documented shape."""
        response = self.fetcher.fetch(
            url, accept=JSON_TYPES, robots=False, params=params,
            allow_hosts=self.endpoints.hosts(), headers={"Accept": "application/json"},
        )
        self.answered = self.answered or response.status is not None
        self.unresolved = self.unresolved or name_not_resolved(response.error)
        if not response.ok:
            self.note(f"{what}: {response.error}")
            return None
        notes: list[str] = []
        try:
            return parse(response.text, notes)
        except BadAnswer as exc:
            self.note(str(exc))
            return None
        finally:
            for text in notes:
                self.note(text)

    def domain_of(self, url: str) -> str | None:
        """The registrable domain of a website address (None when it is not one)."""
        try:
            return domains.company_domain(url, allow_private=self.allow_private)
        except BadInput:
            return None

    def check_mail(self, items: Iterable[str]) -> None:
        todo = [d for d in dict.fromkeys(items) if d and d not in self.mail]
        if not todo:
            return
        try:
            found = self.mail_check([domains.to_ascii(d) for d in todo])
        except BadInput as exc:
            self.note(f"DNS: {exc}")
            return
        for domain in todo:
            self.mail[domain] = found.get(domains.to_ascii(domain), "unknown")

    def rank(self) -> list[DomainCandidate]:
        for candidate in self.candidates:
            self.lookalike_evidence(candidate)
        weigh(self.match, self.candidates, self.patterns)
        return sorted(self.candidates, key=lambda c: -c.confidence)

    def lookalike_evidence(self, candidate: DomainCandidate) -> None:
        """A website or mail domain that only looks like Latin text (Unicode TR 39): xn--pple-43d
        reads as "аpple" with a Cyrillic а; whoever answers there, it is not the company."""
        from reachout.mail.lookalikes import domain_problems

        for domain in dict.fromkeys(d for d in (candidate.website_domain, candidate.mail_domain) if d):
            found = domain_problems(domain)
            if found:
                candidate.add("lookalike_domain", f"{domain} may be a look-alike: {found[0]}",
                              f"dns:{domains.to_ascii(domain)}")
                return

    # ---------------------------------------------------------------- the run
    def run(self) -> DomainMatch:
        if self.hints.website:
            self.given_website(self.hints.website)
        if "wikidata" not in self.endpoints.disabled:  # --source-url wikidata=off: the user knows
            self.wikidata()
        best = self.rank()[0] if self.candidates else None
        if "wikipedia" not in self.endpoints.disabled and (
            best is None or not best.website_domain or not self.wikidata_answered
        ):
            self.wikipedia(best)
        if not any(c.website_domain for c in self.candidates) and not self.offline():
            self.from_name()
        self.check_mail(c.website_domain for c in self.candidates if c.website_domain)
        for candidate in self.candidates:
            self.mail_evidence(candidate)
        ranked = self.rank()
        if ranked and ranked[0].website_domain:
            # The best candidate's home page, and its close rivals' too: a clue gathered for one
            # contender only would decide an ambiguous name by who was asked, not by what is true.
            m = model(self.patterns)
            close = [c for c in ranked[1:3]
                     if c.website_domain and c.confidence >= m.ambiguous_ratio * ranked[0].confidence]
            for candidate in [ranked[0], *close]:
                self.home_page(candidate)
            ranked = self.rank()
            # A second voice for a doubtful website; not for a doubt about which company is meant
            # (close rivals), which another source confirming one rival's website cannot settle.
            if (ranked[0].confidence < m.found and not close
                    and "wikipedia" not in self.endpoints.disabled):
                self.wikipedia(ranked[0])
                self.rank()
        return self.match

    def offline(self) -> bool:
        """True when no source answered and their hosts' names did not resolve (no network): the
        domains spelled from the name are then not checked in DNS, which would only wait out its
        timeout on a resolver that drops what it is sent (the name stays "failed")."""
        return self.unresolved and not self.answered

    # ---------------------------------------------------------------- sources
    def given_website(self, website: str) -> None:
        domain = self.domain_of(website)
        if domain is None:
            raise BadInput(f"--website {website!r} is not a website or address; pass a domain "
                           "such as acme.com, a URL or an e-mail address.")
        candidate = DomainCandidate(name=self.name, website_domain=domain,
                                    website=website if "://" in website else f"https://{domain}/",
                                    website_source="given")
        candidate.add("given_website", f"you gave {website}")
        self.candidates.append(candidate)

    def wikidata(self) -> None:
        settings = load_toml("company_domain", self.patterns).get("search") or {}
        kept: list[tuple[wiki.SearchHit, str]] = []
        limit = int(settings.get("results", 10))
        covered: list[str] = []  # searches answered in full: a longer text they start is no news
        # The name's own spelling first ("Rohde & Schwarz": the search reads "&", not "and"); the
        # next spelling only when one finds nothing, so a name costs one search as a rule.
        for text in names.search_texts(self.name, patterns=self.patterns):
            if any(text.casefold().startswith(done) for done in covered):
                continue  # wbsearchentities matches prefixes: what starts TEXT was listed already
            hits = self.search(text, limit)
            if hits is None:
                return
            kept = self.matching(hits)
            if kept:
                break
            if len(hits) < limit:
                covered.append(text.casefold())
        kept = kept[: int(settings.get("candidates", 5))]
        if not kept:
            return
        languages = list(dict.fromkeys([self.language, "en"]))
        entities = self.api(self.endpoints.wikidata_api,
                            wiki.entities_params([h.qid for h, _ in kept], languages),
                            "Wikidata entities",
                            lambda text, notes: wiki.parse_entities(text, languages, notes))
        if entities is None:
            return
        self.entities = entities
        self.resolve_labels()
        for position, (hit, level) in enumerate(kept):
            entity = self.entities.get(hit.qid)
            if entity is not None:
                self.add_entity(entity, hit, level, position)

    def search(self, text: str, limit: int) -> list[wiki.SearchHit] | None:
        """Wikidata's entity search for TEXT; None (and a note) when it fails."""
        hits = self.api(self.endpoints.wikidata_api, wiki.search_params(text, self.language, limit),
                        "Wikidata search", wiki.parse_search)
        if hits is not None:
            self.wikidata_answered = True
        return hits

    def matching(self, hits: list[wiki.SearchHit]) -> list[tuple[wiki.SearchHit, str]]:
        """The hits whose label or matched text is the name (or starts like it), with that level."""
        kept = []
        for hit in hits:
            level = max(
                (names.compare(self.name, t, patterns=self.patterns) for t in (hit.matched, hit.label)),
                key=("none", "partial", "exact").index,
            )
            if level != "none":
                kept.append((hit, level))
        return kept

    def resolve_labels(self) -> None:
        """Names of the places and industries the entities point at, only for a hint that needs them."""
        wanted = self.hints.city or self.hints.industry or (self.hints.country and not self.hints.country_qid)
        ids = sorted({q for e in self.entities.values()
                      for key in ("country", "headquarters", "industry") for q in e.claims.get(key, [])
                      if re.fullmatch(r"Q\d+", q)})
        if not wanted or not ids:
            return
        from reachout.research.publicdata import labels_from_entities

        labels = self.api(self.endpoints.wikidata_api,
                          {"action": "wbgetentities", "ids": "|".join(ids[:50]), "props": "labels",
                           "languages": "en", "format": "json"}, "Wikidata labels",
                          labels_from_entities)
        if labels is not None:
            self.labels = labels

    def add_entity(self, entity: wiki.Entity, hit: wiki.SearchHit, level: str, position: int) -> None:
        source = entity.url
        candidate = DomainCandidate(name=entity.label or hit.label, description=entity.description,
                                    wikidata=entity.qid, wikipedia=entity.enwiki,
                                    parent=entity.first("parent"))
        exact_label = names.compare(self.name, entity.label or hit.label, patterns=self.patterns)
        if exact_label == "exact":
            candidate.add("label_exact", f"Wikidata {entity.qid} is named {candidate.name!r}", source)
        elif any(names.compare(self.name, a, patterns=self.patterns) == "exact"
                 for a in [*entity.aliases, hit.matched]):
            candidate.add("alias_exact", f"Wikidata {entity.qid} ({candidate.name}) is also "
                                         f"known as {hit.matched!r}", source)
        else:
            candidate.add("label_partial", f"Wikidata {entity.qid} is named {candidate.name!r}, "
                                           f"which only starts like {self.name!r}", source)
        written = next((t for t in [entity.label or hit.label, *entity.aliases, hit.matched]
                        if names.as_written(self.name, t, patterns=self.patterns)), None)
        if written is not None:
            # "Volkswagen AG" is the group's own name; folded, it is the brand "Volkswagen"'s too.
            candidate.add("name_as_written", f"Wikidata {entity.qid} is called {written!r}, legal "
                                             "form included", source)
        if position == 0:
            candidate.add("first_result", "Wikidata's search lists it first", source)
        self.organisation_evidence(candidate, entity)
        self.facts(candidate, entity)
        self.hint_evidence(candidate, entity)
        website = entity.first("website")
        domain = self.domain_of(website) if website else None
        if website and not domain:
            self.match.unusable.append(f"{candidate.name} ({entity.qid}), whose official website "
                                       f"{website!r} is not a usable web address")
        elif not website and level == "exact":
            self.match.unusable.append(f"{candidate.name} ({entity.qid}), which has no official "
                                       "website on Wikidata")
        if website and domain:
            candidate.website, candidate.website_domain = website, domain
            candidate.website_source = "wikidata"
            candidate.add("official_website", f"Wikidata's official website (P856) is {website}", source)
        given = next((c for c in self.candidates if c.website_source == "given"), None)
        if given is not None and domain == given.website_domain:
            self.candidates.remove(given)
            candidate.add("given_website", f"you gave {self.hints.website}")
        self.candidates.append(candidate)

    def organisation_evidence(self, candidate: DomainCandidate, entity: wiki.Entity) -> None:
        classes = set((load_toml("company_domain", self.patterns).get("organisation_classes") or {})
                      .get("ids", []))
        kinds = set(entity.claims.get("instance_of", []))
        company_facts = any(entity.claims.get(k) for k in ("industry", "employees", "headquarters",
                                                           "parent"))
        if kinds & classes or (company_facts and entity.claims.get("website")):
            candidate.add("organisation", "Wikidata describes a company or organisation", entity.url)
        elif kinds or not company_facts:
            what = entity.description or "not a company"
            candidate.add("not_organisation", f"Wikidata {entity.qid} is {what!r}, not a company",
                          entity.url)

    def facts(self, candidate: DomainCandidate, entity: wiki.Entity) -> None:
        countries = load_toml("company_domain", self.patterns).get("countries") or {}
        by_qid = {entry[0]: entry[1] for entry in countries.values()}
        for key in ("country", "headquarters", "industry", "employees", "inception"):
            value = entity.first(key)
            if value:
                candidate.facts[key] = self.labels.get(value) or by_qid.get(value) or value

    def hint_evidence(self, candidate: DomainCandidate, entity: wiki.Entity) -> None:
        hints, source = self.hints, entity.url
        countries = entity.claims.get("country", [])
        if hints.country and countries:
            wanted = hints.country_qid
            said = [self.labels.get(q, "") for q in countries]
            if (wanted and wanted in countries) or any(names.compare(hints.country, s) == "exact"
                                                       for s in said if s):
                candidate.add("country_match", f"its country is {hints.country}", source)
            elif wanted or any(said):
                candidate.add("country_mismatch",
                              f"its country is {candidate.facts.get('country', countries[0])}, "
                              f"not {hints.country}", source)
        for hint, key, kind in ((hints.city, "headquarters", "city"),
                                (hints.industry, "industry", "industry")):
            said = [self.labels.get(q, "") for q in entity.claims.get(key, [])]
            said = [s for s in said if s]
            if not hint or not said:
                continue
            folded = set(names.fold(hint).split())
            if any(folded & set(names.fold(s).split()) for s in said):
                candidate.add(f"{kind}_match", f"its {key} is {said[0]}", source)
            else:
                candidate.add(f"{kind}_mismatch", f"its {key} is {said[0]}, not {hint}", source)

    def wikipedia(self, best: DomainCandidate | None) -> None:
        """Wikipedia's infobox website for the best candidate (by its page, else by the name)."""
        title = best.wikipedia if best and best.wikipedia else (None if best and best.wikidata else self.name)
        if not title or title in self.wikipedia_asked:
            return
        self.wikipedia_asked.add(title)
        parsed = self.api(f"{self.endpoints.wikipedia}/w/api.php", wiki.parse_params(title), "Wikipedia",
                          wiki.parse_wikitext)
        if parsed is None:
            return
        page_title, wikitext = parsed
        source = wiki.page_url(self.endpoints.wikipedia, page_title or title)
        website = wiki.infobox_website(wikitext)
        domain = self.domain_of(website if website and "://" in website else f"https://{website}/") \
            if website else None
        if not website or not domain:
            return
        url = website if "://" in website else f"https://{website}/"
        if best is None or not best.wikidata:
            if names.compare(self.name, page_title or title, patterns=self.patterns) == "none":
                return
            best = next((c for c in self.candidates if c.website_domain == domain), None)
            if best is None:
                best = DomainCandidate(name=page_title or title, wikipedia=page_title or title)
                best.add("label_exact" if names.compare(self.name, page_title or title,
                                                        patterns=self.patterns) == "exact"
                         else "label_partial", f"Wikipedia has a page {page_title!r}", source)
                self.candidates.append(best)
        if best.website_domain is None:
            best.website, best.website_domain, best.website_source = url, domain, "wikipedia"
            best.add("wikipedia_website", f"Wikipedia's infobox gives the website {website}", source)
        elif best.website_domain == domain:
            best.add("wikipedia_agrees", f"Wikipedia's infobox gives the same website ({website})", source)
        else:
            best.add("wikipedia_differs", f"Wikipedia's infobox gives another website ({website})", source)

    def from_name(self) -> None:
        """Domains spelled from the name (acmeanvils.com, acme-anvils.com…) that exist in DNS."""
        core = names.fold(self.name, patterns=self.patterns)
        try:
            label = domains.to_ascii(names.squash(core)) if core else ""
        except BadInput:
            return
        if not label or not re.fullmatch(r"[a-z0-9-]{2,63}", label):
            return
        labels = [label]
        if " " in core:
            hyphenated = core.replace(" ", "-")
            if re.fullmatch(r"[a-z0-9-]{2,63}", hyphenated):
                labels.append(hyphenated)
        tlds = list((load_toml("company_domain", self.patterns).get("guess") or {}).get("tlds", []))
        if self.hints.country_code:
            cc = {"GB": "uk"}.get(self.hints.country_code, self.hints.country_code.lower())
            tlds = [cc, *[t for t in tlds if t != cc]]
        guesses = [f"{lab}.{tld}" for lab in labels for tld in tlds]
        self.check_mail(guesses)
        for domain in guesses:
            if self.mail.get(domain) in TAKES_MAIL | NO_MAIL:
                candidate = DomainCandidate(name=self.name, website_domain=domain,
                                            website=f"https://{domain}/", website_source="name")
                candidate.add("name_derived", f"{domain} is spelled from the name and exists in DNS",
                              f"dns:{domain}?type=MX")
                candidate.add("domain_spells_name", f"{domain} spells {self.name!r}")
                self.candidates.append(candidate)

    # ---------------------------------------------------------------- the domain itself
    def mail_evidence(self, candidate: DomainCandidate, redirect: str | None = None) -> None:
        """Choose the candidate's mail domain: the site's redirect target, its own, its parent's."""
        own = candidate.website_domain
        if not own:
            return
        options: list[tuple[str, str]] = []
        if redirect and redirect != own:
            options.append((redirect, f"{own} redirects to {redirect}, which takes mail"))
        options.append((own, f"{own} takes mail"))
        chosen = next(((d, why) for d, why in options if self.mail.get(d) in TAKES_MAIL), None)
        # What else was asked for mail, for the reason when nothing takes it.
        tried = ([f"the site's redirect target {redirect} ({self._mail_word(redirect)})"]
                 if redirect and redirect != own else [])
        if chosen is None and candidate.parent:
            parent_domain = self.parent_domain(candidate.parent)
            if parent_domain and self.mail.get(parent_domain) in TAKES_MAIL:
                chosen = (parent_domain, f"{own} takes no mail; its parent organisation "
                                         f"(Wikidata P749 {candidate.parent}) uses {parent_domain}")
            elif parent_domain:
                tried.append(f"its parent organisation's {parent_domain} "
                             f"({self._mail_word(parent_domain)})")
            else:
                tried.append(f"its parent organisation ({candidate.parent}), which has no website")
        elsewhere = f"; tried instead: {', '.join(tried)}" if tried else ""
        for kind in ("takes_mail", "no_mail", "no_such_domain"):
            candidate.evidence = [e for e in candidate.evidence if e.kind != kind]
        source = f"dns:{domains.to_ascii(own)}?type=MX"
        if chosen is not None:
            candidate.mail_domain, candidate.mail_reason = chosen
            candidate.add("takes_mail", chosen[1], f"dns:{domains.to_ascii(chosen[0])}?type=MX")
        elif self.mail.get(own) == "nxdomain":
            candidate.mail_domain = None
            candidate.mail_reason = f"{own} does not exist (NXDOMAIN){elsewhere}"
            candidate.add("no_such_domain", candidate.mail_reason, source)
        elif self.mail.get(own) in NO_MAIL:
            candidate.mail_domain = None
            candidate.mail_reason = f"{own} {self._mail_word(own)}{elsewhere}"
            candidate.add("no_mail", candidate.mail_reason, source)
        else:  # DNS could not tell: keep the website's domain, say so, weigh nothing
            candidate.mail_domain = own
            candidate.mail_reason = f"DNS could not tell whether {own} takes mail ({self.mail.get(own)})"

    def _mail_word(self, domain: str) -> str:
        """What DNS said about DOMAIN's mail, in words."""
        status = self.mail.get(domain)
        if status == "null_mx":
            return "takes no mail: it publishes a null MX (RFC 7505)"
        if status == "no_mail":
            return "takes no mail: no MX and no usable address"
        if status == "nxdomain":
            return "does not exist"
        if status in TAKES_MAIL:
            return "takes mail"
        return f"DNS could not tell ({status or 'not asked'})"

    def parent_domain(self, qid: str) -> str | None:
        entity = self.entities.get(qid)
        if entity is None and "wikidata" not in self.endpoints.disabled:
            found = self.api(self.endpoints.wikidata_api, wiki.entities_params([qid], ["en"]),
                             "Wikidata parent",
                             lambda text, notes: wiki.parse_entities(text, ["en"], notes))
            entity = found.get(qid) if found else None
            if entity is not None:
                self.entities[qid] = entity
        website = entity.first("website") if entity else None
        domain = self.domain_of(website) if website else None
        if domain:
            self.check_mail([domain])
        return domain

    def home_page(self, candidate: DomainCandidate) -> None:
        """Read the candidate's home page: where it redirects, and whether it names the company."""
        from reachout.research import site

        url = candidate.website or f"https://{candidate.website_domain}/"
        response = self.fetcher.fetch(url, accept=HTML_TYPES)
        if not response.ok:
            candidate.add("home_unreachable", f"its home page could not be read ({response.error})", url)
            return
        final = response.final_url or url
        target = self.domain_of(final)
        if target and target != candidate.website_domain:
            self.check_mail([target])
            self.mail_evidence(candidate, redirect=target)
        page = site.parse_page(response.text, final, domains.to_ascii(target or candidate.website_domain
                                                                        or ""), people=False)
        said = [s for s in (page.organization.get("name"), page.organization.get("legal_name"),
                            page.site_name) if s]
        said += names.title_names(page.title or "")
        levels = {s: names.compare(self.name, s, patterns=self.patterns) for s in said}
        exact = next((s for s, level in levels.items() if level == "exact"), None)
        partial = next((s for s, level in levels.items() if level == "partial"), None)
        if exact:
            candidate.add("home_name_exact", f"its home page calls itself {exact!r}", final)
        elif partial:
            candidate.add("home_name_partial", f"its home page calls itself {partial!r}", final)
        elif said:
            candidate.add("home_name_other", f"its home page calls itself {said[0]!r}", final)


def find_domain(
    name: str,
    *,
    country: str | None = None,
    city: str | None = None,
    industry: str | None = None,
    website: str | None = None,
    session: requests.Session | None = None,
    resolver: MailCheck | None = None,
    endpoints: Endpoints | None = None,
    config: HttpConfig | None = None,
    nameservers: Iterable[str] | None = None,
    timeout: float = 5.0,
    allow_private: bool | None = None,
    patterns: str | None = None,
) -> DomainMatch:
    """The most likely website and mail domain of the company called NAME, with the evidence.

    Hints narrow the search: COUNTRY (a name or ISO code), CITY (the headquarters), INDUSTRY, and
    WEBSITE (a domain, URL or address the user has). SESSION comes from reachout.http.build_session
    (its cache makes a repeated name free); RESOLVER checks domains' mail (default: reachout's DNS
    client with NAMESERVERS); ENDPOINTS points Wikidata and Wikipedia elsewhere or turns them off.
    Raises BadInput for an unusable name or hint; a name nobody knows gives status "not_found".
    """
    text = clean_name(name)
    domains.refuse_typed_domain(text)  # "examplecom" is example.com mistyped, not a company's name
    if session is not None:
        config = getattr(session, "reachout_config", None) or config
    config = config or HttpConfig.from_env()
    private = config.allow_private if allow_private is None else allow_private
    hints = Hints(
        country=clean_name(country) if country else None,
        city=clean_name(city) if city else None,
        industry=clean_name(industry) if industry else None,
        website=clean_name(website) if website else None,
    )
    if hints.country:
        hints.country_code, hints.country_qid, _ = _country(hints.country, patterns)
    core = names.fold(text, patterns=patterns)
    if not core:
        raise BadInput(f"{text!r} is only a legal form; pass the company's name, e.g. \"Acme GmbH\".")
    own = session is None
    session = session or build_session(config)
    before = network_requests(session)
    match = DomainMatch(query=text, hints=hints.to_dict())
    try:
        search = _Search(
            name=text, hints=hints, fetcher=Fetcher(session, config),
            endpoints=endpoints or Endpoints.from_env(),
            mail_check=resolver or dns_mail_check(nameservers=nameservers, timeout=timeout,
                                                  allow_private=private),
            allow_private=private, patterns=patterns, match=match,
            language=names.search_language(text),
        )
        search.run()
        if match.best is None and match.notes:
            match.status = "failed"  # a source could not be asked: unknown, not "no such company"
        if match.best is not None:
            match.unusable.clear()  # another source gave the website
    finally:
        match.requests = network_requests(session) - before
        if own:
            session.close()
    return match


def find_each(names: Iterable[str], **options: Any) -> Iterator[DomainMatch]:
    """find_domain for each of NAMES (OPTIONS as find_domain takes them), one match per name as
    soon as it is known. A name whose lookup fails (an unusable name, or a failure nobody foresaw)
    gives status "failed" with the reason in its notes: one name never costs another its answer."""
    for name in names:
        try:
            yield find_domain(name, **options)
        except ReachoutError as exc:
            yield _failed(name, str(exc))
        except Exception as exc:  # a bug for one name still leaves the others' answers
            yield _failed(name, f"internal error ({type(exc).__name__}: {exc}); this is a bug in "
                                "reachout: please report it")


def _failed(name: str, reason: str) -> DomainMatch:
    return DomainMatch(query=" ".join(str(name).split())[:MAX_NAME], status="failed",
                       notes=[reason[:500]])


class NoDomain(NotFound):
    """No domain could be chosen for a company name (unknown, or too ambiguous to choose)."""


def resolve_company(
    company: str,
    *,
    lookup: bool = True,
    **options: Any,
) -> tuple[str, DomainMatch | None]:
    """COMPANY as given when it is a domain, URL or address; else the domain its name finds.

    Returns (the text to use as the company, the DomainMatch when a name was looked up). LOOKUP
    False (--no-lookup) refuses names. Raises NoDomain when the name finds no sure answer.
    """
    if looks_like_domain(company):
        return company, None
    text = clean_name(company)
    if not lookup:
        raise BadInput(f"{text!r} is a company name, not a domain; pass its domain (acme.com), a "
                       "URL or an address, or drop --no-lookup to look the name up.")
    match = find_domain(text, **options)
    if match.domain:
        return match.domain, match
    raise NoDomain(describe_failure(match))


def describe_failure(
    match: DomainMatch,
    fix: str = "pass the domain, or narrow it with --country/--city/--industry",
    *,
    notes: bool = True,
) -> str:
    """One sentence on why MATCH gives no domain, naming the choices when there are some; FIX says
    what the user can do (a batch row's differs from a command's). NOTES False leaves out the
    failed sources (for a command that has printed them already)."""
    sources = "; ".join(match.notes)
    if match.status == "failed":
        why = f": {sources}" if notes and sources else " (a source could not be asked)"
        return (f"{match.query!r} could not be looked up{why}; try again when the sources can be "
                "reached, or pass the domain.")
    if match.best is None:
        if match.unusable:
            return (f"Found {'; '.join(match.unusable[:3])}, but no domain to use for "
                    f"{match.query!r}; {fix}.")
        why = f"; {sources}" if notes and sources else ""
        return f"No domain found for {match.query!r}{why}; check the spelling, or {fix}."
    best = match.best
    choices = [f"{c.mail_domain or c.website_domain} ({c.name}, {c.confidence:.1%})"
               for c in [best, *match.alternatives][:4]]
    listed = ", ".join(choices)
    if best.mail_domain is None and best.mail_reason:
        # Sure enough which company it is, but its website's domain takes no mail.
        others = f" (other choices: {', '.join(choices[1:])})" if choices[1:] else ""
        return (f"{match.query!r} is {best.name} at {best.website_domain} ({best.confidence:.1%}), "
                f"but {best.mail_reason}{others}; pass the domain its people's addresses use.")
    unread = [e.detail for e in best.evidence if e.kind == "home_unreachable"]
    why = f" ({best.website_domain}: {unread[0]})" if unread else ""
    return f"{match.query!r} is not sure enough to choose: {listed}{why}; {fix}."


def chosen_line(company: str, match: DomainMatch) -> str:
    """The notice brief and guess print on stderr: which domain a name became, and why."""
    best = match.best
    assert best is not None
    why = best.mail_reason or best.website_source
    return (f"Using {best.mail_domain} for {company!r} ({best.name}, {best.confidence:.1%}; "
            f"website {best.website_domain} from {best.website_source}; {why}).")




def lookup_settings(
    *,
    source_urls: Iterable[str] = (),
    resolve: Iterable[str] = (),
    allow_private: bool = False,
    nameservers: Iterable[str] = (),
    timeout: float = 5.0,
    cache: bool = True,
    offline: bool = False,
) -> dict[str, Any]:
    """find_domain's keywords from command-line style settings (NAME=URL sources, HOST:PORT:ADDR).

    OFFLINE answers from the HTTP cache only (`brief --offline`)."""
    from reachout.http import parse_resolve

    config = HttpConfig.from_env(allow_private=allow_private, timeout=(min(5.0, timeout), timeout),
                                 cache_ttl=86_400.0 if cache else None, offline=offline)
    config.resolve.update(parse_resolve(resolve))
    endpoints = Endpoints.from_settings(source_urls)
    private = config.allow_private
    return {
        "config": config,
        "endpoints": endpoints,
        "resolver": dns_mail_check(nameservers=nameservers, timeout=timeout, allow_private=private,
                                   cache=cache),
        "allow_private": private,
    }


def domain_for_company(
    company: str,
    *,
    lookup: bool = True,
    source_urls: Iterable[str] = (),
    resolve: Iterable[str] = (),
    allow_private: bool = False,
    nameservers: Iterable[str] = (),
    timeout: float = 5.0,
    cache: bool = True,
    site: bool = False,
    offline: bool = False,
    session: requests.Session | None = None,
) -> tuple[str, str | None]:
    """For commands that take a COMPANY: (the domain, URL or address to use, the notice saying which
    domain a name became, or None when COMPANY was not a name). See resolve_company.

    SESSION: a run's shared session (reachout.http.build_session), so that a source one name could
    not reach is not asked again for the next.

    SITE (for `brief`): the company's home page address when it is on the mail domain, so the
    brief starts where the company's site really is.
    """
    if looks_like_domain(company):
        return company, None
    settings = lookup_settings(source_urls=source_urls, resolve=resolve, allow_private=allow_private,
                               nameservers=nameservers, timeout=timeout, cache=cache,
                               offline=offline) if lookup else {}
    if session is not None and settings:
        settings["session"] = session
    chosen, match = resolve_company(company, lookup=lookup, timeout=timeout, **settings)
    if match is None or match.best is None:
        return chosen, None
    best = match.best
    if site and best.website and best.website_domain == best.mail_domain:
        chosen = best.website
    return chosen, chosen_line(company, match)
