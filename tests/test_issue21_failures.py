"""Failures that say what happened (issue 21): unreachable sources, unusable websites, typed domains."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reachout.cli import cli

HOSTS = ("hollis.test", "kawase.test", "orbit.test", "kesselbrau.test", "globalbrew.test")
# Names the test system resolver refuses (conftest): what a machine with no network sees.
OFFLINE = ["--source-url", "wikidata=http://www.wikidata.org/w",
           "--source-url", "wikipedia=http://en.wikipedia.org"]


def run(site, nameserver, command, *args, stdin=None):
    argv = [command, *args, "--allow-private", "--nameserver", nameserver, "--timeout", "2"]
    for entry in site.resolve(*HOSTS):
        argv += ["--resolve", entry]
    return CliRunner().invoke(cli, argv, input=stdin)


def test_offline_domain_is_failed_with_one_line_per_source(site, nameserver):
    result = run(site, nameserver, "domain", "Stripe", *OFFLINE)
    assert result.exit_code == 1
    assert "failed" in result.stdout and "not_found" not in result.stdout
    assert result.stderr.count("cannot reach www.wikidata.org: its name does not resolve "
                               "(no network?)") == 1
    assert result.stderr.count("cannot reach en.wikipedia.org") == 1
    assert "check the spelling" not in result.stderr and "Errno" not in result.stderr
    assert result.stderr.endswith("Error: 'Stripe' could not be looked up (a source could not be "
                                  "asked); try again when the sources can be reached, or pass the "
                                  "domain.\n")


@pytest.fixture
def asked(monkeypatch) -> list[str]:
    """Every host name the HTTP layer resolves, in order."""
    import reachout.http

    hosts: list[str] = []
    real = reachout.http.Resolver.addresses

    def counting(self, host, port):
        hosts.append(host)
        return real(self, host, port)

    monkeypatch.setattr(reachout.http.Resolver, "addresses", counting)
    return hosts


def test_offline_many_names_exit_1_and_each_source_is_asked_once(site, nameserver, asked):
    result = run(site, nameserver, "domain", "Alpha", "Beta", "Gamma", *OFFLINE,
                 "--format", "json")
    assert result.exit_code == 1
    assert [m["status"] for m in json.loads(result.stdout)] == ["failed"] * 3
    # Not retried with backoff, and not asked again for the next names.
    assert asked.count("www.wikidata.org") == 1 and asked.count("en.wikipedia.org") == 1
    assert result.stderr.count("cannot reach www.wikidata.org") == 1
    assert result.stderr.endswith("Error: No domain found for any of the 3 names: 3 could not be "
                                  "looked up (see the notes above).\n")


def test_offline_lookup_checks_no_domain_spelled_from_the_name(site, nameserver, monkeypatch):
    import reachout.mail.dnscheck

    checked: list[list[str]] = []
    real = reachout.mail.dnscheck.check_domains

    def counting(domains, **options):
        checked.append(list(domains))
        return real(domains, **options)

    monkeypatch.setattr(reachout.mail.dnscheck, "check_domains", counting)
    result = run(site, nameserver, "domain", "Stripe", *OFFLINE)
    assert result.exit_code == 1
    assert "could not be looked up" in result.stderr
    # Names do not resolve here: stripe.com, stripe.io… would only wait out the DNS timeout.
    assert checked == []
    # A source that answers (Wikidata here, knowing no such company) leaves the spelled names in.
    result = run(site, nameserver, "domain", "Quornhollow", "--source-url",
                 f"wikidata={site.api('wikidata')}", "--source-url", "wikipedia=off")
    assert checked and "quornhollow.com" in checked[0]


def test_a_closed_port_is_unreachable_too(site, nameserver):
    result = run(site, nameserver, "domain", "Stripe", "--source-url",
                 "wikidata=http://127.0.0.1:9/w", "--source-url", "wikipedia=off")
    assert result.exit_code == 1
    assert "cannot reach 127.0.0.1:9: connection refused" in result.stderr
    assert "failed" in result.stdout


def test_offline_batch_says_failed_too(site, nameserver, tmp_path, asked):
    source = tmp_path / "names.csv"
    source.write_text("company,name\nStripe,Jane Doe\nAlpha,Bo Li\nBeta,Ann Lee\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    # (One row at a time: rows looked up at the same moment may each meet the failure once.)
    result = run(site, nameserver, "batch", str(source), "--out", str(out), "--concurrency", "1",
                 *OFFLINE)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["status"] for row in rows] == ["failed"] * 3
    assert all("cannot reach www.wikidata.org" in row["error"] for row in rows)
    assert asked.count("www.wikidata.org") == 1  # the run stopped asking it


def test_a_company_whose_website_is_unusable_is_named(site, nameserver):
    result = run(site, nameserver, "domain", "Quillon Siteless")
    assert result.exit_code == 1
    assert "check the spelling" not in result.stderr
    assert ("Error: Found Quillon Siteless (Q90062), whose official website 'ftp://files.quillon' "
            "is not a usable web address, but no domain to use for 'Quillon Siteless'") in result.stderr


def test_a_company_whose_domain_takes_no_mail_says_so(site, nameserver):
    result = run(site, nameserver, "guess", "Jane Doe", "Nullmark Motors")
    assert result.exit_code == 1
    assert "not sure enough" not in result.stderr
    assert ("'Nullmark Motors' is Nullmark Motors at nullmx.test" in result.stderr)
    assert ("but nullmx.test takes no mail: it publishes a null MX (RFC 7505)" in result.stderr)


# --- domains typed in every form, and typed wrong ------------------------------------------------
def test_mx_takes_urls_and_addresses_as_guess_does(nameserver):
    result = CliRunner().invoke(cli, ["mx", "https://www.hollis.test/about", "bob@hollis.test",
                                      "--allow-private", "--nameserver", nameserver,
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    reports = json.loads(result.stdout)
    assert [r["domain"] for r in reports] == ["hollis.test", "hollis.test"]
    assert [r["input"] for r in reports] == ["https://www.hollis.test/about", "bob@hollis.test"]
    one = CliRunner().invoke(cli, ["mx", "https://www.hollis.test/about", "--allow-private",
                                   "--nameserver", nameserver])
    assert one.exit_code == 0 and one.stdout.splitlines()[1].startswith("hollis.test ")


def test_verify_takes_a_pasted_address(nameserver):
    result = CliRunner().invoke(cli, ["verify", "Bob Li <bob@hollis.test>", "mailto:bob@hollis.test",
                                      "--allow-private", "--nameserver", nameserver,
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["normalized"] for r in json.loads(result.stdout)] == ["bob@hollis.test"] * 2


def test_an_unknown_tld_is_warned_with_the_likely_domain(nameserver):
    guess = CliRunner().invoke(cli, ["guess", "Jane Doe", "exmaple.cmo"])
    assert guess.exit_code == 0
    assert guess.stderr.startswith("Notice: exmaple.cmo: .cmo is not a top-level domain (Public "
                                   "Suffix List); did you mean exmaple.com?")
    mx = CliRunner().invoke(cli, ["mx", "exmaple.cmo", "--nameserver", nameserver])
    assert "did you mean exmaple.com?" in mx.stderr
    verify = CliRunner().invoke(cli, ["verify", "jane@exmaple.cmo", "--nameserver", nameserver])
    assert "did you mean exmaple.com?" in verify.stdout  # the reason column
    known = CliRunner().invoke(cli, ["guess", "Jane Doe", "example.com"])
    assert "top-level" not in known.stderr


def test_a_domain_typed_without_its_dot_is_not_looked_up(site, nameserver, tmp_path):
    for typed in ("examplecom", "example,com"):
        result = run(site, nameserver, "guess", "Jane Doe", typed)
        assert result.exit_code == 1
        assert result.stderr == (f"Error: {typed!r} looks like the domain example.com mistyped; "
                                 "pass example.com, or write the company's name as it is spelled "
                                 "(capitalised).\n")
    assert site.log == []  # nobody was asked
    source = tmp_path / "rows.csv"
    source.write_text("company,name\nexamplecom,Jane Doe\nexmaple.cmo,Jane Doe\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    result = run(site, nameserver, "batch", str(source), "--out", str(out))
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows[0]["status"] == "bad_input" and "example.com mistyped" in rows[0]["error"]
    assert any("did you mean exmaple.com?" in note for note in rows[1]["notes"])


def test_traceback_is_taken_anywhere_on_the_line(monkeypatch):
    import reachout.paths

    def broken():
        raise RuntimeError("boom")

    monkeypatch.setattr(reachout.paths, "user_dir", broken)
    plain = CliRunner().invoke(cli, ["cache", "path"])
    assert plain.exit_code == 1 and "rerun with --traceback" in plain.stderr
    for argv in (["cache", "path", "--traceback"], ["cache", "--traceback", "path"],
                 ["--traceback", "cache", "path"]):
        result = CliRunner().invoke(cli, argv)
        assert isinstance(result.exception, RuntimeError), argv
    # After "--" it is an argument like any other.
    result = CliRunner().invoke(cli, ["guess", "--", "--traceback", "acme.com"])
    assert not isinstance(result.exception, RuntimeError)


# --- batch ---------------------------------------------------------------------------------------
def _batch(tmp_path, batch_ns, *args, rows="acme.example\n"):
    source = tmp_path / "in.txt"
    source.write_text(rows, encoding="utf-8")
    return CliRunner().invoke(cli, ["batch", str(source), *args, "--nameserver", batch_ns,
                                    "--allow-private", "--timeout", "0.6"])


def test_batch_refuses_an_output_folder_that_does_not_exist(tmp_path, batch_ns):
    missing = tmp_path / "no" / "such" / "dir"
    result = _batch(tmp_path, batch_ns, "--out", str(missing / "x.csv"))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: Cannot write {missing / 'x.csv'}: the folder {missing} does "
                             "not exist; create it first, or pass --out a path in an existing "
                             "folder.\n")
    assert not (tmp_path / "no").exists()


def test_batch_says_when_it_reuses_an_earlier_run_even_when_quiet(tmp_path, batch_ns):
    out = tmp_path / "out.csv"
    first = _batch(tmp_path, batch_ns, "--out", str(out), "--quiet")
    assert first.exit_code == 0 and first.stderr == ""
    again = _batch(tmp_path, batch_ns, "--out", str(out), "--quiet")
    assert again.exit_code == 0
    assert again.stderr == (f"All 1 rows were done by an earlier run (saved in {out}.state.sqlite): "
                            "writing those results. Pass --restart to redo them all.\n")


def test_batch_brief_errors_are_not_brief_content(tmp_path, batch_ns, monkeypatch):
    import sys
    import types

    from reachout.errors import BadInput

    def build_brief(company, **kw):
        raise BadInput(f"the site of {company} could not be read")

    module = types.ModuleType("reachout.research")
    module.build_brief = build_brief  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "reachout.research", module)
    out = tmp_path / "out.csv"
    result = _batch(tmp_path, batch_ns, "--out", str(out), "--brief", str(tmp_path / "briefs"))
    assert result.exit_code == 0, result.output
    import csv

    with open(out, encoding="utf-8-sig", newline="") as handle:
        [row] = list(csv.DictReader(handle))
    assert row["brief_about"] == ""
    assert row["brief_error"] == "the site of acme.example could not be read"


# --- follow-up -----------------------------------------------------------------------------------
def _fu(*args):
    return CliRunner().invoke(cli, ["followup", "--tz", "UTC", *args])


def test_followup_event_kinds_are_listed_as_typed():
    _fu("add", "Acme", "QA", "-q")
    result = _fu("log", "1", "foo")
    assert result.exit_code == 1
    assert ("use one of applied, referral, interviewed, timeline, replied, declined, offer, "
            "withdrawn, note.") in result.stderr
    assert "referral_delivered" not in result.stderr
    assert _fu("log", "1", "referral").stdout == "Logged event 1: referral for application 1.\n"
    assert _fu("log", "1", "referral_delivered", "-q").stdout == "2\n"  # the stored name works too


def test_drafting_before_the_due_day_is_warned():
    _fu("add", "Acme", "QA", "--applied", "2026-11-16", "-q")
    early = _fu("draft", "1", "--on", "2026-11-18", "--sign", "Sam")
    assert early.exit_code == 0
    assert "Note: This follow-up is due on Monday 23 November (5 days from now)" in early.stderr
    on_time = _fu("draft", "1", "--on", "2026-11-23", "--sign", "Sam")
    assert "is due on" not in on_time.stderr


# --- saved briefs from 0.1 -----------------------------------------------------------------------
def _save_brief(reachout_home, schema):
    from reachout import briefstore

    path = briefstore.brief_path("acme.com")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({
        "schema": schema, "generated_at": "2026-11-20T10:00:00Z",
        "addresses": [{"address": "ana.ruiz@acme.com", "kind": "personal", "person": "Ana Ruiz",
                       "source": "https://acme.com/team"},
                      {"address": "bo.li@acme.com", "kind": "personal", "person": "Bo Li",
                       "source": "https://acme.com/team"}],
    }), encoding="utf-8")
    return path


def test_a_brief_saved_by_0_1_is_read(reachout_home):
    _save_brief(reachout_home, 1)
    result = CliRunner().invoke(cli, ["guess", "Jane Doe", "acme.com",
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "Also learned from 2 address(es) that `reachout brief` found" in result.stderr
    assert json.loads(result.stdout)["candidates"][0]["address"] == "jane.doe@acme.com"


def test_a_brief_that_cannot_be_read_says_why(reachout_home):
    path = _save_brief(reachout_home, "reachout.brief/2")
    result = CliRunner().invoke(cli, ["guess", "Jane Doe", "acme.com"])
    assert result.exit_code == 0, result.output
    assert (f"Notice: The saved brief {path} has schema 'reachout.brief/2', which this version of "
            "reachout does not read (it reads 'reachout.brief/1'), so it is not used; run "
            "`reachout brief acme.com` again to replace it.") in result.stderr
    _fu("add", "acme.com", "QA", "--applied", "2026-11-16", "-q")
    draft = _fu("draft", "1", "--on", "2026-11-23", "--sign", "Sam")
    assert f"Note: The saved brief {path} has schema 'reachout.brief/2'" in draft.stderr


def test_followup_add_warns_on_an_unknown_tld_too():
    result = _fu("add", "exmaple.cmo", "QA", "--applied", "2026-11-16")
    assert result.exit_code == 0
    assert "Notice: exmaple.cmo: .cmo is not a top-level domain" in result.stderr
    assert "did you mean exmaple.com?" in result.stderr


def test_names_reserved_for_documentation_are_no_typo():
    from reachout.domains import tld_warning

    assert [tld_warning(d) for d in ("acme.example", "a.test", "x.invalid", "acme.com")] == [""] * 4
    assert tld_warning("acme.con").endswith("did you mean acme.com?")


EVIDENCE_OFFLINE = [arg for source, url in [
    ("github", "http://api.github.com"), ("mailarchive", "http://lore.kernel.org/all"),
    ("keyserver", "http://keyserver.ubuntu.com"), ("europepmc", "http://www.ebi.ac.uk/europepmc"),
    ("site", "off")] for arg in ("--source-url", f"{source}={url}")]


def test_offline_evidence_names_each_host_once_and_exits_1(site, nameserver, asked):
    result = run(site, nameserver, "evidence", "alpha.example", "beta.example", "Gamma Corp",
                 *OFFLINE, *EVIDENCE_OFFLINE)
    assert result.exit_code == 1
    for host in ("api.github.com", "lore.kernel.org", "keyserver.ubuntu.com", "www.ebi.ac.uk",
                 "www.wikidata.org"):
        # Asked once for the whole run (the names and the domains share it), said once.
        assert asked.count(host) == 1, (host, asked)
        assert result.stderr.count(f"Error: cannot reach {host}: its name does not resolve") == 1
    # The name's own failure names its sources in its line, as `domain` does for one name.
    assert "Error: Gamma Corp: 'Gamma Corp' could not be looked up: Wikidata search: cannot reach" \
        in result.stderr
    assert "Errno" not in result.output
