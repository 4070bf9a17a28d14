"""Issue 14 through the CLI: one row's trouble is that row's answer; output is always UTF-8."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from reachout.cli import cli
from tests.servers.world import LONG_DOMAIN


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def verify(nameserver, *args: str, input=None):
    result = run("verify", *args, "--nameserver", nameserver, "--allow-private", "--format", "json",
                 input=input)
    assert result.exit_code == 0, result.stderr
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout_bytes.decode("utf-8")), result


def test_a_domain_too_long_for_dmarc_costs_no_other_row(nameserver):
    assert len(LONG_DOMAIN) == 252
    rows, _ = verify(nameserver, "jane@acme.test", f"j@{LONG_DOMAIN}", "raj@acme.test")
    assert [r["address"].split("@")[0] for r in rows] == ["jane", "j", "raj"]
    long_row = rows[1]
    assert long_row["domain"]["status"] == "ok"
    assert any("DMARC not looked up: _dmarc.aaaa" in r and "longer than DNS allows (255)" in r
               for r in long_row["reasons"]), long_row["reasons"]
    assert rows[0]["domain"]["dmarc"]["policy"] == "reject"


@pytest.mark.parametrize("stdin", [False, True], ids=["arguments", "stdin"])
def test_mx_of_a_domain_too_long_for_dmarc(nameserver, stdin):
    args = ["-"] if stdin else ["acme.test", LONG_DOMAIN]
    result = run("mx", *args, "--nameserver", nameserver, "--allow-private", "--format", "json",
                 input=f"acme.test\n{LONG_DOMAIN}\n" if stdin else None)
    assert result.exit_code == 0, result.stderr
    rows = {r["domain"]: r for r in json.loads(result.stdout)}
    assert rows[LONG_DOMAIN]["status"] == "ok"
    assert any("longer than DNS allows" in n for n in rows[LONG_DOMAIN]["notes"])
    assert rows["acme.test"]["status"] == "ok"


def test_mx_several_arguments_one_bad_is_one_invalid_row(nameserver):
    result = run("mx", "acme.test", "not a domain", "nullmx.test", "--nameserver", nameserver,
                 "--allow-private", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert [r["status"] for r in json.loads(result.stdout)] == ["ok", "invalid", "null_mx"]


def test_undecodable_stdin_line_names_the_byte_and_is_invalid(nameserver):
    rows, _ = verify(nameserver, "-", input=b"ja\xffne@acme.test\njane@acme.test\n")
    assert [r["verdict"] for r in rows] == ["invalid", "valid"]
    assert rows[0]["address"] == "ja\ufffdne@acme.test"
    assert rows[0]["reasons"] == [
        "not a valid address: byte 0xFF at position 2 is not UTF-8; give the address in UTF-8"]


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_output_is_utf8_for_an_undecodable_argument(nameserver, fmt):
    result = run("verify", "ja\udcffne@acme.test", "--nameserver", nameserver, "--allow-private",
                 "--format", fmt)
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")  # strict: raises on a raw 0xFF
    assert "ja\ufffdne@acme.test" in text
    if fmt == "json":
        assert json.loads(text)[0]["verdict"] == "invalid"


def test_output_is_utf8_in_a_real_process(nameserver, tmp_path):
    env = {**os.environ, "REACHOUT_HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    for command in (["verify", b"ja\xffne@acme.test"], ["mx", b"ac\xffme.test", "acme.test"]):
        done = subprocess.run(
            [sys.executable, "-m", "reachout", *command, "--nameserver", nameserver,
             "--allow-private", "--format", "json"], capture_output=True, env=env, timeout=60)
        assert done.returncode == 0, done.stderr
        rows = json.loads(done.stdout.decode("utf-8"))
        assert rows[0]["status" if command[0] == "mx" else "verdict"] == "invalid"


def test_local_part_over_64_octets_is_risky(nameserver):
    rows, _ = verify(nameserver, "a" * 65 + "@acme.test", "a" * 64 + "@acme.test")
    assert [r["verdict"] for r in rows] == ["risky", "valid"]
    assert rows[0]["reasons"][0] == (
        "the part before the @ is 65 octets long; RFC 5321 §4.5.3.1.1 allows 64, so many mail "
        "servers refuse it")


def test_only_hash_space_starts_a_comment_and_skips_are_counted(nameserver):
    stdin = "# my list\n#hash@acme.test\n\njane@acme.test\n"
    rows, result = verify(nameserver, "-", input=stdin)
    assert [r["address"] for r in rows] == ["#hash@acme.test", "jane@acme.test"]
    assert rows[0]["verdict"] == "valid"
    assert "Skipped 2 blank or comment lines of stdin" in result.stderr


@pytest.mark.parametrize(
    "address, says",
    [("jаne@acme.test", "mixes Cyrillic and Latin letters (а is CYRILLIC SMALL LETTER A"),
     ("ｊａｎｅ@acme.test", "uses compatibility characters (full-width or styled letters) that "
                         "read as 'jane'"),
     ("jane@pаypal.test", "the domain label 'pаypal' mixes Cyrillic and Latin letters")],
    ids=["cyrillic-a", "full-width", "domain"],
)
def test_lookalike_addresses_are_risky_with_the_reason(nameserver, address, says):
    rows, _ = verify(nameserver, address)
    assert rows[0]["verdict"] in {"risky", "unknown", "invalid"}
    assert rows[0]["verdict"] != "valid"
    assert any(says in r and "TR 39" in r for r in rows[0]["reasons"]), rows[0]["reasons"]


def test_lookalike_on_a_valid_domain_is_risky_not_valid(nameserver):
    rows, _ = verify(nameserver, "jаne@acme.test", "josé@acme.test")
    assert [r["verdict"] for r in rows] == ["risky", "valid"]


def test_verify_streams_in_input_order_in_chunks(nameserver):
    import asyncio

    from reachout.mail.verify import verify_stream

    addresses = [f"u{i}@{d}" for i in range(7) for d in ("acme.test", "nullmx.test", "x@y")]

    async def collect():
        stream = verify_stream(iter(addresses), nameservers=[nameserver], allow_private=True,
                               cache=False, chunk=4)
        return [r.address async for r in stream]

    assert asyncio.run(collect()) == addresses


def test_siblings_batch_and_brief_mail_setup_answer_a_long_domain(nameserver, tmp_path):
    from reachout.research.mailsetup import dns_mail_facts

    facts = dns_mail_facts(nameservers=[nameserver], timeout=2, allow_private=True)(LONG_DOMAIN)
    assert any(f.key for f in facts)  # the MX fact, not an exception

    source = tmp_path / "in.csv"
    source.write_text(f"domain,name\n{LONG_DOMAIN},Jane Doe\nacme.test,Jane Doe\n", encoding="utf-8")
    result = run("batch", str(source), "--nameserver", nameserver, "--allow-private", "--timeout",
                 "2", "--format", "jsonl", "--state", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["ok", "ok"], rows
