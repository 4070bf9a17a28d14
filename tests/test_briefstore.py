"""Issue 14: one owner for a saved brief's path, atomic save, load and schema check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from reachout import briefstore
from reachout.cli import cli

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_idn_brief_is_found_by_followup_draft(reachout_home):
    # `reachout brief bücher.de` saves xn--bcher-kva.de.json; drafts used to look for bücher.de.json.
    brief = json.loads((FIXTURES / "acme-posts.json").read_text(encoding="utf-8"))
    path = briefstore.save_brief(brief, "bücher.de")
    assert path.name == "xn--bcher-kva.de.json"
    assert run("followup", "add", "Bücher", "Data Engineer", "--domain", "bücher.de",
               "--applied", "2026-11-16").exit_code == 0
    assert run("followup", "person", "1", "Hana Ito", "--role", "hiring_manager").exit_code == 0
    result = run("followup", "draft", "1", "--on", "2026-11-27")
    assert result.exit_code == 0, result.stderr
    assert "https://acme.example/blog/" in result.stdout


@pytest.mark.parametrize("typed", ["bücher.de", "BÜCHER.de", "xn--bcher-kva.de", "xn--bcher-kva.de."])
def test_either_form_of_an_idn_finds_the_same_file(reachout_home, typed):
    briefstore.save_brief({"schema": briefstore.SCHEMA, "company": {}}, "bücher.de")
    assert briefstore.brief_path(typed).name == "xn--bcher-kva.de.json"
    assert briefstore.load_brief(typed) == {"schema": "reachout.brief/1", "company": {}}


@pytest.mark.parametrize(
    "content",
    [{"schema": "reachout.brief/2"}, {"schema": 5}, {"company": {}}, [1, 2], "x"],
    ids=["future-major", "not-text", "no-schema", "list", "string"],
)
def test_briefs_of_another_schema_are_not_read(reachout_home, content):
    path = briefstore.brief_path("acme.example")
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(content), encoding="utf-8")
    assert briefstore.load_brief("acme.example") is None


def test_a_minor_version_is_read(reachout_home):
    briefstore.save_brief({"schema": "reachout.brief/1.3", "x": 1}, "acme.example")
    assert briefstore.load_brief("acme.example") == {"schema": "reachout.brief/1.3", "x": 1}


def test_save_is_atomic(reachout_home, monkeypatch):
    briefstore.save_brief({"schema": briefstore.SCHEMA, "v": 1}, "acme.example")
    import os

    def crash(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    from reachout.errors import StoreError

    with pytest.raises(StoreError, match="No space left on device"):
        briefstore.save_brief({"schema": briefstore.SCHEMA, "v": 2}, "acme.example")
    # The old brief is whole, and no temporary file is left behind.
    assert briefstore.load_brief("acme.example") == {"schema": briefstore.SCHEMA, "v": 1}
    assert [p.name for p in briefstore.briefs_dir().iterdir()] == ["acme.example.json"]


@pytest.mark.parametrize("domain", ["", "../etc", "a/b.example", ".hidden"])
def test_a_name_that_is_no_domain_has_no_brief(reachout_home, domain):
    assert briefstore.load_brief(domain) is None


def test_saved_brief_addresses(reachout_home):
    briefstore.save_brief({"schema": briefstore.SCHEMA, "generated_at": "2026-11-26T10:00:00Z",
                           "addresses": [{"address": "jane.doe@bücher.de", "kind": "personal",
                                          "person": "Jane Doe"},
                                         {"address": "info@bücher.de", "kind": "role"}]},
                          "xn--bcher-kva.de")
    assert briefstore.saved_brief_addresses("bücher.de") == (
        [("Jane Doe", "jane.doe@bücher.de")], "2026-11-26")


def test_batch_writes_briefs_under_the_same_names(tmp_path, monkeypatch):
    from reachout.batch import runner

    class Stub:
        def to_dict(self):
            return {"schema": briefstore.SCHEMA}

        def to_markdown(self):
            return "# Bücher\n"

        def about(self):
            return []

    monkeypatch.setattr("reachout.research.build_brief", lambda *a, **k: Stub())
    summary = runner.write_brief("bücher.de", "Bücher", tmp_path, True)
    assert summary["file"] == str(tmp_path / "xn--bcher-kva.de.md")
    assert briefstore.load_brief("bücher.de", tmp_path) == {"schema": briefstore.SCHEMA}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["xn--bcher-kva.de.json", "xn--bcher-kva.de.md"]
