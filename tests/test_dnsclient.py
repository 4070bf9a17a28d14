"""Unit tests of the stub client's parsing pieces."""

from __future__ import annotations

import dns.message
import dns.rcode
import dns.rrset
import pytest
from hypothesis import given
from hypothesis import strategies as st

from reachout.errors import BadInput
from reachout.mail.dnsclient import (
    MX,
    TXT,
    encode_name,
    interpret,
    parse_nameserver,
    resolve_nameservers,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("127.0.0.1", ("127.0.0.1", 53)),
        ("127.0.0.1:5353", ("127.0.0.1", 5353)),
        ("::1", ("::1", 53)),
        ("[::1]:5300", ("::1", 5300)),
    ],
)
def test_parse_nameserver(text, expected):
    assert parse_nameserver(text) == expected


@pytest.mark.parametrize("text", ["ns.example.com", "127.0.0.1:0", "127.0.0.1:x", "[::1"])
def test_bad_nameserver_is_bad_input(text):
    with pytest.raises(BadInput):
        parse_nameserver(text)


def test_environment_variable_lists_nameservers(monkeypatch):
    monkeypatch.setenv("REACHOUT_NAMESERVER", "127.0.0.1:5300, 127.0.0.2")
    assert resolve_nameservers(None) == [("127.0.0.1", 5300), ("127.0.0.2", 53)]
    assert resolve_nameservers(["127.0.0.9"]) == [("127.0.0.9", 53)]


def test_encode_name():
    assert encode_name("acme.com.") == b"\x04acme\x03com\x00"
    with pytest.raises(BadInput):
        encode_name("a" * 64 + ".com")


def _reply(name, rdtype, *rrsets, rcode=dns.rcode.NOERROR, authority=()):
    query = dns.message.make_query(name, rdtype)
    response = dns.message.make_response(query)
    response.set_rcode(rcode)
    for rrset in rrsets:
        response.answer.append(rrset)
    for rrset in authority:
        response.authority.append(rrset)
    return response


def test_interpret_follows_cname_chain_inside_one_answer():
    reply = _reply(
        "www.a.test",
        "MX",
        dns.rrset.from_text("www.a.test.", 60, "IN", "CNAME", "b.test."),
        dns.rrset.from_text("b.test.", 30, "IN", "MX", "10 mx.b.test."),
    )
    answer = interpret(reply, "www.a.test", MX)
    assert (answer.status, answer.records, answer.canonical, answer.ttl) == (
        "ok",
        ((10, "mx.b.test"),),
        "b.test",
        30,
    )


def test_interpret_negative_answers_use_the_soa_minimum():
    soa = dns.rrset.from_text("a.test.", 600, "IN", "SOA", "ns.a.test. h.a.test. 1 2 3 4 120")
    nodata = interpret(_reply("a.test", "TXT", authority=[soa]), "a.test", TXT)
    assert (nodata.status, nodata.ttl) == ("nodata", 120)
    nx = interpret(_reply("x.a.test", "TXT", rcode=dns.rcode.NXDOMAIN, authority=[soa]), "x.a.test", TXT)
    assert (nx.status, nx.ttl) == ("nxdomain", 120)


def test_interpret_servfail_and_refused():
    assert interpret(_reply("a.test", "MX", rcode=dns.rcode.SERVFAIL), "a.test", MX).status == ("servfail")
    assert interpret(_reply("a.test", "MX", rcode=dns.rcode.REFUSED), "a.test", MX).status == ("refused")


def test_txt_strings_are_joined():
    reply = _reply(
        "a.test",
        "TXT",
        dns.rrset.from_text("a.test.", 60, "IN", "TXT", '"v=spf1 include:" "x.test -all"'),
    )
    assert interpret(reply, "a.test", TXT).records == ("v=spf1 include:x.test -all",)


def test_fast_parser_agrees_with_dnspython_on_a_real_reply():
    from reachout.mail.dnsclient import decide, parse_wire

    reply = _reply(
        "www.a.test",
        "MX",
        dns.rrset.from_text("www.a.test.", 60, "IN", "CNAME", "b.test."),
        dns.rrset.from_text("b.test.", 30, "IN", "MX", "10 mx.b.test.", "20 mx2.b.test."),
    )
    wire = reply.to_wire()  # dnspython compresses names: the parser must follow pointers
    fast = decide(parse_wire(wire, MX), "www.a.test", MX)
    slow = interpret(reply, "www.a.test", MX)
    assert sorted(fast.records) == sorted(slow.records) == [(10, "mx.b.test"), (20, "mx2.b.test")]
    assert (fast.status, fast.canonical, fast.ttl) == (slow.status, slow.canonical, slow.ttl)


@given(st.binary(max_size=600))
def test_fast_parser_never_raises_on_garbage(data):
    from reachout.mail.dnsclient import parse_wire

    parsed = parse_wire(data, MX)
    assert parsed is None or isinstance(parsed.answers, list)


@given(st.binary(min_size=12, max_size=300))
def test_fast_parser_survives_truncations_of_a_real_reply(tail):
    from reachout.mail.dnsclient import parse_wire

    reply = _reply("a.test", "TXT", dns.rrset.from_text("a.test.", 60, "IN", "TXT", '"hello"'))
    wire = reply.to_wire()
    for cut in range(len(wire)):
        parse_wire(wire[:cut] + tail[:3], TXT)
