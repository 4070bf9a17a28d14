"""The tracker's commands end to end through the CLI, and the .ics file parsed back."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from reachout.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"


def run(*args: str, code: int = 0) -> str:
    result = CliRunner().invoke(cli, ["followup", "--tz", "Europe/Paris", *args])
    assert result.exit_code == code, (result.output, result.stderr, result.exception)
    return result.stdout


def run_json(*args: str) -> object:
    return json.loads(run(*args, "--json"))


def fail(*args: str) -> str:
    result = CliRunner().invoke(cli, ["followup", "--tz", "Europe/Paris", *args])
    assert result.exit_code == 1, (result.output, result.exception)
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    return result.stderr


@pytest.fixture
def interview() -> None:
    """Application 1 (applied 16 Nov via a posting), interviewed Wed 25 Nov 15:30 by two people."""
    assert (
        run(
            "add",
            "acme.example",
            "Data Engineer",
            "--applied",
            "2026-11-16",
            "--posting-url",
            "https://acme.example/jobs/42",
            "--fit",
            "my five years running data pipelines",
        )
        == "Added application 1: Data Engineer at acme.example.\n"
    )
    assert (
        run(
            "person",
            "1",
            "Hana Ito",
            "--role",
            "hiring_manager",
            "--email",
            "hana@acme.example",
            "--confidence",
            "0.82",
            "--status",
            "valid",
        )
        == "Added person 1: Hana Ito (hiring manager) to application 1.\n"
    )
    assert (
        run(
            "log",
            "1",
            "interviewed",
            "--on",
            "2026-11-25",
            "--at",
            "15:30",
            "--with",
            "Ana Ruiz <ana@acme.example>",
            "--with",
            "Bo Li",
            "--topic",
            "the move to streaming",
        )
        == "Logged event 2: interviewed for application 1.\n"
    )


def test_add_prints_the_new_id_and_json_the_record():
    assert run("add", "Acme", "Data Engineer") == "Added application 1: Data Engineer at Acme.\n"
    data = run_json(
        "add",
        "https://www.globex.example/careers",
        "SRE",
        "--closes",
        "2026-12-10",
        "--via",
        "referral",
        "--country",
        "fr",
    )
    assert data["id"] == 2 and data["domain"] == "globex.example"
    assert data["closes_on"] == "2026-12-10" and data["applied_via"] == "referral"
    assert data["country"] == "FR"
    # For scripts: the bare ID.
    assert run("add", "Acme", "QA", "--quiet") == "3\n"
    assert run("person", "3", "Bo Li", "-q") == "1\n"
    assert run("log", "3", "referral", "-q") == "1\n"


def test_due_lists_one_thank_you_per_interviewer(interview):
    items = run_json("due", "--on", "2026-11-26")
    assert [(i["id"], i["rule"], i["to"]["name"], i["status"]) for i in items] == [
        (2, "interview-thank-you", "Ana Ruiz", "due"),
        (3, "interview-thank-you", "Bo Li", "due"),
    ]
    assert items[0]["deadline_at"] == "2026-11-27T15:30:00+01:00"
    assert items[0]["advice"].startswith("Thank each interviewer separately")
    assert items[0]["source"][0].startswith("https://")
    # The posting chaser was cancelled by the interview, so it is not due.
    table = run("due", "--on", "2026-11-26")
    assert table.splitlines()[0].split() == [
        "id",
        "status",
        "due",
        "by",
        "to",
        "company",
        "role",
        "rule",
    ]
    assert "Ana Ruiz <ana@acme.example>" in table and "posting-follow-up" not in table


def test_done_then_due_then_show(interview):
    out = run("done", "2", "--on", "2026-11-26")
    assert (
        out == "Follow-up 2 (Thank each interviewer, Ana Ruiz <ana@acme.example>): sent on "
        "2026-11-26.\n"
    )
    assert [i["id"] for i in run_json("due", "--on", "2026-11-26")] == [3]
    detail = run_json("show", "1", "--on", "2026-11-26")
    assert [p["name"] for p in detail["people"]] == ["Hana Ito", "Ana Ruiz", "Bo Li"]
    assert detail["people"][0]["email_confidence"] == 0.82
    assert [e["kind"] for e in detail["events"]] == ["applied", "interviewed"]
    statuses = {f["id"]: f["status"] for f in detail["followups"]}
    # 4: the default check-in ten business days after the interview (no decision date given).
    assert statuses == {1: "cancelled", 2: "sent", 3: "due", 4: "upcoming"}
    assert "Follow-ups" in run("show", "1", "--on", "2026-11-26")


def test_list_shows_stage_and_next_follow_up(interview):
    rows = run_json("list", "--on", "2026-11-26")
    assert rows[0]["stage"] == "interviewed" and rows[0]["next_due"]["id"] == 2
    assert "Thank each interviewer (#2)" in run("list", "--on", "2026-11-26")


def test_list_due_and_show_write_to_a_file_with_out(interview, tmp_path):
    # The tracker holds people's names and addresses: the file is its owner's only, and written whole.
    listing = tmp_path / "list.json"
    result = CliRunner().invoke(cli, ["followup", "--tz", "Europe/Paris", "list", "--on", "2026-11-26",
                                      "-o", str(listing)])
    assert result.exit_code == 0 and result.stdout == "" and result.stderr == f"Wrote {listing}\n"
    assert json.loads(listing.read_text())[0]["next_due"]["id"] == 2  # JSON: the suffix says so
    assert listing.stat().st_mode & 0o777 == 0o600
    due = tmp_path / "due.txt"
    assert run("due", "--on", "2026-11-26", "-o", str(due)) == ""
    assert "Ana Ruiz <ana@acme.example>" in due.read_text()  # the table, for people
    show = tmp_path / "show.txt"
    assert run("show", "1", "--on", "2026-11-26", "--json", "--out", str(show)) == ""
    assert json.loads(show.read_text())["application"]["id"] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary left
    error = fail("list", "-o", str(tmp_path / "missing" / "list.json"))
    assert "the folder" in error and "does not exist" in error
    assert not (tmp_path / "missing").exists()


def test_a_reply_cancels_pending_chasers_end_to_end():
    run("add", "Acme", "Data Engineer", "--applied", "2026-11-16")
    assert [i["rule"] for i in run_json("due", "--on", "2026-11-23")] == ["posting-follow-up"]
    run("log", "1", "replied", "--on", "2026-11-20")
    assert run_json("due", "--on", "2026-11-23") == []
    assert run("due", "--on", "2026-11-23") == "Nothing due.\n"


def test_draft_by_id_and_by_stage(interview, reachout_home):
    target = reachout_home / "briefs" / "acme.example.json"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "acme-posts.json", target)
    text = run("draft", "3", "--on", "2026-11-26", "--sign", "Sam Doe")
    assert text == (
        "Subject: Thank you: Data Engineer interview\n\n"
        "Dear Bo,\n\n"
        "Thank you for speaking with me yesterday about the Data Engineer position at Acme "
        "Analytics. I especially enjoyed our conversation about the move to streaming, and it left "
        "me even more keen on the role. Our discussion confirmed that my five years running data "
        "pipelines would let me contribute from the start.\n\n"
        "I look forward to the next steps, and I am happy to send anything that would help in the "
        "meantime.\n\n"
        "Best regards,\nSam Doe\n"
    )
    data = run_json(
        "draft", "--app", "1", "--stage", "interview", "--person", "2", "--on", "2026-11-26"
    )
    assert data["followup_id"] == 2 and data["to"] == "Ana Ruiz <ana@acme.example>"
    assert data["text"].startswith("To: Ana Ruiz <ana@acme.example>\nSubject: ")


def test_timeline_check_in_draft_offers_the_briefs_fact(reachout_home):
    target = reachout_home / "briefs" / "acme.example.json"
    target.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "acme-posts.json", target)
    run("add", "acme.example", "Data Engineer", "--via", "direct")
    run("person", "1", "Hana Ito", "--role", "hiring_manager")
    run("log", "1", "timeline", "--on", "2026-11-20", "--until", "2026-11-25")
    (item,) = run_json("due", "--on", "2026-11-26")
    assert (item["rule"], item["due_on"]) == ("timeline-check-in", "2026-11-26")
    body = run("draft", str(item["id"]), "--on", "2026-11-26")
    assert (
        'Congratulations on "Acme opens a Lisbon office" (https://acme.example/blog/lisbon)' in body
    )
    assert "updated timeline" in body and "Wednesday 25 November" in body
    assert "how's the search" not in body.lower()


def test_declined_draft_with_optional_feedback_request():
    run("add", "Acme", "Data Engineer", "--via", "direct")
    run("person", "1", "Hana Ito", "--role", "hiring_manager")
    run("person", "1", "Rae Moss", "--role", "recruiter")
    run("log", "1", "declined", "--on", "2026-11-27")
    items = run_json("due", "--on", "2026-11-27")
    assert [i["to"]["name"] for i in items] == ["Hana Ito", "Rae Moss"]
    assert "feedback" not in run("draft", "1", "--on", "2026-11-27")
    assert "brief feedback" in run("draft", "1", "--on", "2026-11-27", "--ask-feedback")


def test_edit_application_and_person():
    run("add", "Acme", "Data Engineer", "--applied", "2026-11-16")
    data = run_json("edit", "1", "--closes", "2026-12-10", "--role", "Senior Data Engineer")
    assert data["closes_on"] == "2026-12-10" and data["role"] == "Senior Data Engineer"
    assert run_json("due", "--on", "2026-11-23") == []  # now waits for the posting to close
    (item,) = run_json("due", "--on", "2026-12-11")
    assert item["due_on"] == "2026-12-11"
    run("person", "1", "Hana Ito")
    person = run_json(
        "edit",
        "--person",
        "1",
        "--person-role",
        "hiring_manager",
        "--email",
        "hana@acme.example",
        "--status",
        "valid",
        "--title",
        "CTO",
    )
    assert (person["role"], person["email"], person["email_status"], person["title"]) == (
        "hiring_manager",
        "hana@acme.example",
        "valid",
        "CTO",
    )


def test_export_ics_parses_back(interview, tmp_path):
    path = tmp_path / "followups.ics"
    run("log", "1", "timeline", "--on", "2026-11-25", "--until", "2026-12-04")
    out = run("export", "--ics", str(path), "--on", "2026-11-26")
    assert out == f"Wrote 3 reminders to {path}\n"
    cal = Calendar.from_ical(path.read_bytes())
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    # 4, the default check-in after the interview, was cancelled by the stated timeline (5).
    assert set(events) == {f"followup-{n}@followup.reachout.invalid" for n in (2, 3, 5)}
    thank = events["followup-2@followup.reachout.invalid"]
    start = thank.decoded("DTSTART")
    assert start == dt.datetime(2026, 11, 25, 17, 30, tzinfo=start.tzinfo)  # 2 h after it began
    assert str(start.tzinfo) == "Europe/Paris" or start.utcoffset() == dt.timedelta(hours=1)
    assert thank["DTSTART"].params["TZID"] == "Europe/Paris"
    assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert "Ana Ruiz" in str(thank["SUMMARY"])
    assert str(thank["ATTENDEE"]) == "mailto:ana@acme.example"
    assert "reachout followup draft 2" in str(thank["DESCRIPTION"])
    check_in = events["followup-5@followup.reachout.invalid"]
    assert check_in.decoded("DTSTART") == dt.date(2026, 12, 7)  # Fri 4 Dec passes → Monday
    assert check_in.decoded("DTEND") == dt.date(2026, 12, 8)
    assert len(check_in.walk("VALARM")) == 1
    # Exporting again gives the same UIDs, so a calendar app updates rather than duplicates.
    run("export", "--ics", str(path), "--on", "2026-11-26", "--days", "1")
    again = Calendar.from_ical(path.read_bytes())
    assert {str(e["UID"]) for e in again.walk("VEVENT")} == {
        "followup-2@followup.reachout.invalid",
        "followup-3@followup.reachout.invalid",
    }
    assert run_json("export", "--ics", str(path), "--on", "2026-11-26") == {
        "path": str(path),
        "count": 3,
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "42"], "No application with ID 42"),
        (["log", "42", "applied"], "No application with ID 42"),
        (["edit", "42", "--role", "x"], "No application with ID 42"),
        (["done", "42"], "No follow-up with ID 42"),
        (["draft", "42"], "No follow-up with ID 42"),
        (["edit", "--person", "42", "--email", "a@b.example"], "No person with ID 42"),
        (["log", "1", "applied", "--on", "2026-02-30"], "'2026-02-30' is not a real date"),
        (["due", "--on", "2026-13-01"], "is not a real date"),
        (["add", "Acme", "QA", "--closes", "someday"], "'someday' is not a date"),
        (["draft", "--app", "1", "--stage", "interviewed"], "has no interviewed event yet"),
        (["draft", "--app", "1", "--stage", "declined"], "has no declined event yet"),
        (["log", "1", "timeline"], "needs the employer's stated date"),
        (["log", "1", "party"], "'party' is not an event"),
        (["log", "1", "interviewed", "--at", "9pm"], "'9pm' is not a time"),
        (["add", "Acme", "QA", "--posting-url", "acme.example/jobs"], "is not a web address"),
        (["add", "Acme", " "], "The role is empty"),
        (["person", "1", "Ana", "--email", "not-an-address"], "is not an e-mail address"),
        (["person", "1", "Ana", "--confidence", "7"], "out of range"),
        (["person", "1", "Ana", "--event", "9"], "No event 9 in application 1"),
        (["edit", "1"], "Nothing to change"),
        (["add", "Acme", "QA", "--country", "XX"], "is not a country"),
        (["export", "--ics", "/nonexistent-dir/x.ics"], "Cannot write /nonexistent-dir/x.ics"),
        (["due", "--days", "-1"], "--days must be 0 or more"),
    ],
)
def test_bad_input_is_a_one_line_error(args, message):
    run("add", "Acme", "Data Engineer")
    assert message in fail(*args)


def test_unknown_time_zone_is_a_one_line_error():
    result = CliRunner().invoke(cli, ["followup", "--tz", "Nowhere/Land", "due"])
    assert result.exit_code == 1 and "not a known time zone" in result.stderr


def test_usage_errors_exit_2():
    result = CliRunner().invoke(cli, ["followup", "draft"])
    assert result.exit_code == 2 and "Give a follow-up ID" in result.stderr
    result = CliRunner().invoke(cli, ["followup", "show", "abc"])
    assert result.exit_code == 2


def test_the_database_records_its_migrations(reachout_home):
    import sqlite3

    run("add", "Acme", "Data Engineer")
    db = sqlite3.connect(reachout_home / "followup.sqlite")
    assert [row[0] for row in db.execute("SELECT name FROM migrations")] == [
        "m001_initial",
        "m002_event_people_topic",
    ]
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"applications", "people", "events", "event_people", "followups"} <= tables
    db.close()


def test_every_followup_command_has_help_and_a_guide_mention():
    guide = (Path(__file__).parents[1] / "docs" / "followup.md").read_text(encoding="utf-8")
    group = cli.commands["followup"]
    for name, command in group.commands.items():  # type: ignore[attr-defined]
        assert command.help, name
        assert f"reachout followup {name}" in guide, name


def test_edit_can_clear_the_close_date():
    run("add", "Acme", "Data Engineer", "--closes", "2026-12-10")
    assert run_json("edit", "1", "--closes", "")["closes_on"] is None


def test_export_to_standard_output(interview):
    result = CliRunner().invoke(
        cli, ["followup", "--tz", "Europe/Paris", "export", "--ics", "-", "--on", "2026-11-26"]
    )
    # Two thank-yous and the default check-in after the interview.
    assert result.exit_code == 0 and result.stderr == "Wrote 3 reminders.\n"
    cal = Calendar.from_ical(result.stdout_bytes)
    assert len(cal.walk("VEVENT")) == 3


def test_add_without_applied_reminds_to_log_it_on_stderr():
    result = CliRunner().invoke(cli, ["followup", "add", "Acme", "QA"])
    assert result.stdout == "Added application 1: QA at Acme.\n"
    assert "followup log 1 applied" in result.stderr


def test_draft_notes_on_stderr_what_it_could_not_fill():
    run("add", "Acme", "QA", "--applied", "2026-11-16")
    result = CliRunner().invoke(
        cli, ["followup", "--tz", "UTC", "draft", "1", "--on", "2026-11-23"]
    )
    assert result.exit_code == 0 and result.stdout.startswith("Subject: Following up: QA")
    assert "Hint: No hiring manager or recruiter recorded" in result.stderr
    assert ("Lines that needed these were left out: the recipient's name (`reachout followup "
            "person`); the job ad's address (--posting-url)") in result.stderr
    assert "first_name" not in result.stderr


def test_deleting_a_mistaken_reply_brings_the_chaser_back():
    run("add", "Acme", "Data Engineer", "--applied", "2026-11-16")
    run("log", "1", "replied", "--on", "2026-11-18")
    assert run_json("due", "--on", "2026-11-23") == []
    assert run("edit", "1", "--delete-event", "2") == "Deleted event 2.\n"
    assert [i["rule"] for i in run_json("due", "--on", "2026-11-23")] == ["posting-follow-up"]
    assert "No event 2 in application 1" in fail("edit", "1", "--delete-event", "2")


def test_a_person_name_copied_from_a_web_page_loses_its_invisible_characters(reachout_home):
    run("add", "acme.example", "Data Engineer", "--via", "direct")
    run("person", "1", "Jo\u00adhan\u00adna Berg\u200bstr\u00f6m", "--role", "recruiter")
    detail = run_json("show", "1", "--on", "2026-11-26")
    assert [p["name"] for p in detail["people"]] == ["Johanna Bergstr\u00f6m"]


def test_list_and_show_escape_what_a_terminal_would_obey(reachout_home):
    import sqlite3

    run("add", "acme.example", "Data Engineer\u202e", "--via", "direct")
    run("person", "1", "Hana Ito", "--role", "recruiter")
    # Text written into the tracker by another tool may hold what reachout's own input refuses.
    with sqlite3.connect(reachout_home / "followup.sqlite") as db:
        db.execute("UPDATE people SET name = ?", ("Hana\x1b]0;owned\x07 Ito",))
    db.close()
    for args in (["list"], ["show", "1", "--on", "2026-11-26"]):
        text = run(*args)
        assert not {"\x1b", "\x07", "\u202e"} & set(text), args
        assert "Data Engineer\\u202e" in text, args
    assert "Hana\\x1b]0;owned\\x07 Ito" in run("show", "1", "--on", "2026-11-26")
    data = run_json("show", "1", "--on", "2026-11-26")  # JSON keeps the data
    assert (data["application"]["role"], data["people"][0]["name"]) == (
        "Data Engineer\u202e", "Hana\x1b]0;owned\x07 Ito")


def test_a_draft_greets_a_directory_printed_name_by_its_given_name(reachout_home):
    run("add", "acme.example", "Data Engineer", "--applied", "2026-11-16")
    run("log", "1", "interviewed", "--on", "2026-11-25", "--with", "Prof. Dr. KOWALSKI Jan, PhD",
        "--with", "Lin Xiuying", "--with", "Wang Xiuying")
    thanks = [run_json("draft", "--app", "1", "--stage", "interview", "--person", str(i), "--on",
                       "2026-11-26")["text"] for i in (1, 2, 3)]
    assert "\nDear Jan,\n" in thanks[0]
    # Lin is a given name too: family name first or not is a guess, so the whole name, never "Dear Lin".
    assert "\nDear Lin Xiuying,\n" in thanks[1]
    # Wang is no given name: it is the family name, written first.
    assert "\nDear Xiuying,\n" in thanks[2]
