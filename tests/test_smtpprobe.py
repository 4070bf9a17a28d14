"""The SMTP probe against real servers on loopback (aiosmtpd with scripted behaviours)."""

from __future__ import annotations

import asyncio
import itertools
import random
import time

import pytest

from reachout.mail.dnsclient import DnsClient, parse_nameserver
from reachout.mail.smtpprobe import MxPacer, ProbeSettings, classify, probe_domain, random_local_parts


@pytest.mark.parametrize(
    ("code", "text", "expected"),
    [
        (250, "2.1.5 OK", "deliverable"),
        (251, "User not local; will forward", "deliverable"),
        (252, "Cannot VRFY user", "unknown"),
        (450, "4.2.0 Mailbox busy", "greylisted"),
        (451, "4.7.1 Greylisted, try later", "greylisted"),
        (550, "5.1.1 User unknown", "undeliverable"),
        (550, "5.7.1 Client host rejected: blocked", "blocked"),
        (550, "5.7.606 Access denied, banned sending IP", "blocked"),
        (553, "5.1.8 Sender address rejected", "blocked"),
        (550, "Requested action not taken: mailbox unavailable", "undeliverable"),
        (550, "Service unavailable; client [1.2.3.4] blocked using zen.spamhaus.org", "blocked"),
        (554, "Transaction failed", "blocked"),
        (554, "5.4.14 Hop count exceeded", "unknown"),
        (552, "5.2.2 Mailbox full", "undeliverable"),
    ],
)
def test_classify_reply(code, text, expected):
    assert classify(code, text) == expected


def test_random_local_parts_look_like_people_and_differ():
    parts = random_local_parts(3, random.Random(7))
    assert len(set(parts)) == 3
    for part in parts:
        first, last = part.split(".")
        assert first.isalpha() and last.rstrip("0123456789").isalpha()


def probe(nameserver, server_port, domain, addresses, mx=None, **settings):
    settings.setdefault("allow_private", True)
    settings.setdefault("interval", 0)
    settings.setdefault("timeout", 2)
    settings.setdefault("helo", "probe.reachout.example")

    async def run():
        async with DnsClient([parse_nameserver(nameserver)], timeout=2) as client:
            return await probe_domain(
                domain,
                addresses,
                mx or [f"mx.{domain}"],
                client=client,
                settings=ProbeSettings(port=server_port, **settings),
            )

    return asyncio.run(run())


def test_known_and_unknown_mailbox_share_one_session(nameserver, smtp_server):
    before = len(smtp_server.handler.commands("MAIL"))
    results = probe(
        nameserver,
        smtp_server.port,
        "acme.test",
        ["jane.doe@acme.test", "nobody.here@acme.test", "j.doe@acme.test"],
        mx=["mx1.acme.test", "mx2.acme.test"],
    )
    assert results["jane.doe@acme.test"].result == "deliverable"
    assert results["j.doe@acme.test"].result == "deliverable"
    unknown = results["nobody.here@acme.test"]
    assert (unknown.result, unknown.code) == ("undeliverable", 550)
    assert unknown.message.startswith("5.1.1 <nobody.here@acme.test>")
    assert unknown.catch_all is False
    assert unknown.mx == "mx1.acme.test"
    # One session: one MAIL FROM, three candidates plus two catch-all look-alikes.
    assert len(smtp_server.handler.commands("MAIL")) == before + 1
    transcript = unknown.transcript
    assert transcript[1].startswith("S: 220 ")
    assert transcript[2] == "C: EHLO probe.reachout.example"
    assert "C: MAIL FROM:<>" in transcript
    assert sum(line.startswith("C: RCPT TO:") for line in transcript) == 5
    assert transcript[-2:] == ["C: QUIT", "S: 221 Bye"]
    assert not any(line.startswith("C: DATA") for line in transcript)
    assert smtp_server.handler.commands("DATA") == []


def test_catch_all_server_is_not_deliverable(nameserver, smtp_server):
    results = probe(nameserver, smtp_server.port, "catchall.test", ["anyone@catchall.test"])
    result = results["anyone@catchall.test"]
    assert (result.result, result.code, result.catch_all) == ("catch_all", 250, True)
    probes = [line for line in result.transcript if line.startswith("C: RCPT TO:")]
    assert len(probes) == 3  # the candidate and two random look-alikes


