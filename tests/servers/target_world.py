"""The 200-row target list the notebooks analyse, and the mail 'internet' behind it.

Fictional companies under `.example` (RFC 2606): each gets a mail provider, an address format and, for
every company that takes mail, mailboxes on the local aiosmtpd server: every MX host, provider-shaped
or not, resolves to 127.0.0.1 in these zones. The same seed always gives the same list:
notebooks/data/target-list.csv is this module's output (a test keeps the two in step).
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.servers.dns import Zone
from tests.servers.smtp import Behaviour
from tests.servers.world import PROVIDER_MX

ZONE = "example"
CSV_PATH = Path(__file__).resolve().parents[2] / "notebooks" / "data" / "target-list.csv"
COLUMNS = ["Company", "Website", "First Name", "Last Name", "Title", "Known email"]

_WORDS_A = ["North", "Blue", "Bright", "Iron", "Silver", "Green", "Rapid", "Clear", "Deep", "True",
            "Red", "Quantum", "Summit", "Harbor", "Cedar", "Lumen", "Atlas", "Nova", "Polar", "Vertex"]
_WORDS_B = ["wind", "stone", "field", "works", "bridge", "leaf", "path", "forge", "wave", "point"]
_SUFFIX = ["Analytics", "Labs", "Systems", "Health", "Robotics", "Logistics", "Energy", "Foods",
           "Capital", "Studio"]
_FIRST = ["Aisha", "Ben", "Carla", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
          "Kofi", "Lena", "Mateo", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tara",
          "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe", "Jürgen", "Siobhan", "José", "Anne-Marie"]
_LAST = ["Adams", "Bauer", "Chen", "Diallo", "Evans", "Fischer", "García", "Haddad", "Ivanova",
         "Jensen", "Kowalski", "Larsen", "Moreau", "Nakamura", "O'Connor", "Patel", "Quinn", "Rossi",
         "Silva", "Tanaka", "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zimmermann", "Müller",
         "van Dijk", "Okafor", "Lindqvist"]
_TITLES = ["Recruiter", "Talent Partner", "Head of People", "Engineering Manager", "CTO",
           "Hiring Manager", "HR Business Partner", "VP Engineering"]

# (provider, share of companies): provider-shaped MX hosts are only looked up, never contacted;
# "self-hosted" companies run their own MX on 127.0.0.1, where the local SMTP server answers.
_PROVIDERS = [("Google Workspace", 0.34), ("Microsoft 365", 0.28), ("self-hosted", 0.18),
              ("Proofpoint", 0.06), ("Mimecast", 0.04), ("Zoho Mail", 0.03), ("null MX", 0.04),
              ("no domain", 0.03)]
_FORMATS = [("{first}.{last}", 0.42), ("{f}{last}", 0.30), ("{first}", 0.14), ("{first}{l}", 0.05),
            ("{f}.{last}", 0.05), ("{last}.{first}", 0.04)]
# What a self-hosted server does with unknown mailboxes. Providers behave as they usually do: Google,
# Microsoft and Zoho refuse unknown recipients; Proofpoint and Mimecast gateways accept everything.
_SERVERS = [("users", 0.6), ("catch_all", 0.25), ("greylist", 0.15)]
_PROVIDER_SERVER = {"Proofpoint": "catch_all", "Mimecast": "catch_all"}


@dataclass
class Company:
    name: str
    label: str
    provider: str
    format: str
    server: str

    @property
    def domain(self) -> str:
        return f"{self.label}.{ZONE}"


def _pick(rng: random.Random, table: list[tuple[str, float]]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def build(seed: int = 2026, rows: int = 200) -> tuple[list[Company], list[dict[str, str]], set[str]]:
    """(companies, CSV rows, addresses that exist on self-hosted servers)."""
    from reachout.guessing import compile_template, parse_name

    rng = random.Random(seed)
    companies: list[Company] = []
    seen: set[str] = set()
    out: list[dict[str, str]] = []
    mailboxes: set[str] = set()

    def address(company: Company, first: str, last: str) -> str:
        reading = parse_name(f"{first} {last}", domain=company.domain).best
        return f"{compile_template(company.format).render(reading)}@{company.domain}"

    while len(out) < rows:
        name = f"{rng.choice(_WORDS_A)}{rng.choice(_WORDS_B)} {rng.choice(_SUFFIX)}"
        label = name.lower().replace(" ", "-")
        if label in seen:
            continue
        seen.add(label)
        provider = _pick(rng, _PROVIDERS)
        hosted = provider == "self-hosted"
        server = _pick(rng, _SERVERS) if hosted else _PROVIDER_SERVER.get(provider, "users")
        company = Company(name, label, provider, _pick(rng, _FORMATS), server)
        companies.append(company)
        website = rng.choice([f"https://www.{company.domain}/", company.domain, f"https://{company.domain}/careers"])
        people = rng.choices([0, 1, 2], [0.25, 0.45, 0.30])[0]
        if people == 0:
            out.append(dict(zip(COLUMNS, [name, website, "", "", "", ""], strict=True)))
        for i in range(people):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            real = address(company, first, last)
            if company.provider not in {"null MX", "no domain"}:
                mailboxes.add(real)
            # The second person of a company is someone whose address the user already knows.
            known = real if i == 1 else ""
            out.append(dict(zip(COLUMNS, [name, website, first, last, rng.choice(_TITLES), known],
                                strict=True)))
    return companies, out[:rows], mailboxes


def csv_text() -> str:
    _, rows, _ = build()
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def zones() -> list[Zone]:
    """The `example.` zone with every company's mail records (names nobody defined are NXDOMAIN),
    and one zone per provider MX host so that it resolves to 127.0.0.1 (the local SMTP server)."""
    companies, _, _ = build()
    records: list[tuple[str, str, str]] = []
    providers: set[str] = set()
    for c in companies:
        if c.provider == "no domain":
            continue
        if c.provider == "null MX":
            records.append((c.label, "MX", "0 ."))
        elif c.provider == "self-hosted":
            records += [(c.label, "MX", f"10 mx.{c.label}.{ZONE}."), (f"mx.{c.label}", "A", "127.0.0.1"),
                        (c.label, "TXT", "v=spf1 mx include:mg-spf.greenhouse.io -all")]
        else:
            providers.add(PROVIDER_MX[c.provider])
            records += [(c.label, "MX", f"10 {PROVIDER_MX[c.provider]}."),
                        (c.label, "TXT", "v=spf1 include:_spf.google.com include:myworkday.com ~all")]
    return [Zone(ZONE, records)] + [Zone(host, [("@", "A", "127.0.0.1")]) for host in sorted(providers)]


def behaviour() -> Behaviour:
    companies, _, mailboxes = build()
    return Behaviour(
        users=set(mailboxes),
        catch_all={c.domain for c in companies if c.server == "catch_all"},
        greylist={c.domain for c in companies if c.server == "greylist"},
    )


# Job titles the fictional companies post on their careers pages (schema.org JobPosting, dated).
_ROLES = ["Data Engineer", "Backend Engineer", "Product Designer", "Site Reliability Engineer",
          "Data Analyst", "Frontend Engineer", "Machine Learning Engineer", "Technical Recruiter",
          "Engineering Manager", "Security Engineer"]


def site_pages(company: Company) -> dict[str, tuple[str, str]]:
    """COMPANY's small web site: path -> (body, content type). The careers page marks up two to four
    open roles as schema.org JobPostings, posted between August and November 2026 (same seed, same
    site). `{{PORT}}` is the local web server's port."""
    import datetime as dt
    import json

    rng = random.Random(f"{company.label}-site")
    start = dt.date(2026, 8, 1)
    postings = []
    for title in sorted(rng.sample(_ROLES, rng.randint(2, 4))):
        posted = start + dt.timedelta(days=rng.randint(0, 110))
        postings.append({
            "@context": "https://schema.org/", "@type": "JobPosting", "title": title,
            "datePosted": posted.isoformat(),
            "hiringOrganization": {"@type": "Organization", "name": company.name},
            "url": f"http://{company.domain}:{{{{PORT}}}}/careers#{title.lower().replace(' ', '-')}",
        })
    html = "text/html; charset=utf-8"
    return {
        "/robots.txt": ("User-agent: *\nCrawl-delay: 0.05\n", "text/plain; charset=utf-8"),
        "/": (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{company.name}</title>"
              f"</head><body><h1>{company.name}</h1><p><a href=\"/careers\">Careers</a></p>"
              "</body></html>", html),
        "/careers": ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Careers</title>"
                     f"<script type=\"application/ld+json\">{json.dumps(postings)}</script></head>"
                     f"<body><h1>Careers at {company.name}</h1></body></html>", html),
    }


def serve_sites(server: Any) -> list[str]:
    """Program every company's site (with and without www.) on SERVER, a tests.servers.http
    FixtureServer; return the host names, for --resolve."""
    from tests.servers.http import Route

    companies, _, _ = build()
    hosts = []
    for company in companies:
        if company.provider == "no domain":
            continue
        pages = site_pages(company)
        for host in (company.domain, f"www.{company.domain}"):
            hosts.append(host)
            for path, (body, ctype) in pages.items():
                server.route(host, path, Route(body=body, content_type=ctype))
    return hosts


if __name__ == "__main__":
    CSV_PATH.parent.mkdir(parents=True, exist_ok=True)
    CSV_PATH.write_text(csv_text(), encoding="utf-8")
    print(f"wrote {CSV_PATH}")
