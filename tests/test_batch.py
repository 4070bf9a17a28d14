"""`reachout batch` end to end against a real NSD on loopback (and aiosmtpd for --smtp)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from reachout.batch import BatchInterrupted, iter_results, open_input, run_batch
from reachout.batch.reader import recognise_columns
from reachout.cli import cli

ROOT = Path(__file__).resolve().parents[1]

MIXED = (
    "Company,Website,First Name,Last Name,Title,Email\n"
    "Acme,acme.example,Jane,Doe,CTO,\n"
    "\n"
    "Acme,https://www.acme.example/about,Bob,Li,,bob.li@acme.example\n"
    "Globex,globex.example,Hank,Scorpio,CEO,\n"
    "   ,  ,  ,  ,  ,  \n"
    "Initech,,,,,\n"
    "Initech,initech.example,,,,\n"
    "Nowhere,nosuch.example,Ann,Lee,,\n"
    "Null,nullmx.example,Al,Null,,\n"
    "Dark,blackhole.example,Sam,Roe,,\n"
    '"=HYPERLINK(""http://evil.example"")",acme.example,@SUM(A1),Smith,"+cmd|\' /C calc\'!A0",\n'
    "Bad,not a domain!,Jo,Bloggs,,\n"
    "Acme,acme.example,Jane,Doe,CTO,\n"
)
# (status, domain, mail status) of each data row, in input order
EXPECTED = [
    ("ok", "acme.example", "ok"),
    ("ok", "acme.example", "ok"),
    ("ok", "globex.example", "ok"),
    ("bad_input", "", ""),
    ("ok", "initech.example", "ok"),
    ("no_mail", "nosuch.example", "nxdomain"),
    ("no_mail", "nullmx.example", "null_mx"),
    ("failed", "blackhole.example", "timeout"),
    ("bad_input", "acme.example", "ok"),  # the hostile row: its "name" is not a name
    ("bad_input", "", ""),
    ("ok", "acme.example", "ok"),
]


def invoke(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def dns_args(nameserver: str) -> list[str]:
    return ["--nameserver", nameserver, "--allow-private", "--timeout", "0.6"]


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_mixed_input_end_to_end(tmp_path, batch_ns):
    source = tmp_path / "targets.csv"
    source.write_text(MIXED, encoding="utf-8")
    out = tmp_path / "results.csv"
    result = invoke("batch", str(source), "--out", str(out), *dns_args(batch_ns), "--no-lookup")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    rows = read_csv(out)
    assert [(r["status"], r["domain"], r["mail_status"]) for r in rows] == EXPECTED
    assert {r["domain_source"] for r in rows if r["domain"]} == {"input"}
    assert [r["row"] for r in rows] == [str(i) for i in range(1, 12)]
    jane, bob, hank = rows[0], rows[1], rows[2]
    # Bob's known address (row 2) teaches acme.example's format to Jane's row (row 1) too.
    assert jane["email_1"] == "jane.doe@acme.example"
    assert jane["learned_format"] == "{first}.{last}" and jane["learned_from"] == "1"
    assert bob["email_1"] == "bob.li@acme.example"
    assert jane["provider"] == "Google Workspace" and hank["provider"] == "Microsoft 365"
    assert jane["mx"] == "1 aspmx.l.google.com; 5 alt1.aspmx.l.google.com"
    assert hank["email_1"] and hank["confidence_1"].endswith("%") and not hank["learned_format"]
    assert rows[3]["error"] == ("no domain for 'Initech'; add a domain or website column, or drop "
                                "--no-lookup to look the name up")
    # A company-only row gets generic inboxes, no personal candidates.
    assert rows[4]["inboxes"].startswith("careers@initech.example") and rows[4]["email_1"] == ""
    assert rows[5]["error"] == "nosuch.example does not exist in DNS (NXDOMAIN), so it takes no mail"
    assert rows[5]["email_1"] == ""  # no candidates at a domain that takes no mail
    assert rows[7]["error"].startswith("unknown: no answer from")
    # Formula cells come back as text (OWASP: a leading quote), never as formulas.
    hostile = rows[8]
    assert hostile["Company"] == "'=HYPERLINK(\"http://evil.example\")"
    assert hostile["First Name"] == "'@SUM(A1)"
    assert hostile["Title"] == "'+cmd|' /C calc'!A0"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    assert "cannot be a domain name" in rows[9]["error"] or "contains spaces" in rows[9]["error"]
    # The summary on stderr: rows by status, domains by provider, errors.
    assert "11 of 11 rows done" in result.stderr
    assert "status     rows\nok         5\nbad_input  3\nno_mail    2\nfailed     1\n" in result.stderr
    assert "Google Workspace  4" in result.stderr
    assert "retry-failed" in result.stderr
    with sqlite3.connect(out.with_name("results.csv.state.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM domains").fetchone()[0] == 6
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert [r[0] for r in db.execute("SELECT name FROM migrations")] == ["m001_initial"]


def test_each_domain_is_checked_once(tmp_path, batch_ns, monkeypatch):
    import reachout.mail.dnscheck

    calls: list[str] = []
    real = reachout.mail.dnscheck.check_domain_async

    async def counting(text, client, **kw):
        calls.append(text)
        return await real(text, client, **kw)

    monkeypatch.setattr(reachout.mail.dnscheck, "check_domain_async", counting)
    rows = [{"domain": "acme.example", "name": f"Person{i} Smith"} for i in range(40)]
    rows += [{"website": "https://globex.example/jobs"}] * 10
    summary = run_batch(rows, state=tmp_path / "s.sqlite", nameservers=[batch_ns], allow_private=True,
                        concurrency=16, progress=False)
    assert summary.done == 50 and summary.by_status == {"ok": 50}
    assert sorted(calls) == ["acme.example", "globex.example"]


def test_jsonl_keeps_everything_and_csv_caps_huge_cells(tmp_path, batch_ns):
    huge = "x" * 200_000
    source = tmp_path / "in.csv"
    source.write_text(f'domain,name,notes\nacme.example,Jane Doe,{huge}\n"{huge}",Bob Li,\n',
                      encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = invoke("batch", str(source), "--out", str(out), *dns_args(batch_ns))
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["row"] for line in lines] == [1, 2]
    first, second = lines
    assert first["input"]["notes"] == huge  # full fidelity
    assert first["mail"]["provider"] == "Google Workspace"
    assert first["candidates"][0]["address"] == "jane.doe@acme.example"
    assert {"address", "confidence", "pattern", "reasons"} <= set(first["candidates"][0])
    assert second["status"] == "bad_input"
    assert second["error"] == "the domain cell is 200,000 characters long (at most 1,000 are read); " \
        "no domain, website or company in this row"
    csv_out = tmp_path / "out.csv"
    assert invoke("batch", str(source), "--out", str(csv_out), *dns_args(batch_ns)).exit_code == 0
    cell = read_csv(csv_out)[0]["notes"]
    assert len(cell) < 32_767 and cell.endswith("more characters in the JSONL output]")


def test_encodings_bom_and_a_clear_error_naming_the_fix(tmp_path, batch_ns):
    text = "company,domain,name\nMüller GmbH,acme.example,Jürgen Müller\n"
    cp1252 = tmp_path / "excel.csv"
    cp1252.write_bytes(text.encode("cp1252"))
    result = invoke("batch", str(cp1252), "--out", str(tmp_path / "o.csv"), *dns_args(batch_ns))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {cp1252} is not valid UTF-8 (line 2, byte 0xFC); pass --encoding cp1252 if it came "
        "from Excel or an older Windows program (or the file's real encoding), or save it as UTF-8.\n"
    )
    result = invoke("batch", str(cp1252), "--encoding", "cp1252", "--out", str(tmp_path / "o.csv"),
                    *dns_args(batch_ns))
    assert result.exit_code == 0, result.output
    row = read_csv(tmp_path / "o.csv")[0]
    assert row["company"] == "Müller GmbH" and row["email_1"].endswith("@acme.example")
    for name, data in [("bom.csv", b"\xef\xbb\xbf" + text.encode()), ("utf16.csv", text.encode("utf-16"))]:
        (tmp_path / name).write_bytes(data)
        out = tmp_path / f"{name}.out.csv"
        result = invoke("batch", str(tmp_path / name), "--out", str(out), *dns_args(batch_ns))
        assert result.exit_code == 0, result.output
        assert read_csv(out)[0]["company"] == "Müller GmbH"
    result = invoke("batch", str(cp1252), "--encoding", "klingon", *dns_args(batch_ns))
    assert result.exit_code == 1 and "Unknown encoding 'klingon'" in result.stderr


def test_stdin_domain_list_to_stdout(batch_ns):
    data = "# my targets\nacme.example\n\n  globex.example  \nhttps://initech.example/careers\nnosuch.example\n"
    result = invoke("batch", "-", *dns_args(batch_ns), "--format", "jsonl", "--quiet", input=data)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["input"]["input"], r["domain"], r["mail"]["status"]) for r in lines] == [
        ("acme.example", "acme.example", "ok"),
        ("globex.example", "globex.example", "ok"),
        ("https://initech.example/careers", "initech.example", "ok"),
        ("nosuch.example", "nosuch.example", "nxdomain"),
    ]
    assert [r["line"] for r in lines] == [2, 4, 5, 6]


def test_progress_only_when_asked_off_a_terminal(tmp_path, batch_ns):
    source = tmp_path / "in.txt"
    source.write_text("acme.example\nglobex.example\n", encoding="utf-8")
    quiet = invoke("batch", str(source), "--out", str(tmp_path / "a.csv"), *dns_args(batch_ns))
    assert "rows 2/2" not in quiet.stderr
    shown = invoke("batch", str(source), "--out", str(tmp_path / "b.csv"), "--progress", *dns_args(batch_ns))
    assert "rows 2/2 (100%)" in shown.stderr and "rows/s  ETA" in shown.stderr


def test_changed_input_is_noticed_and_restart_discards(tmp_path, batch_ns):
    source, out = tmp_path / "in.txt", tmp_path / "out.csv"
    source.write_text("acme.example\n", encoding="utf-8")
    assert invoke("batch", str(source), "--out", str(out), *dns_args(batch_ns)).exit_code == 0
    source.write_text("acme.example\nglobex.example\n", encoding="utf-8")
    result = invoke("batch", str(source), "--out", str(out), *dns_args(batch_ns))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {out}.state.sqlite holds a batch of a different input ({source}, which has changed since); "
        "pass --restart to discard it and start again, or --state FILE to keep it.\n"
    )
    result = invoke("batch", str(source), "--out", str(out), "--top", "5", *dns_args(batch_ns), "--restart")
    assert result.exit_code == 0 and len(read_csv(out)) == 2
    result = invoke("batch", str(source), "--out", str(out), *dns_args(batch_ns))
    assert result.exit_code == 1 and "with other options (top)" in result.stderr


def test_retry_failed_redoes_failed_lookups_without_waiting(tmp_path, batch_ns, batch_nsd):
    source, out = tmp_path / "in.txt", tmp_path / "out.csv"
    source.write_text("acme.example\nblackhole.example\n", encoding="utf-8")
    first = run_batch(source, out=out, nameservers=[batch_ns], allow_private=True, timeout=0.5,
                      progress=False)
    assert first.by_status == {"ok": 1, "failed": 1} and first.retriable == 1
    assert first.notices[0] == (
        "Not finished: 1 row(s) whose lookup failed (a DNS server or a public source did not "
        "answer); run the same command with --retry-failed to redo them.")
    said: list[str] = []
    slept: list[float] = []
    # The direct NSD answers for blackhole.example: the retry succeeds.
    again = run_batch(source, out=out, nameservers=[batch_nsd.nameserver], allow_private=True,
                      retry_failed=True, retry_after=3600, notify=said.append, sleep=slept.append,
                      progress=False)
    # A DNS timeout is not greylisting: no wait helps it, so none is made.
    assert said[0] == ("Retrying 1 row(s) whose lookup failed (a DNS server or a public source did "
                       "not answer).")
    assert slept == []
    assert again.retried == 1 and again.processed == 1 and again.resumed == 1
    assert again.by_status == {"ok": 2}
    assert [r["status"] for r in read_csv(out)] == ["ok", "ok"]
    nothing = run_batch(source, out=out, nameservers=[batch_ns], allow_private=True, retry_failed=True,
                        notify=said.append, progress=False)
    assert nothing.processed == 0 and said[-2] == ("No rows failed for reasons that may pass; "
                                                   "nothing to retry.")
    assert said[-1].startswith("All 2 rows were done by an earlier run")


def test_retry_failed_waits_only_for_greylisted_rows(tmp_path):
    from reachout.batch.runner import _forget_failed
    from reachout.batch.statefile import StateStore

    with StateStore(tmp_path / "state.sqlite") as store:
        store.save_row(0, 2, {"status": "failed", "retriable": True})
        store.save_row(1, 3, {"status": "failed", "retriable": True, "retry_after_wait": True})
        store.save_row(2, 4, {"status": "ok"})
        said: list[str] = []
        slept: list[float] = []
        assert _forget_failed(store, 600, said.append, slept.append) == 2
        assert 590 < slept[0] <= 600
        assert said[0].startswith("Retrying 1 row(s) whose lookup failed (a DNS server or a public "
                                  "source did not answer) and 1 row(s) a mail server deferred "
                                  "(greylisting) in ")
        assert store.count_rows() == 1


def test_python_api_rows_and_results(tmp_path, batch_ns):
    rows = [{"Company": "Acme", "Domain": "acme.example", "Full Name": "Jane Doe"}, "globex.example"]
    state = tmp_path / "notebook.sqlite"
    summary = run_batch(rows, state=state, nameservers=[batch_ns], allow_private=True, progress=False)
    assert summary.complete and summary.to_dict()["by_status"] == {"ok": 2}
    results = list(iter_results(state))
    assert results[0]["candidates"][0]["address"] == "jane.doe@acme.example"
    assert results[1]["domain"] == "globex.example" and results[1]["inboxes"]
    assert json.loads(json.dumps(summary.to_dict()))["total_rows"] == 2
    out = tmp_path / "from-python.csv"
    run_batch(rows, out=out, state=state, nameservers=[batch_ns], allow_private=True, progress=False)
    echoed = read_csv(out)
    assert list(echoed[0])[:4] == ["Company", "Domain", "Full Name", "domain (input)"]
    assert (echoed[0]["Company"], echoed[1]["domain (input)"]) == ("Acme", "globex.example")


def test_smtp_verification_and_greylisting_is_retriable(tmp_path, batch_ns):
    from tests.servers.smtp import Behaviour, SmtpServer

    behaviour = Behaviour(users={"jane.doe@initech.example", "careers@initech.example"},
                          greylist={"greylist.example"})
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text("domain,name\ninitech.example,Jane Doe\ngreylist.example,Bob Li\ninitech.example,\n",
                      encoding="utf-8")
    with SmtpServer(behaviour) as server:
        result = invoke("batch", str(source), "--out", str(out), "--smtp", "--smtp-port", str(server.port),
                        "--smtp-interval", "0", "--helo", "probe.example", *dns_args(batch_ns))
    assert result.exit_code == 0, result.output
    jane, bob, company = read_csv(out)
    assert jane["status"] == "ok" and jane["email_1"] == "jane.doe@initech.example"
    assert jane["verdict_1"] == "valid" and jane["verdict_2"] == "invalid"
    assert bob["status"] == "failed" and bob["verdict_1"] == "unknown"
    assert company["inboxes"].startswith("careers@initech.example (risky); hr@initech.example (invalid)")
    assert ("Not finished: 1 row(s) a mail server deferred (greylisting); run the same command with "
            "--retry-failed to redo them (the deferred ones once 10 min have passed).") in result.stderr


def test_brief_needs_the_research_module(tmp_path, batch_ns, monkeypatch):
    monkeypatch.setitem(sys.modules, "reachout.research", None)
    source = tmp_path / "in.txt"
    source.write_text("acme.example\n", encoding="utf-8")
    result = invoke("batch", str(source), "--brief", str(tmp_path / "briefs"), *dns_args(batch_ns))
    assert result.exit_code == 1 and result.stderr == "Error: briefs need the research module\n"


def test_brief_with_the_real_research_module_offline(tmp_path, batch_ns):
    """With reachout.research merged: offline (never a fetch), an empty cache gives each row the brief's
    error, once per domain, and the rows themselves are unharmed."""
    pytest.importorskip("reachout.research")
    rows = [{"company": "Acme", "domain": "acme.example", "name": "Jane Doe"},
            {"company": "Acme", "domain": "acme.example", "name": "Bob Li"}]
    state = tmp_path / "s.sqlite"
    summary = run_batch(rows, state=state, nameservers=[batch_ns], allow_private=True, progress=False,
                        brief_dir=tmp_path / "briefs", brief_options={"offline": True})
    assert summary.by_status == {"ok": 2}
    results = list(iter_results(state))
    assert results[0]["brief"] == results[1]["brief"] and results[0]["brief"]["error"]
    with sqlite3.connect(state) as db:
        assert db.execute("SELECT count(*) FROM briefs").fetchone()[0] == 1


def test_brief_from_the_fixture_site_once_per_company(tmp_path, site, nameserver, monkeypatch):
    """--brief with the real research module against the local fixture site (acme.test)."""
    monkeypatch.setenv("REACHOUT_RESOLVE", ",".join(site.resolve("acme.test")))
    home = site.url("acme.test")
    source, out, briefs = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "briefs"
    source.write_text(f"company,website,name\nAcme Anvils,{home},Jane Doe\nAcme Anvils,{home},Raj Patel\n",
                      encoding="utf-8")
    result = invoke("batch", str(source), "--out", str(out), "--brief", str(briefs), "--nameserver",
                    nameserver, "--allow-private", "--timeout", "2")
    assert result.exit_code == 0, result.output
    first, second = read_csv(out)
    assert first["status"] == second["status"] == "ok"
    assert first["email_1"].endswith("@acme.test")
    assert first["brief_file"] == second["brief_file"] == str(briefs / "acme.test.md")
    assert first["brief_about"] and int(first["brief_open_roles"]) > 0 and int(first["brief_people"]) > 0
    assert (briefs / "acme.test.md").read_text(encoding="utf-8").startswith("#")
    assert json.loads((briefs / "acme.test.json").read_text(encoding="utf-8"))["schema"] == "reachout.brief/1"
    with sqlite3.connect(Path(str(out) + ".state.sqlite")) as db:
        assert db.execute("SELECT count(*) FROM briefs").fetchone()[0] == 1


def test_columns_recognised_by_common_names():
    header = ["COMPANY NAME", "Company Website", "first_name", "Surname", "Job Title", "Known e-mail", "x"]
    assert recognise_columns(header) == {
        "company": 0, "website": 1, "first_name": 2, "last_name": 3, "title": 4, "email": 5,
    }


def test_semicolon_csv_and_quoted_newlines(tmp_path):
    source = tmp_path / "eu.csv"
    source.write_text('Firma;Domain;Name\n"Acme\nLtd";acme.example;Jane Doe\n\nGlobex;globex.example;\n',
                      encoding="utf-8")
    info = open_input(source)
    rows = list(info.rows())
    assert info.kind == "csv" and info.delimiter == ";"
    assert [(r.index, r.line, r.domain, r.name) for r in rows] == [
        (0, 2, "acme.example", "Jane Doe"), (1, 5, "globex.example", ""),
    ]


def test_missing_and_empty_inputs_are_one_line_errors(tmp_path):
    result = invoke("batch", str(tmp_path / "nope.csv"), "--nameserver", "127.0.0.1:9")
    assert result.exit_code == 1 and result.stderr.startswith("Error: Cannot read ")
    (tmp_path / "empty.csv").write_text("\n\n", encoding="utf-8")
    result = invoke("batch", str(tmp_path / "empty.csv"), "--nameserver", "127.0.0.1:9")
    assert result.exit_code == 1 and "is empty" in result.stderr


# --- interruption: SIGKILL and SIGINT in a subprocess, then resume ----------------------------------


def _big_input(path: Path, count: int) -> None:
    lines = ["domain,name"]
    for i in range(count):
        # Every other row has a domain of its own (one lookup each, slowed by the relay).
        lines.append(f"u{i:05d}.example,Person{i} Smith" if i % 2 else f"acme.example,Person{i} Jones")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _start(args: list[str]) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.Popen([sys.executable, "-m", "reachout", "batch", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)


def _wait_rows(state: Path, at_least: int, proc: subprocess.Popen[bytes], limit: float = 60) -> int:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        if state.exists():
            try:
                with sqlite3.connect(state, timeout=1) as db:
                    done = db.execute("SELECT count(*) FROM rows").fetchone()[0]
            except sqlite3.OperationalError:
                done = 0
            if done >= at_least:
                return int(done)
        time.sleep(0.02)
    raise AssertionError("the batch made no progress")


@pytest.fixture
def slow_ns(batch_nsd):
    from tests.servers.dns import DnsRelay

    # Slow enough that a loaded machine still signals the run before it ends (200+ lookups, 4-8 at once).
    with DnsRelay(batch_nsd.port, delay=0.1) as relay:
        yield relay.nameserver


def test_kill_9_half_way_then_resume_gives_every_row_once_in_order(tmp_path, slow_ns):
    total = 600
    source, out = tmp_path / "in.csv", tmp_path / "out.csv"
    state = Path(str(out) + ".state.sqlite")
    _big_input(source, total)
    args = [str(source), "--out", str(out), "--nameserver", slow_ns, "--concurrency", "8"]
    proc = _start(args)
    killed_at = _wait_rows(state, total // 3, proc)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    assert not out.exists()
    with sqlite3.connect(state) as db:
        before = dict(db.execute("SELECT idx, finished_at FROM rows").fetchall())
    assert killed_at <= len(before) < total
    proc = _start(args)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    assert f"{len(before):,} from an earlier run" in err.decode()
    rows = read_csv(out)
    assert [int(r["row"]) for r in rows] == list(range(1, total + 1))
    expected = [line.split(",") for line in source.read_text(encoding="utf-8").splitlines()[1:]]
    assert [[r["domain (input)"], r["name"]] for r in rows] == expected
    assert {r["status"] for r in rows[1::2]} == {"no_mail"} and {r["status"] for r in rows[::2]} == {"ok"}
    with sqlite3.connect(state) as db:
        after = dict(db.execute("SELECT idx, finished_at FROM rows").fetchall())
        assert db.execute("SELECT max(attempts) FROM rows").fetchone()[0] == 1
    assert all(after[idx] == when for idx, when in before.items())  # finished rows were not redone


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_sigint_writes_what_is_done_and_exits_130(tmp_path, slow_ns, signum):
    total = 400
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    state = Path(str(out) + ".state.sqlite")
    _big_input(source, total)
    args = [str(source), "--out", str(out), "--nameserver", slow_ns, "--concurrency", "4"]
    proc = _start(args)
    _wait_rows(state, 40, proc)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err.decode()
    text = err.decode()
    assert "Traceback" not in text and "Run the same command again to resume." in text
    partial = [json.loads(line)["row"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert partial == sorted(partial) and len(partial) == len(set(partial)) >= 40
    proc = _start(args)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()
    rows = [json.loads(line)["row"] for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows == list(range(1, total + 1))


def test_interrupt_from_the_api_raises_with_a_summary(tmp_path, batch_ns, monkeypatch):
    from reachout.batch import runner

    original = runner._Engine.process
    seen = {"n": 0}

    async def stop_after_three(self, row):
        seen["n"] += 1
        if seen["n"] > 3:
            raise KeyboardInterrupt
        return await original(self, row)

    monkeypatch.setattr(runner._Engine, "process", stop_after_three)
    out = io.StringIO()
    with pytest.raises(BatchInterrupted) as info:
        run_batch(["acme.example"] * 10, out=out, state=tmp_path / "s.sqlite", nameservers=[batch_ns],
                  allow_private=True, concurrency=1, progress=False)
    assert info.value.summary.interrupted and info.value.summary.done == 3
    assert out.getvalue() == ""  # a stream gets output only from a complete run


def test_brief_wiring_with_a_stand_in_research_module(tmp_path, batch_ns, monkeypatch):
    """The --brief plumbing (once per domain, files, columns), with build_brief stood in for."""
    import types
    from dataclasses import dataclass, field

    calls: list[tuple[str, dict]] = []

    @dataclass
    class Fact:
        value: str

    @dataclass
    class Brief:
        domain: str
        roles: list = field(default_factory=lambda: ["Engineer", "Designer"])
        people: list = field(default_factory=lambda: ["Jane Doe"])

        def about(self):
            return [Fact(f"{self.domain} makes anvils")]

        def to_markdown(self):
            return f"# {self.domain}\n"

        def to_dict(self):
            return {"domain": self.domain}

    def build_brief(company, **kw):
        calls.append((company, kw))
        return Brief(company)

    module = types.ModuleType("reachout.research")
    module.build_brief = build_brief  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reachout.research", module)
    source, out, briefs = tmp_path / "in.csv", tmp_path / "out.csv", tmp_path / "briefs"
    source.write_text("company,domain,name\nAcme,acme.example,Jane Doe\nAcme,acme.example,Bob Li\n"
                      "Globex,globex.example,\n", encoding="utf-8")
    result = invoke("batch", str(source), "--out", str(out), "--brief", str(briefs), *dns_args(batch_ns))
    assert result.exit_code == 0, result.output
    assert sorted(c for c, _ in calls) == ["acme.example", "globex.example"]
    assert calls[0][1] == {"name": calls[0][1]["name"], "allow_private": True}
    rows = read_csv(out)
    assert [r["brief_about"] for r in rows] == [
        "acme.example makes anvils", "acme.example makes anvils", "globex.example makes anvils"]
    assert rows[0]["brief_file"] == str(briefs / "acme.example.md") and rows[0]["brief_open_roles"] == "2"
    assert (briefs / "acme.example.md").read_text(encoding="utf-8") == "# acme.example\n"
    saved = json.loads((briefs / "globex.example.json").read_text(encoding="utf-8"))
    assert saved == {"domain": "globex.example"}


# --- properties: any cell survives the reader, and no output cell can be a formula --------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_cells = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(_cells, _cells, _cells), min_size=1, max_size=6))
def test_any_cells_round_trip_and_come_out_neutralised(tmp_path, rows):
    from reachout.batch.results import write_csv_rows

    path = tmp_path / "prop.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["company", "domain", "notes"])
        writer.writerows(rows)
    info = open_input(path)
    assert info.kind == "csv"
    read = [(r.cells["company"], r.cells["domain"], r.cells["notes"]) for r in info.rows()]
    # Rows whose cells are all blank are skipped, like empty lines; the rest come back exactly.
    kept = [row for row in rows if any(cell.strip() for cell in row)]
    assert [tuple(c.replace("\r\n", "\n").replace("\r", "\n") for c in row) for row in read] == [
        tuple(c.replace("\r\n", "\n").replace("\r", "\n") for c in row) for row in kept]
    results = [{"row": i + 1, "status": "ok", "input": dict(zip(["company", "domain", "notes"], row,
                                                                strict=True))}
               for i, row in enumerate(read)]
    buffer = io.StringIO(newline="")
    write_csv_rows(results, ["company", "domain", "notes"], buffer, top=1, verify=False, brief=False)
    back = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert len(back) == len(read) + 1
    for record, original in zip(back[1:], read, strict=True):
        for cell, before in zip(record[:3], original, strict=True):
            assert cell == before or cell == "'" + before  # the text itself, or quoted as text
        for cell in record:
            assert not cell or not (cell[0] in "=+-@" or ord(cell[0]) < 32), cell


def test_a_row_that_crashes_the_guesser_is_reported_and_the_batch_goes_on(tmp_path, batch_ns, monkeypatch):
    import reachout.guessing

    real = reachout.guessing.guess

    def fragile(name, company, **kw):
        if name.startswith("Crash"):
            raise IndexError("list index out of range")
        return real(name, company, **kw)

    monkeypatch.setattr(reachout.guessing, "guess", fragile)
    rows = [{"domain": "acme.example", "name": "Crash Test"}, {"domain": "acme.example", "name": "Jane Doe"}]
    summary = run_batch(rows, state=tmp_path / "s.sqlite", nameservers=[batch_ns], allow_private=True,
                        progress=False)
    assert summary.by_status == {"error": 1, "ok": 1} and summary.retriable == 0
    first, second = iter_results(tmp_path / "s.sqlite")
    assert first["error"] == "unexpected error: IndexError: list index out of range"
    assert second["candidates"][0]["address"] == "jane.doe@acme.example"
    with pytest.raises(Exception, match="No batch state at"):
        list(iter_results(tmp_path / "missing.sqlite"))


def test_rows_of_one_domain_share_an_smtp_session(tmp_path, batch_ns):
    from tests.servers.smtp import Behaviour, SmtpServer

    names = ["Jane Doe", "Bob Li", "Ann Lee", "Sam Roe", "Al Null", "Hank Scorpio"]
    rows = [{"domain": "initech.example", "name": name} for name in names]
    with SmtpServer(Behaviour(users={"jane.doe@initech.example"})) as server:
        summary = run_batch(rows, state=tmp_path / "s.sqlite", nameservers=[batch_ns], allow_private=True,
                            smtp=True, top=3, progress=False,
                            smtp_options={"smtp_port": server.port, "smtp_interval": 0,
                                          "helo": "probe.example"})
        sessions = len(server.handler.commands("EHLO"))
        probed = server.handler.commands("RCPT")
    assert summary.by_status == {"ok": 6}
    # One verify call for the six rows: 18 candidates and one catch-all test (2 made-up RCPTs), in a
    # few sessions (the prober starts a new one after 8 refusals); a call per row would make 6
    # sessions and 30 RCPTs.
    assert len(probed) == 20 and len(set(probed[:18])) == 18, probed
    assert sessions < 6, sessions
    first = next(iter_results(tmp_path / "s.sqlite"))
    assert first["candidates"][0]["verification"]["verdict"] == "valid"


def test_progress_redraws_in_place_on_a_terminal(tmp_path, batch_ns):
    import pty

    source = tmp_path / "in.txt"
    source.write_text("acme.example\nglobex.example\ninitech.example\n", encoding="utf-8")
    primary, secondary = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "reachout", "batch", str(source), "--out", str(tmp_path / "o.csv"),
             "--quiet", *dns_args(batch_ns)],
            env=env, stderr=secondary, stdout=subprocess.DEVNULL, timeout=60, check=False)
        os.close(secondary)
        chunks = []
        while True:
            try:
                data = os.read(primary, 65536)
            except OSError:
                break
            if not data:
                break
            chunks.append(data)
    finally:
        os.close(primary)
    shown = b"".join(chunks).decode()
    assert proc.returncode == 0, shown
    assert "\rrows 3/3 (100%)" in shown and "rows/s  ETA" in shown and shown.endswith("\r\n")


def test_run_batch_inside_a_running_event_loop(tmp_path, batch_ns):
    """A notebook's kernel already runs an event loop: the batch runs on a helper thread."""
    import asyncio

    from reachout.batch import iter_results, run_batch

    async def from_a_notebook():
        return run_batch(["acme.example", "globex.example"], state=tmp_path / "s.sqlite",
                         nameservers=[batch_ns], progress=False)

    summary = asyncio.run(from_a_notebook())
    assert summary.done == 2 and summary.complete
    assert [row["domain"] for row in iter_results(summary.state)] == ["acme.example", "globex.example"]