def test_greylisting_is_reported_not_mistaken_for_catch_all(nameserver, smtp_server):
    results = probe(nameserver, smtp_server.port, "greylist.test", ["bob@greylist.test"])
    result = results["bob@greylist.test"]
    assert (result.result, result.code) == ("greylisted", 451)
    assert result.catch_all is None


def test_greylist_wait_asks_again_and_gets_the_answer(nameserver, smtp_server):
    results = probe(
        nameserver,
        smtp_server.port,
        "greylist.test",
        ["bob@greylist.test", "nobody2@greylist.test"],
        greylist_wait=0.05,
    )
    # bob was greylisted by the previous test already; nobody2 is new: both end with a real answer.
    assert results["bob@greylist.test"].result == "deliverable"
    assert results["nobody2@greylist.test"].result == "undeliverable"
    assert any("greylisted: trying again" in line for line in results["bob@greylist.test"].transcript)


def test_policy_block_is_blocked_not_no_such_user(nameserver, smtp_server):
    result = probe(nameserver, smtp_server.port, "block.test", ["a@block.test"])["a@block.test"]
    assert (result.result, result.code) == ("blocked", 550)
    assert result.message.startswith("5.7.1 ")


def test_sender_refused_by_policy(nameserver):
    from tests.servers.smtp import Behaviour, SmtpServer

    with SmtpServer(Behaviour(users={"jane.doe@acme.test"}, block_sender=True)) as server:
        result = probe(
            nameserver,
            server.port,
            "acme.test",
            ["jane.doe@acme.test"],
            mx=["mx1.acme.test"],
            sender="me@example.org",
        )
    assert (result["jane.doe@acme.test"].result, result["jane.doe@acme.test"].code) == (
        "blocked",
        550,
    )
    assert "C: MAIL FROM:<me@example.org>" in result["jane.doe@acme.test"].transcript


def test_disconnect_mid_session_is_unknown(nameserver, smtp_server):
    result = probe(nameserver, smtp_server.port, "drop.test", ["a@drop.test"])["a@drop.test"]
    assert result.result == "unknown"
    assert result.code is None
    assert "closed the connection" in result.message


def test_slow_banner_times_out_as_unknown(nameserver):
    from tests.servers.smtp import SlowBannerServer

    with SlowBannerServer(0.6) as server:
        slow = probe(
            nameserver,
            server.port,
            "acme.test",
            ["jane.doe@acme.test"],
            mx=["mx1.acme.test"],
            timeout=0.2,
        )["jane.doe@acme.test"]
        patient = probe(
            nameserver,
            server.port,
            "acme.test",
            ["jane.doe@acme.test"],
            mx=["mx1.acme.test"],
            timeout=2,
        )["jane.doe@acme.test"]
    assert slow.result == "unknown"
    assert "no banner within 0.2 s" in slow.message
    assert (patient.result, patient.code) == ("catch_all", 250)  # it accepts anyone


def test_refusing_banner_is_blocked(nameserver):
    from tests.servers.smtp import SmtpServer

    with SmtpServer(banner="554 5.7.1 No SMTP service for you") as server:
        result = probe(nameserver, server.port, "acme.test", ["jane.doe@acme.test"], mx=["mx1.acme.test"])[
            "jane.doe@acme.test"
        ]
    assert (result.result, result.code) == ("blocked", 554)


def test_starttls_is_used_when_offered(nameserver, smtp_tls_server):
    before = len(smtp_tls_server.handler.events)
    result = probe(
        nameserver, smtp_tls_server.port, "acme.test", ["jane.doe@acme.test"], mx=["mx1.acme.test"]
    )["jane.doe@acme.test"]
    assert result.result == "deliverable"
    assert "C: STARTTLS" in result.transcript
    assert any(line.startswith("-- TLS established (TLSv1.") for line in result.transcript)
    rcpts = [e for e in smtp_tls_server.handler.events[before:] if e[0] == "RCPT"]
    assert rcpts and all(over_tls for _, _, over_tls in rcpts)


def test_no_starttls_when_not_offered(nameserver, smtp_server):
    result = probe(nameserver, smtp_server.port, "acme.test", ["jane.doe@acme.test"], mx=["mx1.acme.test"])[
        "jane.doe@acme.test"
    ]
    assert "C: STARTTLS" not in result.transcript


