"""`reachout guess --verify [--smtp]` end to end, and verify_guess's re-ranking."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reachout.cli import cli
from reachout.guessing import guess
from reachout.mail.verify import verify_guess


def run(*args):
    return CliRunner().invoke(cli, list(args))


def smtp_args(nameserver, server):
    return [
        "--allow-private",
        "--nameserver",
        nameserver,
        "--smtp-port",
        str(server.port),
        "--smtp-interval",
        "0",
        "--helo",
        "probe.reachout.example",
    ]


def test_rejected_candidates_drop_out_and_the_rest_are_renormalised(nameserver, smtp_server):
    plain = guess("Jane Doe", "acme.test", top=7, roles=False, allow_private=True)
    checked = verify_guess(
        plain,
        smtp=True,
        nameservers=[nameserver],
        allow_private=True,
        cache=False,
        smtp_port=smtp_server.port,
        smtp_interval=0,
    )
    before = {c.address: c.confidence for c in plain.candidates}
    after = {c.address: c.confidence for c in checked.guess.candidates}
    gone = {c.address for c in checked.ruled_out}
    assert set(after) == {"jane.doe@acme.test", "j.doe@acme.test"}
    assert gone == set(before) - set(after)
    dropped = sum(before[a] for a in gone)
    for address, confidence in after.items():
        assert confidence == pytest.approx(before[address] / (1 - dropped))
    assert next(c.address for c in checked.guess.candidates) == "jane.doe@acme.test"
    assert checked.reports["jdoe@acme.test"].verdict == "invalid"
    # One DNS check and one SMTP session for all the candidates of the domain.
    assert all(r.smtp is not None for r in checked.reports.values())
    transcripts = {id(r.smtp.transcript) for r in checked.reports.values()}
    assert len(transcripts) == 1


def test_catch_all_domain_changes_nothing(nameserver, smtp_server):
    plain = guess("Jane Doe", "catchall.test", top=3, roles=False, allow_private=True)
    checked = verify_guess(
        plain,
        smtp=True,
        nameservers=[nameserver],
        allow_private=True,
        cache=False,
        smtp_port=smtp_server.port,
        smtp_interval=0,
    )
    assert [(c.address, c.confidence) for c in checked.guess.candidates] == [
        (c.address, c.confidence) for c in plain.candidates
    ]
    assert checked.ruled_out == []
    assert {r.verdict for r in checked.reports.values()} == {"risky"}
    assert any("catch-all" in n for n in checked.notices)


def test_guess_verify_smtp_json(nameserver, smtp_server):
    result = run(
        "guess",
        "Jane Doe",
        "acme.test",
        "--smtp",
        "--top",
        "4",
        "--format",
        "json",
        *smtp_args(nameserver, smtp_server),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    personal = [c for c in data["candidates"] if c["kind"] == "personal"]
    assert personal[0]["address"] == "jane.doe@acme.test"
    assert personal[0]["verification"]["verdict"] == "valid"
    assert personal[0]["verification"]["smtp"]["result"] == "deliverable"
    assert {c["verification"]["smtp"]["result"] for c in data["ruled_out"]} == {"undeliverable"}
    assert data["mail_domain"]["status"] == "ok"
    assert result.stderr.startswith("Notice: The mail server rejected ")


def test_guess_verify_table_says_when_the_domain_takes_no_mail(nameserver):
    result = run(
        "guess",
        "Jane Doe",
        "nullmx.test",
        "--verify",
        "--top",
        "2",
        "--no-roles",
        "--allow-private",
        "--nameserver",
        nameserver,
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "Jane Doe at nullmx.test (mail: null_mx: nullmx.test publishes a null MX "
        "(RFC 7505): it accepts no mail)"
    )
    assert lines[2].split() == ["address", "confidence", "verdict", "smtp", "why"]
    assert lines[3].split()[2] == "invalid"
    assert result.stderr == (
        "Notice: nullmx.test takes no mail: nullmx.test publishes a null MX "
        "(RFC 7505): it accepts no mail. None of these addresses can receive "
        "anything.\n"
    )


def test_guess_without_verify_is_unchanged(nameserver):
    result = run("guess", "Jane Doe", "acme.test", "--top", "2", "--allow-private")
    assert result.exit_code == 0
    assert "verdict" not in result.stdout
