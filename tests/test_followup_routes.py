"""Issue 16 end to end through the CLI: a rule for every route in, the default check-in after an
interview, per-interviewer thank-yous, CSV/JSON Lines export, .eml drafts and mailto: links."""

from __future__ import annotations

import csv
import email
import email.policy
import email.utils
import io
import json
import re
import shlex
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from click.testing import CliRunner

from reachout.cli import cli


def invoke(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, ["followup", "--tz", "Europe/Paris", *args], env=env)


def run(*args: str, env: dict[str, str] | None = None) -> str:
    result = invoke(*args, env=env)
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    return result.stdout


def run_json(*args: str, env: dict[str, str] | None = None):
    return json.loads(run(*args, "--json", env=env))


# (what a user types for --via, who they wrote to, the rule, due, by, a line of its draft)
ROUTES = [
    ("posting", "hiring_manager", "posting-follow-up", "2026-11-23", "2026-11-30",
     "I applied on Monday 16 November for the Data Analyst position at Umbrella"),
    ("Referral", "referrer", "referral-ask-referrer", "2026-11-19", "2026-11-23",
     "whether my résumé reached the hiring manager"),
    ("recruiter", "recruiter", "recruiter-follow-up", "2026-11-23", "2026-11-25",
     "Thank you for putting me forward for the Data Analyst position at Umbrella"),
    ("direct", "hiring_manager", "direct-follow-up", "2026-11-23", "2026-11-30",
     "I sent my résumé to Umbrella on Monday 16 November about the Data Analyst role"),
    ("career fair", "recruiter", "career-fair-thank-you", "2026-11-17", "2026-11-18",
     "at the career fair about the Data Analyst position at Umbrella"),
    ("cold-outreach", "hiring_manager", "cold-outreach-follow-up", "2026-11-23", "2026-11-30",
     "bring my note back to the top of your inbox"),
]


@pytest.mark.parametrize(("via", "role", "rule", "due", "by", "line"), ROUTES,
                         ids=[r[0] for r in ROUTES])
def test_every_route_in_has_a_rule_a_recipient_and_a_draft(via, role, rule, due, by, line):
    assert run("add", "umbrella.example", "Data Analyst", "--via", via, "--applied",
               "2026-11-16", "--quiet") == "1\n"
    # Umbrella is the company's name in the draft (the domain alone is all the tracker has).
    run("edit", "1", "--company", "Umbrella")
    run("person", "1", "Rae Moss", "--role", role, "--email", "rae@umbrella.example")
    # The example from the issue: `due --on 2026-11-30 --days 14` no longer says "Nothing due."
    (item,) = run_json("due", "--on", "2026-11-30", "--days", "14")
    assert (item["rule"], item["due_on"], item["deadline_on"]) == (rule, due, by)
    assert item["to"]["name"] == "Rae Moss" and item["source"]
    assert item["default_timing"] is False and item["note"] is None
    text = run("draft", str(item["id"]), "--on", "2026-11-30", "--sign", "Sam Doe")
    assert text.startswith("To: Rae Moss <rae@umbrella.example>\nSubject: ")
    assert line in " ".join(text.split())
    assert text.rstrip().endswith("Sam Doe") and "{" not in text


def test_a_route_is_read_however_it_is_spelt_and_a_wrong_one_lists_the_valid_ones():
    for typed, stored in [("Career Fair", "career_fair"), ("career-fair", "career_fair"),
                          ("career_fair", "career_fair"), ("COLD OUTREACH", "cold_outreach"),
                          ("cold-outreach", "cold_outreach"), (" recruiter ", "recruiter")]:
        assert run_json("add", "Umbrella", "Analyst", "--via", typed)["applied_via"] == stored
    assert run_json("edit", "1", "--via", "cold outreach")["applied_via"] == "cold_outreach"
    result = invoke("add", "Umbrella", "Analyst", "--via", "job board")
    assert result.exit_code == 2 and result.stdout == ""
    assert ("'job board' is not a way of applying; use one of posting, referral, recruiter, "
            "direct, career fair, cold outreach, other.") in result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture
