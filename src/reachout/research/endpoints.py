"""Base URLs of the keyless public APIs the brief reads; each overridable (tests use loopback)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from urllib.parse import urlsplit

from reachout.errors import BadInput

ATS_PROVIDERS = (
    "greenhouse", "lever", "ashby", "workable", "smartrecruiters", "personio", "recruitee",
    "teamtailor", "workday",
)

# The sources `reachout evidence` asks; all but `site` have a base URL here.
EVIDENCE_SOURCES = ("site", "github", "mailarchive", "keyserver", "europepmc")


@dataclass
class Endpoints:
    """Where each public source lives. Environment: REACHOUT_<NAME>_URL, e.g. REACHOUT_LEVER_URL."""

    greenhouse: str = "https://boards-api.greenhouse.io"
    lever: str = "https://api.lever.co"
    ashby: str = "https://api.ashbyhq.com"
    workable: str = "https://apply.workable.com"
    smartrecruiters: str = "https://api.smartrecruiters.com"
    # Each Personio account has its own host; `{board}` is the account name. A base without it
    # (a mirror, the test server) serves BASE/{board}/xml.
    personio: str = "https://{board}.jobs.personio.de"
    recruitee: str = "https://{board}.recruitee.com"  # likewise per account: BASE/{board}/api/offers/
    teamtailor: str = "https://{board}.teamtailor.com"  # likewise: BASE/{board}/jobs.rss
    # Workday's job search lives on each job site's host; a base without `{host}` (a mirror, the
    # test server) serves BASE/wday/cxs/TENANT/SITE/jobs.
    workday: str = "https://{host}"
    wikidata_sparql: str = "https://query.wikidata.org/sparql"
    wikidata_api: str = "https://www.wikidata.org/w/api.php"
    wikipedia: str = "https://en.wikipedia.org"
    # The public-evidence sources of `reachout evidence` (reachout/evidence/): each keyless.
    github: str = "https://api.github.com"  # docs.github.com/en/rest (REST API v3)
    mailarchive: str = "https://lore.kernel.org/all"  # a public-inbox archive (or its /all/ index)
    keyserver: str = "https://keyserver.ubuntu.com"  # an HKP keyserver (draft-gallagher-openpgp-hkp)
    europepmc: str = "https://www.ebi.ac.uk/europepmc/webservices/rest"  # Europe PMC REST API
    disabled: set[str] = field(default_factory=set)

    @classmethod
    def from_env(cls) -> Endpoints:
        """Defaults with REACHOUT_<NAME>_URL variables applied; REACHOUT_WIKIDATA_URL sets both."""
        endpoints = cls()
        base = os.environ.get("REACHOUT_WIKIDATA_URL")
        if base:
            endpoints.point("wikidata", base)
        for f in fields(cls):
            value = os.environ.get(f"REACHOUT_{f.name.upper()}_URL")
            if value and f.name != "disabled":
                endpoints.point(f.name, value)
        if os.environ.get("REACHOUT_SITE_URL"):
            endpoints.point("site", os.environ["REACHOUT_SITE_URL"])
        return endpoints

    @classmethod
    def from_settings(cls, source_urls: Iterable[str] = ()) -> Endpoints:
        """from_env() with command-line NAME=URL items applied (`--source-url github=off`). Raises
        BadInput for an item that is not NAME=URL, an unknown name or a URL that is not http(s)."""
        endpoints = cls.from_env()
        for item in source_urls:
            key, sep, url = item.partition("=")
            if not sep:
                raise BadInput(f"--source-url {item!r} is not NAME=URL, e.g. wikidata=off.")
            endpoints.point(key, url)
        return endpoints

    def point(self, name: str, url: str) -> None:
        """Point NAME (an ATS, wikidata, wikipedia, an evidence source) at URL; `off` disables the
        source (`site`, the company's own pages, can only be turned off)."""
        name = name.strip().lower()
        url = url.strip().rstrip("/")
        if url.lower() in {"off", "none", "-"}:
            self.disabled.add("wikidata" if name.startswith("wikidata") else name)
            return
        if name == "site":
            raise BadInput("The company's own site has no base URL to change; site=off skips it.")
        if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).hostname:
            raise BadInput(f"{url!r} is not an http(s) base URL for {name}.")
        if name == "wikidata":
            # One base serves both, as on a mirror or the test server: BASE/sparql, BASE/w/api.php.
            self.wikidata_sparql = url + "/sparql"
            self.wikidata_api = url + "/w/api.php"
        elif name in {f.name for f in fields(self)} and name != "disabled":
            setattr(self, name, url)
        else:
            raise BadInput(
                f"Unknown source {name!r}; use one of {', '.join(ATS_PROVIDERS)}, "
                f"wikidata, wikipedia, {', '.join(EVIDENCE_SOURCES)}."
            )

    def hosts(self) -> set[str]:
        """Host names of every endpoint: the crawl may leave the company's domain for these only."""
        hosts = {
            (urlsplit(getattr(self, f.name)).hostname or "").lower()
            for f in fields(self)
            if f.name != "disabled"
        }
        return {host for host in hosts if "{" not in host}  # per-account hosts: see api_url
