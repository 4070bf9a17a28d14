"""The zones the documentation's examples are run against (docs/examples.py): example.com, .net, .org
as RFC 2606 reserves them, served by NSD on loopback so the examples never reach the internet."""

from __future__ import annotations

from tests.servers.dns import Zone


def zones() -> list[Zone]:
    return [
        Zone("example.com", [
            ("@", "MX", "1 aspmx.l.google.com."),
            ("@", "MX", "5 alt1.aspmx.l.google.com."),
            ("@", "TXT", "v=spf1 include:_spf.google.com include:mg.greenhouse.io ~all"),
            ("_dmarc", "TXT", "v=DMARC1; p=quarantine"),
        ]),
        Zone("example.net", [("@", "MX", "10 mx.example.net."), ("mx", "A", "127.0.0.1")]),
        Zone("example.org", [("@", "MX", "0 .")]),
        # The German fixture site of the brief's example (tests/fixtures/sites/kessel.test).
        Zone("kessel.test", [
            ("@", "MX", "10 mx00.ionos.de."),
            ("@", "TXT", "v=spf1 include:_spf-eu.ionos.com include:_spf.personio.de ~all"),
            ("_dmarc", "TXT", "v=DMARC1; p=none"),
        ]),
    ]