def interviewed() -> None:
    """Application 1 interviewed Wednesday 25 November by Ana (with an address) and Bo."""
    run("add", "acme.example", "Data Engineer", "--applied", "2026-11-16")
    run("person", "1", "Hana Ito", "--role", "hiring_manager", "--email", "hana@acme.example")
    run("log", "1", "interviewed", "--on", "2026-11-25", "--with", "Ana Ruiz <ana@acme.example>",
        "--with", "Bo Li", "--topic", "the move to streaming", "--topic", "on-call rotations")


def test_an_interview_with_no_decision_date_gets_a_default_check_in(interviewed):
    result = invoke("due", "--on", "2026-12-09", "--days", "0")
    assert result.exit_code == 0
    (row,) = [line for line in result.stdout.splitlines() if "interview-check-in" in line]
    assert row.split()[1:4] == ["due", "2026-12-09", "2026-12-16"]  # ten business days on
    assert "Hana Ito <hana@acme.example>" in row
    assert ("Note: #4: No decision date was given, so this check-in is reachout's default: "
            "10 business days after the interviewed event.") in result.stderr
    item = next(i for i in run_json("due", "--on", "2026-12-09", "--days", "0")
                if i["rule"] == "interview-check-in")
    assert item["default_timing"] is True and "--check-in N" in item["note"]
    assert item["title"] == "Check in: no decision date was given"
    draft = run("draft", "4", "--on", "2026-12-09")
    assert "Could you let me know where things stand" in draft


def test_the_default_check_in_can_be_changed_by_option_environment_or_rules_file(
    interviewed, tmp_path
):
    def check_in(*options: str, env: dict[str, str] | None = None) -> tuple[str, str]:
        items = CliRunner().invoke(
            cli, ["followup", "--tz", "Europe/Paris", *options, "show", "1", "--json"], env=env
        )
        assert items.exit_code == 0, items.output
        (item,) = [f for f in json.loads(items.stdout)["followups"]
                   if f["rule"] == "interview-check-in"]
        return item["due_on"], item["deadline_on"]

    assert check_in() == ("2026-12-09", "2026-12-16")
    assert check_in("--check-in", "5") == ("2026-12-02", "2026-12-09")
    assert check_in(env={"REACHOUT_CHECK_IN": "7"}) == ("2026-12-04", "2026-12-11")
    assert check_in("--check-in", "5", env={"REACHOUT_CHECK_IN": "7"})[0] == "2026-12-02"
    from reachout.data import bundled_dir

    mine = tmp_path / "mine" / "followup"
    mine.mkdir(parents=True)
    text = (bundled_dir() / "followup" / "rules.toml").read_text(encoding="utf-8")
    head, rule, rest = text.partition('id = "interview-check-in"')
    rest = rest.replace("start = { business_days = 10 }", "start = { business_days = 3 }", 1)
    (mine / "rules.toml").write_text(head + rule + rest, encoding="utf-8")
    assert check_in("--patterns", str(tmp_path / "mine"))[0] == "2026-11-30"
    bad = invoke("--check-in", "0", "due")
    assert bad.exit_code == 2 and "--check-in" in bad.stderr
    env_bad = invoke("due", env={"REACHOUT_CHECK_IN": "ten"})
    assert env_bad.exit_code == 1 and "REACHOUT_CHECK_IN='ten'" in env_bad.stderr


def test_a_date_they_state_after_the_interview_replaces_the_default(interviewed):
    run("log", "1", "timeline", "--on", "2026-11-26", "--until", "2026-12-04")
    items = {f["rule"]: f for f in run_json("show", "1", "--on", "2026-11-27")["followups"]}
    assert items["interview-check-in"]["status"] == "cancelled"
    assert items["timeline-check-in"]["due_on"] == "2026-12-07"


