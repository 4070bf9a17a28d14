"""The companies batch tests and bench/batch.py look up: one `.example` zone (RFC 2606 reserves the name).

One parent zone makes a name nobody defined a true NXDOMAIN. Mail hosts that tests probe over SMTP
resolve to 127.0.0.1; provider-shaped MX hosts (Google, Microsoft) are only ever looked up.
"""

from __future__ import annotations

from tests.servers.dns import Zone

ZONE = "example"

# company label -> records (relative to the company's own name)
COMPANIES: dict[str, list[tuple[str, str]]] = {
    "acme": [("MX", "1 aspmx.l.google.com."), ("MX", "5 alt1.aspmx.l.google.com."),
             ("TXT", "v=spf1 include:_spf.google.com ~all")],
    "globex": [("MX", "0 globex-example.mail.protection.outlook.com."),
               ("TXT", "v=spf1 include:spf.protection.outlook.com -all")],
    "initech": [("MX", "10 mx.initech.example.")],
    "greylist": [("MX", "10 mx.greylist.example.")],
    "nullmx": [("MX", "0 .")],
    "blackhole": [("MX", "10 mx.blackhole.example.")],
    "bücher": [("MX", "10 mx.initech.example.")],
}
HOSTS = {"mx.initech": "127.0.0.1", "mx.greylist": "127.0.0.1", "mx.blackhole": "127.0.0.1"}


def bench_domain(index: int) -> str:
    return f"co{index:05d}.{ZONE}"


def zone(bench_domains: int = 0) -> Zone:
    """The `example.` zone: the test companies, plus BENCH_DOMAINS generated ones (coNNNNN.example)."""
    import idna

    records: list[tuple[str, str, str]] = []
    for label, entries in COMPANIES.items():
        owner = idna.encode(label).decode() if not label.isascii() else label
        records += [(owner, rtype, data) for rtype, data in entries]
    records += [(host, "A", address) for host, address in HOSTS.items()]
    for i in range(bench_domains):
        label = bench_domain(i).split(".")[0]
        provider = ("aspmx.l.google.com.", "contoso.mail.protection.outlook.com.",
                    f"mx.{label}.example.")[i % 3]
        records += [(label, "MX", f"10 {provider}"), (label, "TXT", "v=spf1 -all")]
    return Zone(ZONE, records)
