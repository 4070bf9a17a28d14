"""Hostile input through the CLI: every command answers with one line and a meaningful exit code.

The rule under test: malformed names, domains, URLs, rows, encodings, broken local files, DNS
failures and hostile pages give a one-line message on stderr and exit 1 (usage errors 2), never a
traceback, never an error with exit 0; data goes to stdout, notices to stderr.
"""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner

from reachout.cli import cli

DEAD = "127.0.0.1:9"  # nothing listens on the discard port: refused at once


def run(*args: str, input: str | bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def assert_one_line_error(result, code: int = 1, contains: str = "") -> str:
    """The result is a handled failure: no traceback, exit CODE, one 'Error:' line on stderr."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert contains in lines[0]
    return lines[0]


# --- the user directory and the files reachout keeps -------------------------------------------

HOME_COMMANDS = [
    ("cache", "path"),
    ("followup", "list"),
    ("followup", "due"),
    ("followup", "add", "Acme", "Engineer"),
]


@pytest.fixture(params=["file", "missing-parent"])
def unusable_home(request, tmp_path, monkeypatch):
    if request.param == "file":
        home = tmp_path / "home-is-a-file"
        home.write_text("not a directory")
    else:
        blocker = tmp_path / "blocker"
        blocker.write_text("x")
        home = blocker / "home"  # a directory cannot be made under a file
    monkeypatch.setenv("REACHOUT_HOME", str(home))
    return home


@pytest.mark.parametrize("args", HOME_COMMANDS, ids=" ".join)
def test_unusable_home_is_one_line(unusable_home, args):
    line = assert_one_line_error(run(*args))
    assert "REACHOUT_HOME" in line and "writable directory" in line


def test_unusable_home_mx_still_answers_from_memory(unusable_home, caplog):
    # (The notice goes through logging: on stderr in a real run, to caplog under pytest.)
    result = run("mx", "acme.test", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].split()[:2] == ["acme.test", "timeout"]
    assert "Caching DNS answers in memory only" in caplog.text


@pytest.mark.parametrize("args", [("followup", "list"), ("followup", "due")], ids=" ".join)
def test_corrupt_tracker_is_one_line(reachout_home, args):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "followup.sqlite").write_bytes(os.urandom(4096))
    line = assert_one_line_error(run(*args))
    assert "followup.sqlite" in line and "move that file aside" in line


def test_corrupt_dns_cache_is_a_notice(reachout_home, caplog):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "cache.sqlite").write_bytes(os.urandom(4096))
    result = run("mx", "acme.test", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private")
    assert result.exit_code == 0
    assert "caching in memory only" in caplog.text


def brief_args(site, *extra: str) -> list[str]:
    return ["brief", f"http://acme.test:{site.port}/", "--resolve", *site.resolve("acme.test"),
            "--allow-private", "--no-mail", "--max-pages", "1", *extra]


def test_corrupt_http_cache_still_briefs(reachout_home, site, caplog):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "http-cache.sqlite").write_bytes(os.urandom(4096))
    result = run(*brief_args(site))
    assert "HTTP cache unavailable" in caplog.text
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")


def test_brief_printed_even_when_it_cannot_be_saved(reachout_home, site):
    reachout_home.mkdir(parents=True, exist_ok=True)
    (reachout_home / "briefs").write_text("a file where the briefs folder should be")
    result = run(*brief_args(site))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "note: Cannot save the brief" in result.stderr


# --- numbers out of range --------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("followup", "show", "99999999999999999999999"),
        ("followup", "person", "99999999999999999999999", "Ana"),
        ("followup", "log", "99999999999999999999999", "applied"),
        ("followup", "edit", "99999999999999999999999", "--role", "x"),
        ("followup", "draft", "--app", "99999999999999999999999", "--stage", "applied"),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_huge_ids_are_not_found(args):
    assert_one_line_error(run(*args), contains="No application with ID 99999999999999999999999")


def test_huge_days_horizon():
    result = run("followup", "due", "--days", "999999999")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr


# --- nameservers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", " "])
def test_empty_nameserver_is_refused_not_the_system_resolver(value):
    result = run("mx", "acme.test", "--allow-private", "--nameserver", value)
    assert_one_line_error(result, contains="--nameserver is empty")


# --- arguments: huge, control characters, bytes that are not UTF-8 -----------------------------

MEGA = "a" * 1_000_000


@pytest.mark.parametrize(
    "args, contains",
    [
        (("mx", MEGA), "is not a valid internationalised domain name"),
        # Without a dot it is a company's name (looked up), refused for its length before any lookup.
        (("guess", "Jane Doe", MEGA), "is 1000000 characters long; give at most 200"),
        (("brief", MEGA, "--no-mail"), "is 1000000 characters long; give at most 200"),
        (("guess", "Jane Doe", MEGA + ".com"), "is not a valid internationalised domain name"),
        (("batch", MEGA), "no such file"),
        (("batch", "x\ny.csv"), "Cannot read 'x\\ny.csv'"),
        (("followup", "--tz", MEGA, "list"), "is not a known time zone"),
        (("followup", "--tz", "Europe/\u202eParis", "list"), "is not a known time zone"),
        (("followup", "add", "Acme", "Engineer", "--closes", MEGA), "is not a date"),
    ],
    ids=["mx", "guess", "brief", "guess-domain", "batch", "batch-newline", "tz-huge", "tz-rtl",
         "closes"],
)
def test_hostile_arguments_are_one_short_line(args, contains):
    line = assert_one_line_error(run(*args), contains=contains)
    assert len(line) < 400  # a 1 MB argument is shortened, not echoed back whole


@pytest.mark.parametrize(
    "args",
    [
        ("followup", "add", "\udcff\udcfe", "Engineer"),  # what undecodable argv bytes become
        ("followup", "add", "Acme", "Engineer", "--notes", "caf\udce9"),
    ],
    ids=["company", "notes"],
)
def test_undecodable_text_is_bad_input(args):
    assert_one_line_error(run(*args), contains="is not valid text (it holds bytes that are not UTF-8)")


def test_undecodable_argv_bytes_in_a_real_process(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "REACHOUT_HOME": str(tmp_path / "home"), "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "reachout", "followup", "add", b"Acme\xff", "Engineer"],
        capture_output=True, env=env, timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.decode().startswith("Error: 'Acme\\udcff' is not valid text")
    assert b"Traceback" not in done.stderr


def test_unexpected_errors_are_one_line_with_the_way_to_report(monkeypatch):
    import reachout.paths

    def broken():
        raise RuntimeError("boom\nsecond line")

    monkeypatch.setattr(reachout.paths, "user_dir", broken)
    line = assert_one_line_error(run("cache", "path"), contains="internal error (RuntimeError")
    assert "boom\\nsecond line" in line and "--traceback" in line
    result = run("--traceback", "cache", "path")
    assert isinstance(result.exception, RuntimeError)


# --- stdin ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["mx", "verify"])
def test_stdin_bytes_that_are_not_utf8_cost_one_row(command, monkeypatch):
    # Strict decoding (as under an en_US.UTF-8 locale) used to hang `mx -` and crash `verify -`.
    stdin = b"\xef\xbb\xbfjane@acme.test\n\xff\xfe\x00bad\n"
    result = run(command, "-", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "json", input=stdin)
    assert result.exit_code == 0, result.stderr
    import json

    rows = json.loads(result.stdout)
    assert len(rows) == 2
    assert sorted(r["status"] if command == "mx" else r["verdict"] for r in rows) == (
        # (mx takes an address as guess does: jane@acme.test is asked about at acme.test)
        ["invalid", "timeout"] if command == "mx" else ["invalid", "unknown"]
    )


def test_a_failing_domain_stream_raises_instead_of_hanging():
    import asyncio

    from reachout.mail.dnscheck import check_domains_async

    def lines():
        yield "acme.test"
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")

    async def consume():
        stream = check_domains_async(lines(), nameservers=[DEAD], timeout=0.2,
                                     allow_private=True, cache=False, concurrency=4)
        return [report async for report in stream]

    with pytest.raises(UnicodeDecodeError):
        asyncio.run(asyncio.wait_for(consume(), timeout=20))


# --- files: huge cells ---------------------------------------------------------------------------


def test_batch_huge_first_cell_is_a_bad_row_not_a_crash(tmp_path):
    import json

    data = "x" * 1_000_000 + "\nacme.test\n"
    result = run("batch", "-", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "jsonl", "--state", str(tmp_path / "s.sqlite"), input=data)
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in rows] == ["bad_input", "failed"]
    assert "1,000,000 characters long" in rows[0]["error"]


def test_batch_huge_cell_under_a_header_is_one_bad_row(tmp_path):
    import json

    data = "domain\n" + "x" * 200_000 + "\nacme.test\n"
    result = run("batch", "-", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "jsonl", "--state", str(tmp_path / "s.sqlite"), input=data)
    assert result.exit_code == 0, result.stderr
    assert [json.loads(line)["status"] for line in result.stdout.splitlines()] == [
        "bad_input", "failed"]


@pytest.mark.parametrize(
    "data, contains",
    [
        ("x" * 1_000_000 + "\n", "is not of the form 'Alice Smith <asmith@acme.com>'"),
        # (csv's field limit is process-wide and batch raises it, so either message may come.)
        ('name,email\na,"' + "x" * 200_000 + '"\n', ""),
    ],
    ids=["one-huge-line", "huge-csv-cell"],
)
def test_known_file_huge_lines(data, contains):
    """A known address that cannot be read is a notice (issue 12): the guess still comes out."""
    result = run("guess", "Jane Doe", "acme.com", "--known-file", "-", input=data)
    assert result.exit_code == 0, result.output
    assert "jane.doe@acme.com" in result.stdout
    assert "Notice: Ignored" in result.stderr and contains in result.stderr


# --- mail servers that hang, drop, refuse or speak nonsense ------------------------------------


class _Garbage:
    """A TCP server on 127.0.0.1 that answers every connection with bytes that are not SMTP."""

    def __init__(self, payload: bytes):
        import socket
        import threading

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.payload = payload
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                conn.sendall(self.payload)
                conn.recv(1024)
            except OSError:
                pass
            finally:
                conn.close()

    def close(self) -> None:
        self.sock.close()


def _verify_smtp(nameserver: str, port: int, address: str = "jane.doe@acme.test"):
    import json

    result = run("verify", address, "--nameserver", nameserver, "--allow-private", "--smtp",
                 "--smtp-port", str(port), "--smtp-timeout", "0.5", "--smtp-interval", "0",
                 "--helo", "probe.example", "--format", "json")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert "Traceback" not in result.stderr
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    return row


@pytest.mark.parametrize(
    "payload",
    [b"\xff\xfe\x00\x01garbage\r\n", b"HTTP/1.1 200 OK\r\n\r\n", b"220" + b"-x" * 50_000 + b"\r\n",
     b"220 ok\r\n250 \xff\r\n"],
    ids=["binary", "http", "endless-banner", "bad-bytes-reply"],
)
def test_verify_smtp_against_a_server_that_is_not_smtp(nameserver, payload):
    server = _Garbage(payload)
    try:
        row = _verify_smtp(nameserver, server.port)
    finally:
        server.close()
    assert row["verdict"] in {"unknown", "risky"}, row


def test_verify_smtp_nothing_listening(nameserver):
    row = _verify_smtp(nameserver, 9)
    assert row["verdict"] == "unknown"


def test_verify_smtp_slow_banner(nameserver):
    from tests.servers.smtp import SlowBannerServer

    with SlowBannerServer(2.0) as server:
        row = _verify_smtp(nameserver, server.port)
    assert row["verdict"] == "unknown"


def test_verify_smtp_drop_mid_session(nameserver, smtp_server):
    row = _verify_smtp(nameserver, smtp_server.port, "a@drop.test")
    assert row["verdict"] == "unknown"


# --- broken data folders and output paths --------------------------------------------------------


@pytest.fixture
def tracked(tmp_path):
    """A tracker with one application whose posting follow-up is due on 2026-11-20."""
    assert run("followup", "add", "acme.example", "Eng", "--applied", "2026-11-01").exit_code == 0
    assert run("followup", "person", "1", "Hana Ito", "--role", "hiring_manager").exit_code == 0
    folder = tmp_path / "patterns"
    (folder / "followup" / "templates").mkdir(parents=True)
    from reachout.data import bundled_dir

    rules = (bundled_dir() / "followup" / "rules.toml").read_text(encoding="utf-8")
    (folder / "followup" / "rules.toml").write_text(rules, encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "breakage, contains",
    [
        ("undecodable", "posting.txt is not UTF-8 (byte 0)"),
        ("directory", "posting.txt cannot be read (Is a directory)"),
        ("no-subject", "needs a `Subject:` line"),
    ],
)
def test_broken_template_is_one_line(tracked, breakage, contains):
    template = tracked / "followup" / "templates" / "posting.txt"
    if breakage == "undecodable":
        template.write_bytes(b"\xff\xfeSubject: x\n\nbody\n")
    elif breakage == "directory":
        template.mkdir()
    else:
        template.write_text("{unclosed\n", encoding="utf-8")
    result = run("followup", "--patterns", str(tracked), "draft", "1", "--on", "2026-11-20")
    assert_one_line_error(result, contains=contains)


@pytest.mark.parametrize(
    "content, contains",
    [("[[[", "is not valid TOML"), ("x = 1", "has no [[rule]] entries"),
     ("[[rule]]\nid = 5\n", "`id` must be non-empty text")],
)
def test_broken_rules_file_is_one_line(tracked, content, contains):
    (tracked / "followup" / "rules.toml").write_text(content, encoding="utf-8")
    assert_one_line_error(run("followup", "--patterns", str(tracked), "due"), contains=contains)


def test_patterns_file_that_is_a_directory(tmp_path):
    (tmp_path / "formats.toml").mkdir()
    result = run("guess", "Jane Doe", "acme.com", "--patterns", str(tmp_path))
    assert_one_line_error(result, contains="formats.toml cannot be read (Is a directory)")


@pytest.mark.parametrize(
    "brief",
    [b"[1, 2]", b"\xff\xfe", b'{"company": 5, "news": [{"title": 5, "url": "javascript:x", '
     b'"published": "2026-13-45"}], "posts": "x"}'],
    ids=["list", "bytes", "wrong-types"],
)
def test_hostile_saved_brief_leaves_the_fact_out(tracked, reachout_home, brief):
    (reachout_home / "briefs").mkdir(parents=True)
    (reachout_home / "briefs" / "acme.example.json").write_bytes(brief)
    result = run("followup", "draft", "1", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("To: Hana Ito") or result.stdout.startswith("Subject:")
    assert "javascript:" not in result.stdout


def test_brief_out_unwritable_is_one_line(site, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run(*brief_args(site, "--out", str(blocker / "brief.md")))
    assert_one_line_error(result, contains="Cannot write")


# --- a batch of hostile rows: every row comes back, in order, with a status -----------------------

HOSTILE_ROWS = [
    ("Acme", "acme.test", "Jane Doe", "", "failed"),
    ("Nul", "ac\x00me.test", "Jo\x00hn Smith", "", "bad_input"),
    ("RTL", "\u202eacme.test", "\u202eJane Doe", "", "bad_input"),
    ("Emoji", "😀.com", "😀 😀", "", "bad_input"),
    ("Comb", "acme.test", "J\u0301ane D\u0301oe", "", "failed"),
    ("IP", "127.0.0.1", "Jane Doe", "", "bad_input"),
    ("URL", "javascript:alert(1)", "Jane Doe", "", "bad_input"),
    ("Big", "acme.test", "x" * 5000, "", "failed"),
    ("Formula", "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1@acme.test", "bad_input"),
    ('Quote "x", y', "acme.test", "Multi\nLine Name", "", "failed"),
    ("Titles", "acme.test", "Dr. Prof. Sir", "", "failed"),
    ("Email", "acme.test", "Jane Doe", "not-an-email", "failed"),
    ("Other", "acme.test", "Jane Doe", "jane@other.test", "failed"),
    ("Last", "acme.test", "Zed Last", "", "failed"),
]


def test_batch_of_hostile_rows_loses_none(tmp_path):
    import csv
    import io
    import json

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["company", "domain", "name", "email"])
    writer.writerows([row[:4] for row in HOSTILE_ROWS])
    writer.writerow(["Short"])
    path = tmp_path / "hostile.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    result = run("batch", str(path), "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "jsonl", "--state", str(tmp_path / "s.sqlite"), "--no-lookup")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["row"] for r in rows] == list(range(1, len(HOSTILE_ROWS) + 2))
    assert [r["status"] for r in rows] == [row[4] for row in HOSTILE_ROWS] + ["bad_input"]
    assert [r["input"]["company"] for r in rows][:-1] == [row[0] for row in HOSTILE_ROWS]
    assert all(r["error"] for r in rows)


# --- real processes: Ctrl-C and a closed stdout ----------------------------------------------------


def _reachout(*args: str, home, **kwargs):
    import subprocess
    import sys

    env = {**os.environ, "REACHOUT_HOME": str(home), "REACHOUT_RESOLVE_ONLY": "1",
           "REACHOUT_NAMESERVER": DEAD}
    return subprocess.Popen([sys.executable, "-m", "reachout", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


@pytest.mark.parametrize(
    "args",
    [("mx", "acme.test", "--allow-private"), ("verify", "jane@acme.test", "--allow-private"),
     ("guess", "Jane Doe", "acme.com", "--verify")],
    ids=["mx", "verify", "guess-verify"],
)
def test_ctrl_c_exits_130_with_one_line(tmp_path, dead_nameserver, args):
    import signal
    import time

    process = _reachout(*args, "--nameserver", dead_nameserver, "--timeout", "30", home=tmp_path)
    time.sleep(1.5)  # past start-up, waiting on the silent nameserver
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert err.decode() == "Interrupted.\n"
    assert out == b""


@pytest.mark.parametrize(
    "args",
    [("guess", "Jane Doe", "acme.com", "--top", "50"),
     ("guess", "Jane Doe", "acme.com", "--format", "json"),
     ("mx", "-", "--format", "json", "--allow-private", "--timeout", "0.1")],
    ids=["guess-table", "guess-json", "mx-stream"],
)
def test_closed_stdout_is_not_a_traceback(tmp_path, args):
    import subprocess

    stdin = "".join(f"d{i}.test\n" for i in range(3000)).encode()
    process = _reachout(*args, home=tmp_path, stdin=subprocess.PIPE)
    process.stdout.close()  # like `| head -0`: nobody reads
    _, err = process.communicate(stdin, timeout=60)
    assert b"Traceback" not in err and b"Exception ignored" not in err, err
    assert process.returncode in (0, 1)


# --- dates at the edge of the calendar ------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("log", "1", "timeline", "--until", "9999-12-30"), ("add", "x", "y", "--closes", "9999-12-31"),
     ("due", "--on", "0001-01-01"), ("log", "1", "applied", "--on", "-9999w")],
    ids=["until", "closes", "on", "offset"],
)
def test_dates_beyond_the_planning_years_are_refused(tracked, args):
    assert_one_line_error(run("followup", *args), contains="outside the years 1900-2999")
    # …and so never stored, where they would overflow every later command:
    assert run("followup", "due").exit_code == 0
    assert run("followup", "list").exit_code == 0


@pytest.mark.parametrize("args", [("due",), ("export", "--ics", "-")], ids=["due", "export"])
def test_huge_days_is_every_follow_up(tracked, args):
    result = run("followup", *args, "--days", "99999999", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    assert "posting-follow-up" in result.stdout or "BEGIN:VCALENDAR" in result.stdout


@pytest.mark.parametrize("name", ["formats.toml", "providers.toml", "role_inboxes.toml", "webmail.txt"])
def test_batch_with_a_broken_data_file_stops_before_any_row(tmp_path, name):
    folder = tmp_path / "patterns"
    folder.mkdir()
    (folder / name).write_bytes(b"[[[" if name.endswith(".toml") else b"\xff\xfe")
    data = tmp_path / "in.csv"
    data.write_text("company,domain,name\nAcme,acme.test,Jane Doe\n", encoding="utf-8")
    result = run("batch", str(data), "--patterns", str(folder), "--nameserver", DEAD,
                 "--timeout", "0.2", "--allow-private", "--state", str(tmp_path / "s.sqlite"))
    assert_one_line_error(result, contains=f"{name} is not")


def test_batch_refuses_the_tracker_as_its_state(reachout_home, tmp_path):
    assert run("followup", "add", "Acme", "Engineer").exit_code == 0
    data = tmp_path / "in.csv"
    data.write_text("domain\nacme.test\n", encoding="utf-8")
    result = run("batch", str(data), "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--state", str(reachout_home / "followup.sqlite"))
    assert_one_line_error(result, contains="is an SQLite database of something else (tables")
    assert run("followup", "list").exit_code == 0


def test_batch_input_directory_and_unreadable_file(tmp_path):
    assert_one_line_error(run("batch", str(tmp_path)), contains="is a directory")
    if os.path.exists("/proc/self/mem"):  # a regular file whose reads fail (EIO)
        assert_one_line_error(run("batch", "/proc/self/mem"), contains="Input/output error")


def test_batch_reads_a_pipe_such_as_process_substitution(tmp_path):
    import json
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w", encoding="utf-8") as writer:
            writer.write("acme.test\n")

    threading.Thread(target=feed, daemon=True).start()
    result = run("batch", str(fifo), "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "jsonl", "--state", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["domain"] == "acme.test"


# --- SMTP command injection through --helo and --sender ------------------------------------------


@pytest.mark.parametrize(
    "option, value, contains",
    [("--helo", "probe.example\r\nDATA", "EHLO name"), ("--helo", "two words", "EHLO name"),
     ("--sender", "me@example.org>\r\nDATA", "Sender"), ("--sender", "a b@example.org", "Sender")],
    ids=["helo-crlf", "helo-space", "sender-crlf", "sender-space"],
)
@pytest.mark.parametrize("command", ["verify", "guess", "batch"])
def test_smtp_line_injection_is_refused(tmp_path, command, option, value, contains, smtp_server,
                                       nameserver):
    before = len(smtp_server.handler.events)
    common = ["--nameserver", nameserver, "--timeout", "0.2", "--allow-private", "--smtp",
              "--smtp-port", str(smtp_server.port), option, value]
    if command == "verify":
        args = ["verify", "jane@acme.test", *common]
    elif command == "guess":
        args = ["guess", "Jane Doe", "acme.test", "--verify", *common]
    else:
        data = tmp_path / "in.csv"
        data.write_text("domain\nacme.test\n", encoding="utf-8")
        args = ["batch", str(data), "--state", str(tmp_path / "s.sqlite"), *common]
    assert_one_line_error(run(*args), contains=contains)
    assert len(smtp_server.handler.events) == before  # not one command reached the server


def test_probe_session_never_sends_a_line_break():
    import asyncio

    from reachout.mail.smtpprobe import SessionError, SmtpSession

    session = SmtpSession.__new__(SmtpSession)
    session.writer = object()  # never reached
    session.transcript = []
    with pytest.raises(SessionError, match="line break"):
        asyncio.run(session.command("MAIL FROM:<a>\r\nDATA"))
    assert session.transcript == []


def test_batch_jsonl_hostile_lines_lose_no_row(tmp_path):
    import json

    lines = [
        '{"domain": "acme.test"}',
        '{"domain": ' + "[" * 100_000 + "]" * 100_000 + "}",  # RecursionError in json
        '{"domain": null, "name": 5}',
        "[1, 2]",
        "{bad json",
        '{"domain": "acme.test", "name": "J\\ud800 Doe", "\\udcff": "x"}',  # lone surrogates
        '{"domain": 1e999}',
        '{"domain": "acme.test"}',
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("batch", str(path), "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "jsonl", "--state", str(tmp_path / "s.sqlite"), "--no-lookup")
    assert result.exit_code == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["status"] for r in rows] == [
        "failed", "bad_input", "bad_input", "bad_input", "bad_input", "failed", "bad_input", "failed"]
    assert "nested too deeply" in rows[1]["error"]


def test_run_batch_python_rows_with_lone_surrogates(tmp_path):
    from reachout.batch import run_batch

    summary = run_batch([{"domain": "acme.test", "name": "J\ud800 Doe"}, "glob\udcffex.test"],
                        nameservers=[DEAD], timeout=0.2, allow_private=True, progress=False,
                        state=tmp_path / "s.sqlite")
    assert summary.by_status == {"failed": 1, "bad_input": 1}


@pytest.mark.parametrize(
    "encoding, contains",
    [("base64", "Not a text encoding: 'base64'"), ("rot13", "Not a text encoding: 'rot13'"),
     ("nope", "Unknown encoding 'nope'"), ("utf-16", "is not valid utf-16 (line 1)"),
     ("punycode", "is not valid punycode")],
)
def test_batch_encodings_that_cannot_read_the_file(tmp_path, encoding, contains):
    path = tmp_path / "in.csv"
    path.write_bytes("domain\nacme.test\nbé.test\n".encode())
    result = run("batch", str(path), "--encoding", encoding, "--state", str(tmp_path / "s.sqlite"))
    assert_one_line_error(result, contains=contains)


@pytest.mark.parametrize("codec, hint", [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_batch_utf16_without_bom_is_named(tmp_path, codec, hint):
    path = tmp_path / "in.csv"
    path.write_bytes("domain\nacme.test\n".encode(codec))
    result = run("batch", str(path), "--state", str(tmp_path / "s.sqlite"))
    assert_one_line_error(
        result, contains=f"looks like UTF-16 without a byte-order mark; pass --encoding {hint}"
    )


# --- drafts: a name or role with a line break never becomes a header ---------------------------------


def test_draft_headers_cannot_be_injected(reachout_home):
    assert run("followup", "add", "Acme\nBcc: evil@x.example", "Eng\r\nBcc: e2@x.example",
               "--applied", "2026-11-01").exit_code == 0
    assert run("followup", "person", "1", 'Hana "H", Bcc: evil@x.example\nCc: e3@x.example',
               "--role", "hiring_manager", "--email", "hana@acme.example").exit_code == 0
    result = run("followup", "draft", "1", "--on", "2026-11-20")
    assert result.exit_code == 0, result.stderr
    head = result.stdout.split("\n\n", 1)[0].splitlines()
    assert [line.split(":", 1)[0] for line in head] == ["To", "Subject"]
    assert head[0] == 'To: "Hana \\"H\\", Bcc: evil@x.example Cc: e3@x.example" <hana@acme.example>'
    assert head[1] == "Subject: Following up: Eng Bcc: e2@x.example application"
    listed = run("followup", "list", "--json")
    assert "Acme Bcc: evil@x.example" in listed.stdout  # stored on one line


def test_draft_keeps_plain_and_accented_names_unquoted(reachout_home):
    assert run("followup", "add", "Acme", "Eng", "--applied", "2026-11-01").exit_code == 0
    assert run("followup", "person", "1", "José J. Núñez", "--role", "hiring_manager",
               "--email", "jn@acme.example").exit_code == 0
    result = run("followup", "draft", "1", "--on", "2026-11-20")
    assert result.stdout.startswith("To: José J. Núñez <jn@acme.example>\n")


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
@pytest.mark.parametrize(
    "args",
    [("mx", "acme.test", "--timeout"), ("verify", "a@acme.test", "--smtp-timeout"),
     ("batch", "-", "--timeout"), ("brief", "acme.test", "--cache-ttl"),
     ("batch", "-", "--retry-after")],
    ids=lambda a: f"{a[0]} {a[-1]}",
)
def test_seconds_that_are_not_finite_are_usage_errors(args, value):
    result = run(*args, value)
    assert result.exit_code == 2, result.output
    assert "is not a number of seconds" in result.stderr or "not in the range" in result.stderr


def test_guess_name_with_undecodable_bytes_is_refused_not_truncated():
    # `reachout guess José …` under LC_ALL=C without UTF-8 mode: argv holds 'Jos\udcc3\udca9'.
    result = run("guess", "Jos\udcc3\udca9", "acme.com")
    assert_one_line_error(result, contains="holds bytes that are not UTF-8")


def test_brief_name_and_role_are_one_clean_line(site):
    evil = "Evil\n# Heading <script>x</script>\x00\x1b[31m"
    result = run(*brief_args(site, "--name", evil, "--role", evil, "--format", "html"))
    assert result.exit_code == 0, result.stderr
    assert "\x00" not in result.stdout and "\x1b" not in result.stdout
    assert "<title>Evil # Heading &lt;script&gt;x&lt;/script&gt; [31m — company brief</title>" in (
        result.stdout)


@pytest.mark.parametrize("option", ["--name", "--role"])
def test_brief_label_with_undecodable_bytes(site, option):
    result = run(*brief_args(site, option, "Acme\udcff"))
    assert_one_line_error(result, contains="holds bytes that are not UTF-8")


# --- generated hostile input (issue 14): every command, arguments and stdin drawn by Hypothesis -------
# Pieces that broke something once, mixed with random text: NUL, bidi overrides, confusables, CR/LF,
# spreadsheet formulas, undecodable bytes (as argv shows them: lone surrogates), labels, names and
# domains past DNS's limits, and (on stdin) a 1 MB line. Each run must end with exit 0, 1 or 2, no
# traceback, stdout and stderr that are valid UTF-8, one 'Error:' line when it fails with 1, and, on
# a multi-row run, one answer per row. The DNS is the local NSD (or a dead port), never the system's.

import json as _json  # noqa: E402

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = [
    "\x00", "\u202e", "\u202d", "\u2066", "\u200b", "\ufeff", "а", "ｊａｎｅ", "ο", "\r", "\n", "\r\n",
    "\t", "=cmd|' /C calc'!A0", "+1", "-2", "@SUM(1+1)", "\udcff", "\udc80", "é", "😀", "#", "# ",
    "@", ".", "..", "xn--", "a" * 64, "x" * 300, ".".join(["a" * 63] * 5), "acme.test",
    "jane@acme.test", "Jane Doe", "bücher.de", "http://", "/", "\\", '"', "'", ",", ";", " ",
]
HOSTILE_TEXT = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), min_size=0, max_size=5
).map("".join)
MEGA_LINE = b"m" * 1_000_000


def _line_bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape") if all(
        "\udc80" <= ch <= "\udcff" or not "\ud800" <= ch <= "\udfff" for ch in text
    ) else text.encode("utf-8", "replace")


STDIN_LINES = st.lists(
    st.one_of(
        HOSTILE_TEXT.map(lambda t: _line_bytes(t.replace("\n", " ").replace("\r", " "))),
        st.binary(max_size=40).map(lambda b: b.replace(b"\n", b" ")),
    ),
    min_size=1, max_size=6,
)
# A 1 MB line joins the drawn ones where a boolean says so (a 1 MB example is too slow to shrink).
WITH_MEGA = st.booleans()


def _with_mega(lines: list[bytes], mega: bool) -> list[bytes]:
    return [*lines[:1], MEGA_LINE, *lines[1:]] if mega else lines
# Bounded: 25 examples a command, the same ones every run (REACHOUT_HOSTILE_EXAMPLES=500
# REACHOUT_HOSTILE_EXPLORE=1 explores afresh), no shrinking (a 1 MB example takes
# minutes to shrink; the failing example is printed as drawn).
GENERATED = settings(
    max_examples=int(os.environ.get("REACHOUT_HOSTILE_EXAMPLES", "25")), deadline=None,
    derandomize=not os.environ.get("REACHOUT_HOSTILE_EXPLORE"),
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)


def assert_well_behaved(result) -> None:
    """Exit 0/1/2, no traceback, valid UTF-8 on both streams, one 'Error:' line on exit 1."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    stdout = result.stdout_bytes.decode("utf-8")  # strict: a raw undecodable byte fails here
    stderr = result.stderr_bytes.decode("utf-8")
    assert "Traceback" not in stderr and "\\udc" not in stdout
    if result.exit_code == 1:
        errors = [line for line in stderr.splitlines() if line.startswith("Error: ")]
        assert len(errors) == 1 and "internal error" not in errors[0], stderr


def _expected_rows(lines: list[bytes]) -> list[str]:
    """The lines a multi-row command answers: not blank, not a '# ' comment (see cli.check)."""
    rows = []
    for number, raw in enumerate(lines):
        text = raw.decode("utf-8", "surrogateescape")
        text = (text.lstrip("\ufeff") if number == 0 else text).strip()
        if text and not text.startswith("# ") and text != "#":
            rows.append(text)
    return rows


@GENERATED
@given(name=HOSTILE_TEXT, domain=HOSTILE_TEXT, fmt=st.sampled_from(["table", "json", "csv"]))
def test_generated_guess(name, domain, fmt):
    result = run("guess", name, domain, "--format", fmt)
    assert_well_behaved(result)


@GENERATED
@given(lines=STDIN_LINES, mega=WITH_MEGA, fmt=st.sampled_from(["json", "csv"]))
def test_generated_verify_stdin_loses_no_row(nameserver, lines, mega, fmt):
    lines = _with_mega(lines, mega)
    result = run("verify", "-", "--nameserver", nameserver, "--timeout", "0.5", "--allow-private",
                 "--format", fmt, input=b"\n".join(lines) + b"\n")
    assert_well_behaved(result)
    assert result.exit_code == 0, result.stderr
    expected = _expected_rows(lines)
    if fmt == "json":
        rows = _json.loads(result.stdout)
        assert len(rows) == len(expected)
        assert all(r["verdict"] in {"valid", "risky", "invalid", "unknown"} for r in rows)
    else:
        import csv
        import io

        # (csv refuses to read NUL, which a cell may hold: the count does not depend on it)
        csv.field_size_limit(2_000_000)  # the 1 MB line is one cell
        table = list(csv.reader(io.StringIO(result.stdout.replace("\x00", ""))))
        assert len(table) == len(expected) + 1


@GENERATED
@given(lines=STDIN_LINES, mega=WITH_MEGA)
def test_generated_mx_stdin_loses_no_row(nameserver, lines, mega):
    lines = _with_mega(lines, mega)
    result = run("mx", "-", "--nameserver", nameserver, "--timeout", "0.5", "--allow-private",
                 "--format", "json", input=b"\n".join(lines) + b"\n")
    assert_well_behaved(result)
    assert result.exit_code == 0, result.stderr
    assert len(_json.loads(result.stdout)) == len(_expected_rows(lines))


@pytest.mark.parametrize("command", ["verify", "mx"])
@GENERATED
@given(items=st.lists(HOSTILE_TEXT, min_size=1, max_size=4))
def test_generated_arguments_each_get_a_row(nameserver, command, items):
    args = [a if a != "-" else "x-" for a in items]
    result = run(command, *args, "--nameserver", nameserver, "--timeout", "0.5", "--allow-private",
                 "--format", "json")
    assert_well_behaved(result)
    if result.exit_code == 0:
        assert len(_json.loads(result.stdout)) == len(args)


@GENERATED
@given(company=HOSTILE_TEXT, name=HOSTILE_TEXT, role=HOSTILE_TEXT,
       fmt=st.sampled_from(["md", "json", "html"]))
def test_generated_brief(company, name, role, fmt):
    # Nothing resolves (the test guard refuses the system resolver): a quick, handled failure.
    result = run("brief", company, "--name", name, "--role", role, "--no-mail", "--format", fmt,
                 "--timeout", "0.5", "--max-time", "5")
    assert_well_behaved(result)


@GENERATED
@given(lines=STDIN_LINES, mega=WITH_MEGA, header=st.booleans())
def test_generated_batch_loses_no_row(tmp_path_factory, lines, mega, header):
    lines = _with_mega(lines, mega)
    state = tmp_path_factory.mktemp("batch") / "s.sqlite"
    data = (b"domain,name\n" if header else b"") + b"\n".join(lines) + b"\n"
    result = run("batch", "-", "--nameserver", DEAD, "--timeout", "0.2", "--allow-private",
                 "--format", "jsonl", "--state", str(state), "--quiet", input=data)
    assert_well_behaved(result)
    if result.exit_code == 0:
        rows = [_json.loads(line) for line in result.stdout.splitlines()]
        assert [r["row"] for r in rows] == list(range(1, len(rows) + 1))
        assert all(r["status"] for r in rows)


@GENERATED
@given(company=HOSTILE_TEXT, role=HOSTILE_TEXT, notes=HOSTILE_TEXT, person=HOSTILE_TEXT)
def test_generated_followup(company, role, notes, person):
    added = run("followup", "add", company, role, "--notes", notes, "--applied", "2026-11-01")
    assert_well_behaved(added)
    if added.exit_code == 0:
        app = added.stdout.split()[0]
        assert_well_behaved(run("followup", "person", app, person, "--role", "hiring_manager"))
        assert_well_behaved(run("followup", "draft", app, "--on", "2026-11-20"))
    listed = run("followup", "list", "--json")
    assert_well_behaved(listed)
    assert listed.exit_code == 0