def test_each_interviewer_s_thank_you_names_what_they_discussed(interviewed):
    ana = run("draft", "2", "--on", "2026-11-26")
    bo = run("draft", "3", "--on", "2026-11-26")
    assert "our conversation about the move to streaming" in ana and "on-call" not in ana
    assert "our conversation about on-call rotations" in bo and "streaming" not in bo
    assert run_json("show", "1")["events"][1]["topics"] == {
        "2": "the move to streaming",
        "3": "on-call rotations",
    }
    # Changed later for one person only.
    run("edit", "1", "--event", "2", "--person", "3", "--topic", "pager budgets")
    assert "our conversation about pager budgets" in run("draft", "3", "--on", "2026-11-26")
    assert "the move to streaming" in run("draft", "2", "--on", "2026-11-26")


def test_a_thank_you_without_a_topic_asks_for_it_visibly():
    run("add", "acme.example", "Data Engineer")
    run("log", "1", "interviewed", "--on", "2026-11-25", "--with", "Ana Ruiz", "--with", "Bo Li")
    result = invoke("draft", "1", "--on", "2026-11-26")
    assert result.exit_code == 0
    assert "our conversation about [ADD: a point you discussed with Ana Ruiz]" in result.stdout
    assert ("Note: Replace [ADD: a point you discussed with Ana Ruiz] before sending, or record "
            "it and draft again: `reachout followup edit 1 --event 1 --person 1 --topic TEXT`."
            ) in result.stderr
    run("person", "1", "Cy Obi", "--role", "interviewer", "--event", "1", "--topic", "the SQL test")
    cy = next(f for f in run_json("due", "--on", "2026-11-26") if f["to"]["name"] == "Cy Obi")
    assert "about the SQL test" in run("draft", str(cy["id"]), "--on", "2026-11-26")
    mismatch = invoke("log", "1", "interviewed", "--with", "Ana Ruiz", "--with", "Bo Li",
                      "--topic", "a", "--topic", "b", "--topic", "c")
    assert mismatch.exit_code == 1
    assert "3 --topic for 2 --with; give one per person" in mismatch.stderr


def test_a_missing_address_hint_names_reachout_guess_with_person_and_company():
    run("add", "acme.example", "Data Analyst", "--via", "recruiter", "--applied", "2026-11-16")
    run("person", "1", "Tom O'Brien", "--role", "recruiter")
    result = invoke("due", "--on", "2026-11-30")
    hint = next(line for line in result.stderr.splitlines() if line.startswith("Hint:"))
    command = hint.split("`")[1]
    assert command == "reachout guess \"Tom O'Brien\" acme.example"
    assert shlex.split(command) == ["reachout", "guess", "Tom O'Brien", "acme.example"]
    assert "`reachout followup edit --person 1 --email ADDRESS`" in hint
    # A company known only by name: the hint asks for its domain rather than fill in a name.
    run("add", "Umbrella Corp", "Analyst", "--via", "direct", "--applied", "2026-11-16")
    run("person", "2", "Ana Ruiz", "--role", "hiring_manager")
    hints = invoke("due", "--on", "2026-11-30").stderr
    assert "`reachout guess \"Ana Ruiz\" DOMAIN` (DOMAIN: Umbrella Corp's web domain" in hints
    # No one recorded at all: the hint says whom to add, and how to find their address.
    run("add", "acme.example", "SRE", "--via", "cold outreach", "--applied", "2026-11-16")
    assert "`reachout guess NAME acme.example` finds their address" in invoke(
        "due", "--on", "2026-11-30").stderr


def _export_world() -> None:
    """Formula-like text where a spreadsheet would evaluate it, and an accented name."""
    run("add", "=HYPERLINK(\"http://x.example\",\"click\")", "+SUM(A1:A9)", "--applied",
        "2026-11-16")
    run("person", "1", "@José Müller", "--role", "hiring_manager", "--email", "jose@acme.example")
    run("add", "--via", "recruiter", "--applied", "2026-11-16", "--", "acme.example",
        "-Data Engineer")