def test_fails_over_to_the_next_mx_on_connection_errors(nameserver, smtp_server):
    result = probe(
        nameserver,
        smtp_server.port,
        "failover.test",
        ["ana@failover.test"],
        mx=["down.failover.test", "up.failover.test"],
    )["ana@failover.test"]
    assert (result.result, result.mx) == ("deliverable", "up.failover.test")
    assert "-- connect 127.0.0.2:" in result.transcript[0]


def test_port_unreachable_is_unknown(nameserver, smtp_server):
    result = probe(nameserver, smtp_server.port, "unreachable.test", ["a@unreachable.test"])
    message = result["a@unreachable.test"].message
    assert result["a@unreachable.test"].result == "unknown"
    assert message.startswith(f"unknown: port {smtp_server.port} unreachable on every MX")


def test_private_mx_is_not_probed_unless_allowed(nameserver, smtp_server):
    result = probe(
        nameserver,
        smtp_server.port,
        "acme.test",
        ["jane.doe@acme.test"],
        mx=["mx1.acme.test"],
        allow_private=False,
    )["jane.doe@acme.test"]
    assert result.result == "unknown"
    assert "private address 127.0.0.1; pass --allow-private" in result.message


def test_default_helo_is_honest(nameserver, smtp_server):
    import socket

    result = probe(
        nameserver,
        smtp_server.port,
        "acme.test",
        ["jane.doe@acme.test"],
        mx=["mx1.acme.test"],
        helo=None,
    )["jane.doe@acme.test"]
    name = socket.gethostname()
    expected = name if "." in name and not name.startswith("localhost") else "[127.0.0.1]"
    assert f"C: EHLO {expected}" in result.transcript


def test_too_many_recipients_continue_in_a_new_session(nameserver):
    from tests.servers.smtp import Behaviour, SmtpServer

    users = {f"user{i}@acme.test" for i in range(5)}
    with SmtpServer(Behaviour(users=users, max_recipients=2)) as server:
        results = probe(nameserver, server.port, "acme.test", sorted(users), mx=["mx1.acme.test"])
        sessions = len(server.handler.commands("MAIL"))
    assert {r.result for r in results.values()} == {"deliverable"}
    assert sessions == 4  # 7 recipients (5 + 2 look-alikes), two per session


def test_sessions_split_to_stay_under_the_servers_limits(nameserver, smtp_server):
    before = len(smtp_server.handler.commands("MAIL"))
    addresses = [f"nobody{i}@acme.test" for i in range(10)]
    results = probe(nameserver, smtp_server.port, "acme.test", addresses, mx=["mx1.acme.test"], max_errors=4)
    assert {r.result for r in results.values()} == {"undeliverable"}
    assert len(smtp_server.handler.commands("MAIL")) - before == 3  # 12 rejections, 4 a session


def test_pacer_keeps_one_session_per_mx_and_spaces_them():
    async def run():
        pacer = MxPacer(0.1)
        inside = 0
        peak = 0
        starts = []

        async def session():
            nonlocal inside, peak
            async with pacer.slot(("127.0.0.1", 25)):
                starts.append(time.monotonic())
                inside += 1
                peak = max(peak, inside)
                await asyncio.sleep(0.01)
                inside -= 1

        await asyncio.gather(*(session() for _ in range(3)))
        return peak, starts

    peak, starts = asyncio.run(run())
    assert peak == 1
    assert all(b - a >= 0.095 for a, b in itertools.pairwise(starts))


def test_failed_tls_handshake_retries_the_server_without_tls(nameserver, monkeypatch):
    import ssl
    import warnings

    from tests.servers import smtp as servers

    def tls1_only(hostname="mx.test"):
        context = real(hostname)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            context.maximum_version = ssl.TLSVersion.TLSv1  # refused by any modern client
        return context

    real = servers.tls_context
    monkeypatch.setattr(servers, "tls_context", tls1_only)
    with servers.SmtpServer(servers.Behaviour(users={"jane.doe@acme.test"}), starttls=True) as server:
        result = probe(nameserver, server.port, "acme.test", ["jane.doe@acme.test"], mx=["mx1.acme.test"])[
            "jane.doe@acme.test"
        ]
    assert result.result == "deliverable"
    assert any(line.startswith("-- TLS handshake failed") for line in result.transcript)
    assert any(line.startswith("-- retrying without STARTTLS") for line in result.transcript)
