"""The mail 'internet' the tests bring to loopback: DNS zones for every case, and who exists where.

Every MX host resolves to 127.0.0.1 (the probe connects to the test SMTP server's port), except
where a case needs an address where nothing listens (127.0.0.2, 127.0.0.3) or a public-looking
one that is only ever looked up, never contacted.
"""

from __future__ import annotations

from tests.servers.dns import Zone
from tests.servers.smtp import Behaviour

# One provider-shaped MX per provider the data file names (patterns/providers.toml).
PROVIDER_MX = {
    "Google Workspace": "aspmx.l.google.com",
    "Microsoft 365": "contoso-com.mail.protection.outlook.com",
    "Proofpoint": "mx0a-00123456.pphosted.com",
    "Mimecast": "eu-smtp-inbound-1.mimecast.com",
    "Zoho Mail": "mx.zoho.eu",
    "Fastmail": "in1-smtp.messagingengine.com",
    "Yandex 360": "mx.yandex.net",
    "Barracuda": "d123456a.ess.barracudanetworks.com",
    "Cisco Secure Email": "mx1.hc1234-56.iphmx.com",
}


def provider_domain(provider: str) -> str:
    return "".join(ch for ch in provider.lower() if ch.isalnum()) + ".test"


def _mail_zone(name: str, *extra: tuple[str, str, str]) -> Zone:
    return Zone(name, [("@", "MX", f"10 mx.{name}."), ("mx", "A", "127.0.0.1"), *extra])


LONG_LABELS = ".".join(("a" * 63, "b" * 63, "c" * 63, "d" * 50))
LONG_DOMAIN = f"{LONG_LABELS}.acme.test"