def test_export_csv_is_spreadsheet_safe():
    _export_world()
    out = run("export", "--format", "csv", "--on", "2026-11-23")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["rule"] for r in rows] == ["posting-follow-up", "recruiter-follow-up"]
    first, second = rows
    assert first["company"] == "'=HYPERLINK(\"http://x.example\",\"click\")"
    assert first["role"] == "'+SUM(A1:A9)"
    assert first["to_name"] == "'@José Müller" and first["to_email"] == "jose@acme.example"
    assert second["role"] == "'-Data Engineer"
    assert first["due_on"] == "2026-11-23" and first["status"] == "due"
    assert first["default_timing"] == "no"
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_export_csv_to_a_file_and_jsonl_parse_back(tmp_path):
    _export_world()
    path = tmp_path / "followups.csv"
    result = invoke("export", "--format", "csv", "-o", str(path), "--on", "2026-11-23")
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == f"Wrote 2 follow-ups to {path}\n"
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # a BOM: Excel then reads the file as UTF-8
    assert "'@José Müller" in data.decode("utf-8-sig")
    lines = run("export", "--format", "jsonl", "--on", "2026-11-23").splitlines()
    assert [json.loads(line) for line in lines] == run_json("due", "--on", "2026-11-23")
    # --all adds what is sent, skipped or cancelled; --days limits by due date.
    run("done", "1", "--on", "2026-11-23")
    assert len(run("export", "--format", "jsonl", "--on", "2026-11-23").splitlines()) == 1
    assert len(run("export", "--format", "jsonl", "--all", "--on", "2026-11-23").splitlines()) == 2
    assert run("export", "--format", "jsonl", "--on", "2026-11-17", "--days", "1") == ""


def test_export_needs_a_target_and_keeps_its_ics_report():
    result = invoke("export")
    assert result.exit_code == 2 and "Give --ics FILE, or --format csv or jsonl." in result.stderr
    both = invoke("export", "--ics", "-", "--format", "csv")
    assert both.exit_code == 2


@pytest.fixture
def idn_draft() -> None:
    run("add", "bücher.example", "Ingénieure données", "--applied", "2026-11-16")
    run("person", "1", "José Müller, PhD", "--role", "hiring_manager", "--email",
        "jose@bücher.example")


def test_draft_as_eml_opens_as_an_unsent_draft(idn_draft, tmp_path):
    path = tmp_path / "draft.eml"
    text = run("draft", "1", "--on", "2026-11-23", "--sign", "Sam Doe", "--eml", str(path),
               "--from", "Sam Doe <sam@example.org>")
    data = path.read_bytes()
    assert b"\r\n" in data and data.isascii()  # 7-bit clean, CRLF line ends (RFC 5322)
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["X-Unsent"] == "1"
    assert message["MIME-Version"] == "1.0"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("José Müller, PhD", "jose@xn--bcher-kva.example")
    assert message["From"].addresses[0].addr_spec == "sam@example.org"
    assert message["Subject"] == "Following up: Ingénieure données application"
    assert email.utils.parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert re.fullmatch(r"<followup-1\.[0-9a-f]{16}@followup\.reachout\.invalid>", message["Message-ID"])
    assert b"\r\nMessage-ID: <followup-1." in data  # on one line, never folded
    body = message.get_content()
    draft = run_json("draft", "1", "--on", "2026-11-23", "--sign", "Sam Doe")
    assert body.replace("\r\n", "\n") == draft["body"] + "\n"
    assert text == draft["text"]
    assert "Received" not in message and message["Bcc"] is None


