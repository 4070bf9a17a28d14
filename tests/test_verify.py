"""Address verdicts: flags, syntax, DNS and the SMTP probe together."""

from __future__ import annotations

import pytest

from reachout.mail.verify import is_disposable, is_role, is_webmail, verify_address, verify_addresses


@pytest.mark.parametrize(
    ("local", "expected"),
    [
        ("info", True),
        ("Careers", True),
        ("hr+jobs", True),
        ("no-reply", True),
        ("talent.acquisition", True),
        ("jane.doe", False),
        ("hrothgar", False),
    ],
)
def test_role_accounts(local, expected):
    assert is_role(local) is expected


def test_webmail_and_disposable():
    assert is_webmail("gmail.com") and is_webmail("GMX.de")
    assert not is_webmail("acme.com")
    assert is_disposable("mailinator.com")
    assert is_disposable("sub.mailinator.com")
    assert not is_disposable("acme.com")


def opts(nameserver, **kw):
    return {"nameservers": [nameserver], "allow_private": True, "cache": False, "timeout": 2, **kw}


def probe_opts(nameserver, server, **kw):
    return opts(
        nameserver,
        smtp=True,
        smtp_port=server.port,
        smtp_interval=0,
        smtp_timeout=2,
        helo="probe.reachout.example",
        **kw,
    )


def test_without_smtp_a_good_domain_is_valid_but_says_the_mailbox_was_not_checked(nameserver):
    report = verify_address("Jane.Doe@ACME.test", **opts(nameserver))
    assert report.normalized == "Jane.Doe@acme.test"
    assert report.verdict == "valid"
    assert report.smtp is None
    assert report.reasons == [
        "acme.test accepts mail; the mailbox itself was not checked (pass --smtp to ask its mail "
        "server)"
    ]


def test_syntax_errors_are_invalid_without_any_lookup(nameserver):
    report = verify_address("jane@@acme.test", **opts(nameserver))
    assert (report.verdict, report.normalized, report.domain) == ("invalid", None, None)
    assert report.reasons[0].startswith("not a valid address: ")


def test_domain_verdicts(nameserver, lossy_nameserver):
    reports = verify_addresses(
        ["a@nullmx.test", "a@ghost.acme.test", "a@noaddr.test", "a@aonly.test"], **opts(nameserver)
    )
    assert [r.verdict for r in reports] == ["invalid", "invalid", "invalid", "risky"]
    timeout = verify_address("a@blackhole.test", **opts(lossy_nameserver, timeout=0.3))
    assert timeout.verdict == "unknown"
    assert timeout.reasons[0].startswith("unknown: no answer from")


def test_probe_verdicts_share_one_session_per_domain(nameserver, smtp_server):
    before = len(smtp_server.handler.commands("MAIL"))
    reports = verify_addresses(
        [
            "jane.doe@acme.test",
            "ghost.person@acme.test",
            "careers@acme.test",
            "who@catchall.test",
            "x@block.test",
            "y@greylist.test",
            "a@nullmx.test",
        ],
        **probe_opts(nameserver, smtp_server),
    )
    verdicts = {r.address: (r.verdict, r.smtp.result if r.smtp else None) for r in reports}
    assert verdicts == {
        "jane.doe@acme.test": ("valid", "deliverable"),
        "ghost.person@acme.test": ("invalid", "undeliverable"),
        "careers@acme.test": ("risky", "deliverable"),  # a role account
        "who@catchall.test": ("risky", "catch_all"),
        "x@block.test": ("unknown", "blocked"),
        "y@greylist.test": ("unknown", "greylisted"),
        "a@nullmx.test": ("invalid", None),  # no mail server to ask
    }
    # acme.test, catchall.test, block.test, greylist.test: one session each.
    assert len(smtp_server.handler.commands("MAIL")) - before == 4
    assert smtp_server.handler.commands("DATA") == []
    careers = reports[2]
    assert careers.role is True
    assert "role account: it reaches a team or function, not one person" in careers.reasons


def test_report_json_shape(nameserver, smtp_server):
    data = verify_address("jane.doe@acme.test", **probe_opts(nameserver, smtp_server)).to_dict()
    assert list(data) == [
        "address",
        "normalized",
        "verdict",
        "reasons",
        "role",
        "webmail",
        "disposable",
        "domain",
        "smtp",
    ]
    assert data["domain"]["status"] == "ok"
    assert list(data["smtp"]) == ["result", "code", "message", "mx", "catch_all", "transcript"]
    assert data["smtp"]["code"] == 250
