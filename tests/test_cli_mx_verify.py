"""CLI end to end: `reachout mx` and `reachout verify` against NSD, aiosmtpd, Postfix."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from click.testing import CliRunner

from reachout.cli import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_mx_table(nameserver):
    result = run(
        "mx",
        "acme.test",
        "nullmx.test",
        "ghost.acme.test",
        "--nameserver",
        nameserver,
        "--allow-private",
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == [
        "domain",
        "status",
        "mx",
        "provider",
        "spf_services",
        "dmarc",
        "reason",
    ]
    assert lines[1].startswith("acme.test        ok        10 mx1.acme.test; 20 mx2.acme.test  ")
    assert "Greenhouse (ats)" in lines[1] and "reject" in lines[1]
    assert lines[2].startswith("nullmx.test      null_mx ")
    assert lines[3].startswith("ghost.acme.test  nxdomain ")
    assert result.stderr == ""


def test_mx_json_schema(nameserver):
    result = run("mx", "acme.test", "--nameserver", nameserver, "--format", "json", "--allow-private")
    assert result.exit_code == 0
    [data] = json.loads(result.stdout)
    assert list(data)[:7] == [
        "domain",
        "status",
        "accepts_mail",
        "mx",
        "provider",
        "spf_services",
        "dmarc",
    ]
    assert data["mx"] == [
        {"preference": 10, "host": "mx1.acme.test"},
        {"preference": 20, "host": "mx2.acme.test"},
    ]
    assert {"name": "Greenhouse", "kind": "ats", "include": "mg-spf.greenhouse.io"} in data["spf_services"]
    assert data["dmarc"]["policy"] == "reject"
    assert data["reason"] == "2 MX records"


def test_mx_csv_from_stdin_with_a_bad_row(nameserver):
    result = run(
        "mx",
        "-",
        "--allow-private",
        "--nameserver",
        nameserver,
        "--format",
        "csv",
        input="acme.test\n# a comment\n\nnot..valid\nnullmx.test\n",
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "domain,status,accepts_mail,mx,provider,spf_services,dmarc,reason"
    # Streamed in the order the checks finish.
    rows = {line.split(",")[0]: line for line in lines[1:]}
    assert set(rows) == {"acme.test", "not..valid", "nullmx.test"}
    assert rows["acme.test"].startswith("acme.test,ok,yes,10 mx1.acme.test; 20 mx2.acme.test,self-hosted,")
    assert rows["not..valid"].startswith("not..valid,invalid,,,,,,")
    assert rows["nullmx.test"].startswith("nullmx.test,null_mx,no,,,,,")


def test_mx_json_from_stdin_streams_a_valid_list(nameserver):
    result = run(
        "mx",
        "-",
        "acme.test",
        "--allow-private",
        "--nameserver",
        nameserver,
        "--format",
        "json",
        input="nullmx.test\nghost.acme.test\n",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert sorted(d["status"] for d in data) == ["null_mx", "nxdomain", "ok"]
    empty = run("mx", "-", "--allow-private", "--nameserver", nameserver, "--format", "json", input="")
    assert json.loads(empty.stdout) == []


def test_mx_timeout_is_unknown_and_exit_zero(lossy_nameserver):
    result = run(
        "mx",
        "blackhole.test",
        "--allow-private",
        "--nameserver",
        lossy_nameserver,
        "--timeout",
        "0.3",
        "--format",
        "json",
    )
    assert result.exit_code == 0
    [data] = json.loads(result.stdout)
    assert (data["status"], data["accepts_mail"]) == ("timeout", None)


def test_mx_bad_input_is_one_line_exit_1(nameserver):
    result = run("mx", "localhost", "--nameserver", nameserver)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: 'localhost' has no top-level domain;")
    assert len(result.stderr.splitlines()) == 1
    bad_ns = run("mx", "example.com", "--nameserver", "ns1.example.com")
    assert bad_ns.exit_code == 1
    assert bad_ns.stderr == (
        "Error: Nameserver 'ns1.example.com' is not an IP address; pass IP or IP:PORT, e.g. 127.0.0.1:5353.\n"
    )


def test_mx_usage_error_exits_2():
    assert run("mx").exit_code == 2
    assert run("mx", "acme.test", "--format", "xml").exit_code == 2


def test_mx_uses_the_environment_nameserver_in_a_real_process(nameserver, reachout_home):
    env = {**os.environ, "REACHOUT_NAMESERVER": nameserver, "REACHOUT_HOME": str(reachout_home)}
    proc = subprocess.run(
        [sys.executable, "-m", "reachout", "mx", "acme.test", "--allow-private", "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["status"] == "ok"
    assert (reachout_home / "cache.sqlite").exists()


def test_verify_without_smtp(nameserver):
    result = run("verify", "jane.doe@acme.test", "bad@@x", "--nameserver", nameserver, "--allow-private")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["address", "verdict", "flags", "domain", "smtp", "reason"]
    assert lines[1].split()[:3] == ["jane.doe@acme.test", "valid", "ok"]
    assert lines[1].endswith(
        "acme.test accepts mail; the mailbox itself was not checked (pass --smtp to ask its mail server)"
    )
    assert lines[2].split()[:2] == ["bad@@x", "invalid"]


def test_verify_with_smtp_json(nameserver, smtp_server):
    result = run(
        "verify",
        "jane.doe@acme.test",
        "nobody@acme.test",
        "who@catchall.test",
        "--smtp",
        "--smtp-port",
        str(smtp_server.port),
        "--smtp-interval",
        "0",
        "--helo",
        "probe.reachout.example",
        "--nameserver",
        nameserver,
        "--allow-private",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(d["address"], d["verdict"], d["smtp"]["result"]) for d in data] == [
        ("jane.doe@acme.test", "valid", "deliverable"),
        ("nobody@acme.test", "invalid", "undeliverable"),
        ("who@catchall.test", "risky", "catch_all"),
    ]
    assert data[1]["smtp"]["code"] == 550
    assert "C: EHLO probe.reachout.example" in data[0]["smtp"]["transcript"]
    assert data[0]["domain"]["mx"][0] == {"preference": 10, "host": "mx1.acme.test"}


def test_verify_smtp_refuses_private_mx_without_allow_private(nameserver, smtp_server):
    # acme.test is a special-use name too, so without --allow-private the syntax check refuses it.
    result = run(
        "verify",
        "jane.doe@acme.test",
        "--smtp",
        "--smtp-port",
        str(smtp_server.port),
        "--nameserver",
        nameserver,
        "--format",
        "json",
    )
    assert result.exit_code == 0
    [data] = json.loads(result.stdout)
    assert data["verdict"] == "invalid"
    assert "special-use or reserved name" in data["reasons"][0]


def test_verify_against_postfix(nameserver, postfix):
    result = run(
        "verify",
        "jane.doe@postfix.test",
        "ghost@postfix.test",
        "hr@postfix.test",
        "someone@pfcatch.test",
        "--smtp",
        "--smtp-port",
        str(postfix.port),
        "--smtp-interval",
        "0",
        "--helo",
        "probe.reachout.example",
        "--nameserver",
        nameserver,
        "--allow-private",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    data = {d["address"]: d for d in json.loads(result.stdout)}
    assert data["jane.doe@postfix.test"]["verdict"] == "valid"
    assert data["jane.doe@postfix.test"]["smtp"]["result"] == "deliverable"
    ghost = data["ghost@postfix.test"]
    assert (ghost["verdict"], ghost["smtp"]["code"]) == ("invalid", 550)
    assert ghost["smtp"]["message"].startswith("5.1.1 <ghost@postfix.test>: Recipient address rejected")
    assert data["hr@postfix.test"]["role"] is True
    assert data["someone@pfcatch.test"]["smtp"]["result"] == "catch_all"
    transcript = ghost["smtp"]["transcript"]
    assert transcript[1] == "S: 220 mx.postfix.test ESMTP"
    assert not any(line.startswith("C: DATA") for line in transcript)
    # Postfix logged the probes and never received a message.
    assert "cleanup" not in postfix.log()


def test_help_for_every_new_command():
    for command in ("mx", "verify"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "--nameserver" in result.output
    assert "--smtp-port" in run("verify", "--help").output


def test_unreachable_nameserver_is_one_line_exit_1():
    # The test guard refuses any non-loopback address, as a machine without a route would.
    result = run("mx", "example.com", "--nameserver", "192.0.2.1")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Cannot reach any nameserver (192.0.2.1:53: ")
    assert len(result.stderr.splitlines()) == 1


def test_verify_reads_stdin_and_writes_csv(nameserver):
    result = run(
        "verify",
        "-",
        "--nameserver",
        nameserver,
        "--allow-private",
        "--format",
        "csv",
        input="jane.doe@acme.test\ninfo@nullmx.test\n",
    )
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == ("address,normalized,verdict,role,webmail,disposable,domain,smtp,code,reasons")
    assert lines[1].startswith("jane.doe@acme.test,jane.doe@acme.test,valid,no,no,no,ok,,,")
    assert lines[2].startswith("info@nullmx.test,info@nullmx.test,invalid,yes,no,no,null_mx,,,")


def test_an_mx_at_a_private_address_takes_no_mail_unless_allowed(nameserver):
    # Once `mx` said ok and `verify` valid for an MX at 127.0.0.1, while the implicit-MX route
    # (loopback-a-record.net) refused the same address: one rule for both now.
    names = ["loopback-mx.net", "private-mx.net", "mixed-mx.net", "loopback-a-record.net"]
    result = run("mx", *names, "--nameserver", nameserver, "--format", "json")
    assert result.exit_code == 0, result.output
    reports = {r["domain"]: r for r in json.loads(result.stdout)}
    assert {d: r["status"] for d, r in reports.items()} == {
        "loopback-mx.net": "no_mail", "private-mx.net": "no_mail", "mixed-mx.net": "ok",
        "loopback-a-record.net": "no_mail"}
    assert reports["loopback-mx.net"]["reason"] == (
        "loopback-mx.net's MX (mx.loopback-mx.net): its only address (127.0.0.1) is not globally "
        "routable; pass --allow-private to use it")
    assert "(10.1.2.3, fd00::25) are not globally routable" in reports["private-mx.net"]["reason"]
    verdict = run("verify", "jane@loopback-mx.net", "--nameserver", nameserver, "--format", "json")
    assert json.loads(verdict.stdout)[0]["verdict"] != "valid", verdict.output
    allowed = run("mx", *names, "--nameserver", nameserver, "--format", "json", "--allow-private")
    assert {r["domain"]: r["status"] for r in json.loads(allowed.stdout)} == {
        "loopback-mx.net": "ok", "private-mx.net": "ok", "mixed-mx.net": "ok",
        "loopback-a-record.net": "implicit_mx"}


def test_an_address_with_bytes_lost_in_decoding_is_invalid(nameserver):
    # U+FFFD marks bytes a decoder could not read: "x\ufffd@…" is not the address the user has.
    result = run("verify", "x\ufffd@acme.test", "x\udc80@acme.test", "--nameserver", nameserver,
                 "--allow-private", "--format", "json")
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [r["verdict"] for r in reports] == ["invalid", "invalid"]
    assert "U+FFFD at position 1 stands for bytes that were not valid text" in reports[0]["reasons"][0]