def test_eml_without_a_sender_leaves_from_to_the_mail_client(idn_draft):
    result = invoke("draft", "1", "--on", "2026-11-23", "--eml", "-")
    assert result.exit_code == 0
    message = email.message_from_bytes(result.stdout_bytes, policy=email.policy.default)
    assert message["From"] is None and message["X-Unsent"] == "1"
    assert message["To"].addresses[0].username == "jose"


def test_eml_with_a_utf8_local_part_uses_utf8_headers(tmp_path):
    run("add", "acme.example", "Analyst", "--applied", "2026-11-16")
    run("person", "1", "Zoë", "--role", "hiring_manager", "--email", "zoë@acme.example")
    path = tmp_path / "d.eml"
    run("draft", "1", "--on", "2026-11-23", "--eml", str(path))
    data = path.read_bytes()
    assert "To: Zoë <zoë@acme.example>\r\n".encode() in data  # RFC 6532: UTF-8 as it is
    # (email's byte parser reads headers as ASCII; RFC 6532 headers are read as text.)
    message = email.message_from_string(data.decode("utf-8"), policy=email.policy.SMTPUTF8)
    assert message["To"].addresses[0].addr_spec == "zoë@acme.example"
    assert message["X-Unsent"] == "1"


def test_draft_as_a_mailto_link(idn_draft):
    uri = run("draft", "1", "--on", "2026-11-23", "--sign", "Sam Doe", "--mailto").strip()
    parts = urlsplit(uri)
    assert parts.scheme == "mailto" and parts.path == "jose@xn--bcher-kva.example"
    assert uri.isascii() and " " not in uri and "+" not in uri
    query = parse_qs(parts.query, keep_blank_values=True)
    draft = run_json("draft", "1", "--on", "2026-11-23", "--sign", "Sam Doe")
    assert query["subject"] == [draft["subject"]]
    assert query["body"] == [draft["body"].replace("\n", "\r\n")]
    assert "%0D%0A%0D%0A" in uri  # RFC 6068 §5: line breaks as CRLF
    assert draft["mailto"] == uri


def test_mailto_percent_encodes_what_would_break_the_uri():
    run("add", "acme.example", "R&D? #1", "--applied", "2026-11-16")
    run("person", "1", "Al", "--role", "hiring_manager", "--email", "a&b%c@acme.example")
    uri = run("draft", "1", "--on", "2026-11-23", "--mailto").strip()
    target, _, query = uri[len("mailto:"):].partition("?")
    assert target == "a%26b%25c@acme.example"
    assert unquote(target) == "a&b%c@acme.example"
    fields = dict(pair.split("=", 1) for pair in query.split("&"))
    assert set(fields) == {"subject", "body"}
    assert unquote(fields["subject"]) == "Following up: R&D? #1 application"
    # With no address known the link still opens a draft; the client asks for the recipient.
    run("add", "acme.example", "SRE", "--applied", "2026-11-16")
    assert run("draft", "2", "--on", "2026-11-23", "--mailto").startswith("mailto:?subject=")


def test_every_route_has_a_rule_and_every_rule_says_where_its_timing_comes_from():
    from reachout.data import bundled_dir
    from reachout.followup import load_rules
    from reachout.followup.drafts import load_template
    from reachout.followup.trackerfile import APPLIED_VIA

    rules = load_rules().rules
    for via in APPLIED_VIA:
        if via != "other":
            assert any(r.stage == "applied" and r.when_via and via in r.when_via for r in rules), via
    for rule in rules:
        load_template(rule.template)  # each rule's draft template exists and parses
    text = (bundled_dir() / "followup" / "rules.toml").read_text(encoding="utf-8")
    blocks = text.split("[[rule]]\n")[1:]
    assert len(blocks) == len(rules)
    for block in blocks:
        assert block.startswith("# Timing: "), block.splitlines()[:2]
        timing = block.split('id = "')[0]
        # Honest about the kind of evidence: a survey, a common recommendation, or a judgment.
        assert any(word in timing for word in ("survey", "recommendation", "judgment", "DEFAULT")), timing
