"""check_domain / check_domains against a real NSD on loopback."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from reachout.cache import TTLCache
from reachout.errors import BadInput
from reachout.mail.dnscheck import MxRecord, check_domain, check_domains, check_domains_async
from tests.servers.world import PROVIDER_MX, provider_domain


def check(domain, nameserver, **kw):
    kw.setdefault("timeout", 2.0)
    kw.setdefault("cache", False)
    kw.setdefault("allow_private", True)  # the test world lives under .test
    return check_domain(domain, nameservers=[nameserver], **kw)


def test_mx_records_sorted_by_preference_with_spf_and_dmarc(nameserver):
    report = check("acme.test", nameserver)
    assert report.status == "ok"
    assert report.accepts_mail is True
    assert report.mx == [MxRecord(10, "mx1.acme.test"), MxRecord(20, "mx2.acme.test")]
    assert report.provider == "self-hosted"
    assert report.spf == (
        "v=spf1 include:_spf.google.com include:_spf.acme.test include:mg-spf.greenhouse.io ~all"
    )
    # _spf.acme.test is the company's own include: followed one level to SendGrid and Workday.
    assert [(s.name, s.kind) for s in report.spf_services] == [
        ("Google Workspace", "email"),
        ("Greenhouse", "ats"),
        ("SendGrid", "transactional"),
        ("Workday", "ats"),
    ]
    assert report.dmarc is not None
    assert (report.dmarc.policy, report.dmarc.subdomain_policy, report.dmarc.percent) == (
        "reject",
        "quarantine",
        50,
    )
    assert report.reason == "2 MX records"


def test_null_mx_accepts_no_mail(nameserver):
    report = check("nullmx.test", nameserver)
    assert (report.status, report.accepts_mail, report.mx) == ("null_mx", False, [])
    assert "RFC 7505" in report.reason


def test_null_mx_next_to_real_mx_is_ignored(nameserver):
    report = check("mixednull.test", nameserver)
    assert report.status == "ok"
    assert report.mx == [MxRecord(10, "mx.mixednull.test")]
    assert report.notes == ["a null MX next to real MX records is ignored (RFC 7505 §3)"]


def test_implicit_mx_needs_a_global_address_unless_allowed(nameserver):
    private = check("loopback-a-record.net", nameserver, allow_private=False)
    assert private.status == "no_mail"
    assert "127.0.0.1" in private.reason and "--allow-private" in private.reason
    allowed = check("aonly.test", nameserver, allow_private=True)
    assert allowed.status == "implicit_mx"
    assert allowed.mx == [MxRecord(0, "aonly.test")]
    public = check("public-a-record.net", nameserver, allow_private=False)
    assert public.status == "implicit_mx"
    assert "93.184.215.14" in public.reason


def test_aaaa_only_domain_is_implicit_mx(nameserver):
    assert check("aaaaonly.test", nameserver, allow_private=True).status == "implicit_mx"


def test_no_mx_no_address_takes_no_mail(nameserver):
    report = check("noaddr.test", nameserver)
    assert (report.status, report.accepts_mail) == ("no_mail", False)
    assert report.reason == "noaddr.test has no MX and no A/AAAA record, so it takes no mail"


def test_cname_in_same_zone_and_across_zones(nameserver):
    same = check("jobs.acme.test", nameserver)
    assert same.status == "ok" and same.canonical == "acme.test"
    assert same.mx[0] == MxRecord(10, "mx1.acme.test")
    across = check("www.alias.test", nameserver)  # NSD returns only the CNAME: we chase it
    assert across.status == "ok" and across.canonical == "acme.test"
    assert across.provider == "self-hosted"
    assert "via CNAME to acme.test" in across.reason


def test_cname_loop_is_servfail_not_a_hang(nameserver):
    report = check("loop1.alias.test", nameserver, policy=False)
    assert report.status == "servfail"
    assert "CNAME loop" in report.reason


def test_nxdomain_and_refused_are_distinct(nameserver):
    nx = check("ghost.acme.test", nameserver)
    assert (nx.status, nx.accepts_mail) == ("nxdomain", False)
    refused = check("not-served.example", nameserver)  # NSD is not authoritative: REFUSED
    assert (refused.status, refused.accepts_mail) == ("refused", None)
    assert refused.reason.startswith("unknown: ")


def test_timeout_is_unknown_never_invalid(lossy_nameserver):
    report = check("blackhole.test", lossy_nameserver, timeout=0.4)
    assert (report.status, report.accepts_mail) == ("timeout", None)
    assert report.reason.startswith("unknown: no answer from")


def test_fails_over_to_the_next_nameserver(dead_nameserver, nameserver):
    report = check_domain(
        "acme.test",
        nameservers=[dead_nameserver, nameserver],
        timeout=0.6,
        cache=False,
        allow_private=True,
    )
    assert report.status == "ok"


def test_port_unreachable_nameserver_times_out_quickly():
    from tests.servers.dns import free_port

    report = check("acme.test", f"127.0.0.1:{free_port()}", timeout=3.0, policy=False)
    assert report.status == "timeout"
    assert "unreachable" in report.reason


def test_truncated_answer_falls_back_to_tcp(nameserver):
    report = check("bigtxt.test", nameserver)
    assert report.status == "ok"
    assert [s.name for s in report.spf_services] == ["Microsoft 365", "Lever"]


@pytest.mark.parametrize("provider", sorted(PROVIDER_MX))
def test_provider_from_mx_host(nameserver, provider):
    report = check(provider_domain(provider), nameserver, policy=False)
    assert report.provider == provider


def test_every_provider_in_the_data_file_is_recognised(nameserver):
    from reachout.data import load_toml
    from tests.servers.world import provider_suffixes

    table = load_toml("providers")["providers"]
    suffixes = provider_suffixes()
    reports = check_domains(
        [f"provider{i}.test" for i in range(len(suffixes))],
        nameservers=[nameserver],
        cache=False,
        policy=False,
        allow_private=True,
    )
    assert [r.provider for r in reports] == [table[s] for s in suffixes]


def test_dmarc_falls_back_to_the_organisational_domain(nameserver):
    report = check("intranet.acme.test", nameserver, allow_private=True)
    assert report.status == "implicit_mx"
    assert report.dmarc is not None and report.dmarc.source == "_dmarc.acme.test"


def test_idn_domain(nameserver):
    report = check("bücher.test", nameserver)
    assert report.domain == "bücher.test"
    assert report.mx == [MxRecord(10, "mx.xn--bcher-kva.test")]


def test_bad_domain_raises_one_error(nameserver):
    with pytest.raises(BadInput, match="has no top-level domain"):
        check("localhost", nameserver)
    with pytest.raises(BadInput, match="special-use or private name"):
        check("acme.test", nameserver, allow_private=False)


def test_bulk_keeps_input_order_and_reports_bad_rows(nameserver):
    reports = check_domains(
        ["nullmx.test", "acme.test", "not..valid", "ghost.acme.test"],
        nameservers=[nameserver],
        timeout=2,
        cache=False,
        allow_private=True,
    )
    assert [r.status for r in reports] == ["null_mx", "ok", "invalid", "nxdomain"]
    assert reports[2].input == "not..valid"


def test_async_bulk_streams_lazily_with_bounded_flight(lossy_nameserver):
    pulled = 0

    def endless():
        nonlocal pulled
        while True:
            pulled += 1
            yield "acme.test" if pulled % 2 else "blackhole.test"

    async def first(n):
        out = []
        stream = check_domains_async(
            endless(),
            concurrency=4,
            nameservers=[lossy_nameserver],
            timeout=0.3,
            cache=False,
            allow_private=True,
        )
        async with contextlib.aclosing(stream):
            async for report in stream:
                out.append(report)
                if len(out) == n:
                    break
        return out

    reports = asyncio.run(first(10))
    assert len(reports) == 10
    # Only what was in flight plus a queue's worth was read from an endless input.
    assert pulled <= 10 + 4 + 4 + 1
    # acme.test answers come back before blackhole.test timeouts: yielded as each finishes.
    assert reports[0].domain == "acme.test"
    assert {r.status for r in reports} <= {"ok", "timeout"}


def test_async_bulk_accepts_an_async_iterable(nameserver):
    async def source():
        for name in ("acme.test", "nullmx.test"):
            yield name

    async def collect():
        return [
            r
            async for r in check_domains_async(
                source(), nameservers=[nameserver], cache=False, allow_private=True
            )
        ]

    assert sorted(r.status for r in asyncio.run(collect())) == ["null_mx", "ok"]


def test_answers_are_cached_in_sqlite_for_their_ttl(nsd, reachout_home):
    from tests.servers.dns import DnsRelay

    with DnsRelay(nsd.port) as relay:
        assert (
            check_domain("acme.test", nameservers=[relay.nameserver], cache=True, allow_private=True).status
            == "ok"
        )
        first = relay.forwarded
        assert first >= 3
        relay.drop = (b"test",)  # from now on the server would time out
        again = check_domain(
            "acme.test", nameservers=[relay.nameserver], cache=True, timeout=0.3, allow_private=True
        )
        assert again.status == "ok" and again.mx[0] == MxRecord(10, "mx1.acme.test")
        assert relay.forwarded == first
        assert relay.dropped == 0
    assert (reachout_home / "cache.sqlite").exists()


def test_in_run_memory_cache_and_deduplication(nsd):
    from tests.servers.dns import DnsRelay

    with DnsRelay(nsd.port) as relay:
        reports = check_domains(
            ["acme.test"] * 20,
            nameservers=[relay.nameserver],
            cache=TTLCache.memory(),
            timeout=2,
            allow_private=True,
        )
        assert {r.status for r in reports} == {"ok"}
        assert relay.forwarded == 4  # MX, TXT, _dmarc TXT, _spf TXT: once each, not 20 times


def test_nameserver_from_environment(nameserver, monkeypatch):
    monkeypatch.setenv("REACHOUT_NAMESERVER", nameserver)
    assert check_domain("acme.test", cache=False, allow_private=True).status == "ok"


def test_a_refusing_nameserver_is_not_the_last_word(nameserver, tmp_path):
    from tests.servers.dns import NsdServer, Zone

    with NsdServer([Zone("elsewhere.test")], tmp_path) as other:  # refuses acme.test
        alone = check("acme.test", other.nameserver, policy=False)
        both = check_domain(
            "acme.test",
            nameservers=[other.nameserver, nameserver],
            cache=False,
            allow_private=True,
            timeout=2,
        )
    assert alone.status == "refused"
    assert both.status == "ok" and both.mx[0] == MxRecord(10, "mx1.acme.test")
