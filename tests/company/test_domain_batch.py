"""`reachout batch` with rows that name a company but give no domain: looked up, marked when unsure,
and the batch goes on when Wikidata is down or slow. Against the fixture server and the test NSD."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from reachout.cli import cli

HOSTS = ("hollis.test", "kawase.test", "romashka.test", "deltaair.test", "deltafaucet.test",
         "orbit.test", "kesselbrau.test", "globalbrew.test", "nimbus.test", "nimbuscloud.test")

NAMES = (
    "company,name\n"
    "Hollis Forge GmbH,Jane Doe\n"
    "HOLLIS FORGE INC,Raj Patel\n"
    "Delta,Ann Lee\n"
    "Kessel Bräu,Sam Roe\n"
    "Qwxyz Zzzz Holdings,Al Null\n"
    "Orbit Robotics,\n"
    "Nimbus Cloud,Bo Li\n"
    "orbit.test,Jo Bloggs\n"
)


def run_batch(site, nameserver, tmp_path, text, *args):
    source, out = tmp_path / "names.csv", tmp_path / "out.csv"
    source.write_text(text, encoding="utf-8")
    argv = ["batch", str(source), "--out", str(out), "--nameserver", nameserver, "--allow-private",
            "--timeout", "0.6", *args]
    for entry in site.resolve(*HOSTS):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    with open(out, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle)), result


def test_names_only_rows_are_resolved_or_marked(site, nameserver, tmp_path):
    rows, result = run_batch(site, nameserver, tmp_path, NAMES)
    got = [(r["status"], r["domain"], r["domain_source"]) for r in rows]
    assert got == [
        ("ok", "hollis.test", "wikidata"),
        ("ok", "hollis.test", "wikidata"),
        ("review", "", "wikidata"),
        ("ok", "globalbrew.test", "wikidata"),
        ("bad_input", "", ""),
        ("ok", "orbit.test", "wikidata"),
        ("ok", "nimbuscloud.test", "wikidata"),
        ("ok", "orbit.test", "input"),
    ]
    hollis, _, delta, kessel, unknown, orbit, _, given = rows
    assert float(hollis["domain_confidence"].rstrip("%")) > 90
    assert hollis["email_1"].endswith("@hollis.test")
    assert kessel["email_1"].endswith("@globalbrew.test")
    assert delta["error"].startswith("'Delta' is not sure enough to choose: deltaair.test (Delta Airways")
    assert delta["error"].endswith("; add its domain or website to the row.")
    assert delta["email_1"] == "" and delta["domain_confidence"].endswith("%")
    assert unknown["error"] == ("No domain found for 'Qwxyz Zzzz Holdings'; check the spelling, or add "
                                "its domain or website to the row.")
    assert orbit["inboxes"].startswith("careers@orbit.test")
    assert given["domain_confidence"] == ""
    assert "review     1" in result.stderr
    # One lookup per company: the two spellings of Hollis Forge fold to one name.
    searches = [p for p in site.paths("127.0.0.1") if "wbsearchentities" in p]
    assert len(searches) == 6


def test_jsonl_keeps_the_lookup(site, nameserver, tmp_path):
    source, out = tmp_path / "n.csv", tmp_path / "out.jsonl"
    source.write_text("company\nKessel Bräu\n", encoding="utf-8")
    argv = ["batch", str(source), "--out", str(out), "--nameserver", nameserver, "--allow-private"]
    for entry in site.resolve(*HOSTS):
        argv += ["--resolve", entry]
    assert CliRunner().invoke(cli, argv).exit_code == 0
    [row] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert row["domain"] == "globalbrew.test" and row["domain_source"] == "wikidata"
    assert 0.7 < row["domain_confidence"] <= 1
    assert any("parent organisation" in note for note in row["notes"])


def test_wikidata_down_the_batch_goes_on(site, nameserver, tmp_path):
    site.route("*", "/wikidata/w/api.php", status=503, body="down")
    rows, result = run_batch(site, nameserver, tmp_path,
                             "company,name\nOrbit Robotics,Jane Doe\nQwxyz Zzzz,Bob Li\n"
                             "Hollis Forge,Ann Lee\nacme.test,Raj Patel\n")
    orbit, unknown, hollis, acme = rows
    # Wikipedia still answers for the companies it knows; the others wait for a retry.
    assert (orbit["status"], orbit["domain"], orbit["domain_source"]) == ("ok", "orbit.test", "wikipedia")
    assert unknown["status"] == "failed" and "Wikidata search: HTTP 503" in unknown["error"]
    assert hollis["status"] == "ok" and hollis["domain"] == "hollis.test"
    assert acme["status"] == "ok" and acme["domain_source"] == "input"
    assert "--retry-failed" in result.stderr


def test_wikidata_slow_the_batch_goes_on(site, nameserver, tmp_path):
    site.route("*", "/wikidata/w/api.php", delay=3.0, body="{}", content_type="application/json")
    rows, _ = run_batch(site, nameserver, tmp_path, "company,name\nOrbit Robotics,Jane Doe\n")
    assert rows[0]["status"] == "ok" and rows[0]["domain"] == "orbit.test"


def test_no_lookup_asks_nobody(site, nameserver, tmp_path):
    rows, _ = run_batch(site, nameserver, tmp_path, NAMES, "--no-lookup")
    assert [r["status"] for r in rows] == ["bad_input"] * 7 + ["ok"]
    assert rows[0]["error"].endswith("or drop --no-lookup to look the name up")
    assert site.log == []