def zones() -> list[Zone]:
    out = [
        Zone(
            "acme.test",
            [
                ("@", "MX", "20 mx2.acme.test."),
                ("@", "MX", "10 mx1.acme.test."),
                ("mx1", "A", "127.0.0.1"),
                ("mx2", "A", "127.0.0.1"),
                (
                    "@",
                    "TXT",
                    "v=spf1 include:_spf.google.com include:_spf.acme.test include:mg-spf.greenhouse.io ~all",
                ),
                ("@", "TXT", "google-site-verification=abc123"),
                ("_spf", "TXT", "v=spf1 include:sendgrid.net include:myworkday.com -all"),
                (
                    "_dmarc",
                    "TXT",
                    "v=DMARC1; p=reject; sp=quarantine; pct=50; rua=mailto:d@acme.test",
                ),
                ("jobs", "CNAME", "acme.test."),
                ("intranet", "A", "127.0.0.1"),
                # 252 octets in all: it fits DNS, its _dmarc name (259) does not (issue 14).
                (LONG_LABELS, "MX", "10 mx1.acme.test."),
            ],
        ),
        Zone("nullmx.test", [("@", "MX", "0 .")]),
        Zone(
            "mixednull.test",
            [("@", "MX", "0 ."), ("@", "MX", "10 mx.mixednull.test."), ("mx", "A", "127.0.0.1")],
        ),
        Zone("aonly.test", [("@", "A", "127.0.0.1")]),
        Zone("aaaaonly.test", [("@", "AAAA", "::1")]),
        # Not special-use names, so they need no --allow-private to be looked up at all.
        Zone("public-a-record.net", [("@", "A", "93.184.215.14")]),
        Zone("loopback-a-record.net", [("@", "A", "127.0.0.1")]),
        # issue 22: an MX at a loopback or private address takes mail only with --allow-private,
        # as an implicit MX there does; one public host among them is enough.
        Zone("loopback-mx.net", [("@", "MX", "10 mx.loopback-mx.net."), ("mx", "A", "127.0.0.1")]),
        Zone("private-mx.net", [("@", "MX", "10 mx.private-mx.net."), ("mx", "A", "10.1.2.3"),
                                ("mx", "AAAA", "fd00::25")]),
        Zone("mixed-mx.net", [("@", "MX", "10 mx.mixed-mx.net."), ("@", "MX", "20 backup.mixed-mx.net."),
                              ("mx", "A", "127.0.0.1"), ("backup", "A", "93.184.215.14")]),
        Zone("noaddr.test", [("@", "TXT", "just text")]),
        Zone(
            "alias.test",
            [
                ("@", "A", "127.0.0.1"),
                ("www", "CNAME", "acme.test."),
                ("loop1", "CNAME", "loop2.alias.test."),
                ("loop2", "CNAME", "loop1.alias.test."),
            ],
        ),
        Zone("blackhole.test", [("@", "MX", "10 mx.blackhole.test."), ("mx", "A", "127.0.0.1")]),
        Zone(
            "bigtxt.test",
            [("@", "MX", "10 mx.bigtxt.test."), ("mx", "A", "127.0.0.1")]
            + [("@", "TXT", f"filler-record-{i:03d}-" + "x" * 180) for i in range(12)]
            + [("@", "TXT", "v=spf1 include:spf.protection.outlook.com include:lever.co -all")],
        ),
        _mail_zone("catchall.test"),
        _mail_zone("greylist.test"),
        _mail_zone("block.test"),
        _mail_zone("drop.test"),
        _mail_zone("busy.test"),
        Zone(
            "failover.test",
            [
                ("@", "MX", "10 down.failover.test."),
                ("@", "MX", "20 up.failover.test."),
                ("down", "A", "127.0.0.2"),
                ("up", "A", "127.0.0.1"),
            ],
        ),
        Zone("unreachable.test", [("@", "MX", "10 mx.unreachable.test."), ("mx", "A", "127.0.0.3")]),
        Zone("privatemx.test", [("@", "MX", "10 mx.privatemx.test."), ("mx", "A", "10.1.2.3")]),
        Zone(
            "xn--bcher-kva.test",
            [("@", "MX", "10 mx.xn--bcher-kva.test."), ("mx", "A", "127.0.0.1")],
        ),
        # `reachout domain` (issue 13): company sites of tests/fixtures/sites and their mail.
        *(_mail_zone(name) for name in (
            "hollis.test", "kawase.test", "romashka.test", "deltaair.test", "deltafaucet.test",
            "orbit.test", "globalbrew.test", "nimbus.test", "nimbuscloud.test", "zephyrkites.test",
            # issue 22: "&" in a name, a brand beside its group, a look-alike (аpple) website
            "rohde.test", "vw.test", "vwgroup.test", "xn--pple-43d.test",
        )),
        Zone("kesselbrau.test", [("@", "MX", "0 ."), ("@", "A", "127.0.0.1")]),  # mail at the parent's
        _mail_zone("postfix.test"),
        _mail_zone("pfcatch.test"),
    ]
    for provider, host in PROVIDER_MX.items():
        out.append(Zone(provider_domain(provider), [("@", "MX", f"10 {host}.")]))
    for index, suffix in enumerate(provider_suffixes()):
        out.append(Zone(f"provider{index}.test", [("@", "MX", f"10 x1.{suffix}.")]))
    return out


def provider_suffixes() -> list[str]:
    """Every MX host suffix in patterns/providers.toml, in file order (zone providerN.test each)."""
    from reachout.data import load_toml

    return list(load_toml("providers").get("providers", {}))


def behaviour() -> Behaviour:
    return Behaviour(
        users={
            "jane.doe@acme.test",
            "j.doe@acme.test",
            "careers@acme.test",
            "bob@greylist.test",
            "ana@failover.test",
            "jose@xn--bcher-kva.test",
        },
        catch_all={"catchall.test"},
        greylist={"greylist.test"},
        block={"block.test"},
        disconnect={"drop.test"},
    )


POSTFIX_USERS = {"jane.doe@postfix.test", "hr@postfix.test"}
POSTFIX_CATCH_ALL = {"pfcatch.test"}