def test_an_email_cell_that_is_no_address_is_refused_with_its_row(batch_ns):
    # JSON may spell a lone surrogate: it once became "x?@acme.example", a valid address, status ok.
    data = "\n".join([
        '{"name": "Jane Doe", "email": "x\\ud800@acme.example"}',
        '{"name": "John Roe", "email": "john.roe@@acme.example", "domain": "acme.example"}',
        '{"name": "Ann Lee", "email": "n/a", "domain": "acme.example"}',
        '{"name": "Sam Roe", "email": "sam.roe@acme.example"}',
    ]) + "\n"
    result = invoke("batch", "-", *dns_args(batch_ns), "--format", "jsonl", "--quiet", input=data)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["bad_input", "bad_input", "ok", "ok"]
    assert rows[0]["known_email"] == "x\ufffd@acme.example"
    assert rows[0]["error"].startswith(
        "the email cell: 'x\ufffd@acme.example' is not a valid e-mail address: the replacement "
        "character U+FFFD at position 1 stands for bytes that were not valid text; give it in UTF-8.")
    assert rows[1]["error"].startswith("the email cell: 'john.roe@@acme.example' is not a valid e-mail")


def test_soft_hyphens_in_a_name_cell_do_not_split_the_name(batch_ns):
    data = "name,domain\nJo\u00adhan\u00adna Berg\u00adstrom,acme.example\n"
    result = invoke("batch", "-", *dns_args(batch_ns), "--format", "jsonl", "--quiet", input=data)
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert row["name"] == "Johanna Bergstrom"
    assert {c["address"] for c in row["candidates"]} >= {"johanna.bergstrom@acme.example",
                                                        "jbergstrom@acme.example"}


def test_a_lookalike_domain_in_a_row_is_noted(batch_ns):
    data = "name,domain\nJane Doe,xn--pple-43d.example\n"
    result = invoke("batch", "-", *dns_args(batch_ns), "--format", "jsonl", "--quiet", input=data)
    assert result.exit_code == 0, result.output
    [row] = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(note.startswith("\u0430pple.example may be a look-alike: the domain label '\u0430pple' "
                               "mixes Cyrillic and Latin letters") for note in row["notes"]), row
