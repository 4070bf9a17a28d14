"""One set of habits across commands (issue 21): output options, --format/--json, --help in 80
columns. Walks the command tree, so a new command is held to the same habits."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from reachout.cli import cli


def commands(group: click.Group = cli, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from commands(command, (*path, name))


ALL = list(commands())
# Commands that print records (or write them): each takes --format and --json.
PRINTS_RECORDS = [path for path, c in ALL if not isinstance(c, click.Group)
                  and path not in {("cache", "path"), ("cache", "clear")}]


def option_names(command: click.Command) -> set[str]:
    return {name for p in command.params if isinstance(p, click.Option) for name in p.opts}


@pytest.mark.parametrize("path", PRINTS_RECORDS, ids=" ".join)
def test_every_command_that_prints_records_takes_format_and_json(path):
    command = dict(ALL)[path]
    assert {"--format", "--json"} <= option_names(command), path


def test_output_files_are_one_spelling_with_the_others_accepted():
    writers = [path for path, c in ALL if {"--out", "--output", "-o"} & option_names(c)]
    assert sorted(writers) == [("batch",), ("brief",), ("domain",), ("evidence",), ("followup", "due"),
                               ("followup", "export"), ("followup", "list"), ("followup", "show"),
                               ("guess",), ("mx",), ("verify",)]
    for path in writers:
        assert {"-o", "--out", "--output"} <= option_names(dict(ALL)[path]), path


def test_json_is_the_same_as_format_json(tmp_path):
    plain = CliRunner().invoke(cli, ["guess", "Jane Doe", "acme.com", "--json", "--top", "1"])
    long = CliRunner().invoke(cli, ["guess", "Jane Doe", "acme.com", "--format", "json", "--top",
                                    "1"])
    assert plain.exit_code == 0 and plain.stdout == long.stdout
    assert json.loads(plain.stdout)["domain"] == "acme.com"
    clash = CliRunner().invoke(cli, ["guess", "Jane Doe", "acme.com", "--json", "--format", "csv"])
    assert clash.exit_code == 2
    assert "--json and --format csv are two outputs; pick one." in clash.stderr


def test_followup_export_takes_out_and_output(tmp_path):
    runner = CliRunner()
    runner.invoke(cli, ["followup", "add", "Acme", "QA", "--applied", "2026-11-16", "-q"])
    for spelling in ("-o", "--out", "--output"):
        target = tmp_path / f"x{spelling}.csv"
        result = runner.invoke(cli, ["followup", "export", "--format", "csv", spelling, str(target)])
        assert result.exit_code == 0, result.output
        assert target.read_text(encoding="utf-8-sig").startswith("id,")


def test_tables_fit_the_terminal_and_wide_shows_everything(monkeypatch):
    args = ["guess", "Jane Doe", "example.com", "--top", "10"]
    monkeypatch.setenv("COLUMNS", "80")
    cut = CliRunner().invoke(cli, args)
    assert cut.exit_code == 0
    assert max(len(line) for line in cut.stdout.splitlines()) <= 80
    assert "…" in cut.stdout
    wide = CliRunner().invoke(cli, [*args, "--wide"])
    assert "…" not in wide.stdout and max(len(line) for line in wide.stdout.splitlines()) > 80
    monkeypatch.delenv("COLUMNS")
    piped = CliRunner().invoke(cli, args)  # not a terminal: every character kept
    assert piped.stdout == wide.stdout


def test_the_formats_file_is_cited_once_not_on_every_row(monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    result = CliRunner().invoke(cli, ["guess", "Jane Doe", "example.com", "--no-roles"])
    assert result.stdout.count("patterns/formats.toml") == 1
    assert "Prior shares are from patterns/formats.toml.\n" in result.stdout
    row = "jane.doe@example.com  34.5%       {first}.{last}  main format at 44.3% of domains\n"
    assert row in result.stdout
    # The JSON keeps every reason whole.
    data = json.loads(CliRunner().invoke(cli, ["guess", "Jane Doe", "example.com", "--json"]).stdout)
    assert data["candidates"][0]["reasons"][0].endswith("(patterns/formats.toml)")


def test_mx_and_verify_tables_fit_too(monkeypatch):
    monkeypatch.setenv("COLUMNS", "90")
    for command, item in (("mx", "acme.com"), ("verify", "jane@acme.com")):
        result = CliRunner().invoke(cli, [command, item, "--nameserver", "127.0.0.1:9",
                                          "--timeout", "0.1"])
        assert result.exit_code == 0, result.output
        assert max(len(line) for line in result.stdout.splitlines()) <= 90, result.stdout


@pytest.mark.parametrize("path", [p for p, _ in ALL] + [()], ids=lambda p: " ".join(p) or "reachout")
def test_help_renders_cleanly_in_80_columns(path):
    result = CliRunner().invoke(cli, [*path, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    too_long = [line for line in lines if len(line) > 80]
    assert not too_long, too_long
    # No stray gaps inside a sentence (a docstring that Click could not dedent).
    assert not [line for line in lines if "     " in line.strip() and not line.startswith("  -")
                and "  " not in line.strip()[:30]], result.stdout
    # Every line of an Examples block is one whole command.
    text = result.stdout
    if "Examples:" in text:
        block = text.split("Examples:", 1)[1].split("\n\n", 1)[0]
        for line in block.strip("\n").splitlines():
            assert "reachout " in line, (line, block)


def test_every_human_line_goes_through_say():
    """Text a person reads (a literal, an f-string, words joined to a value) is printed by cli.say,
    which escapes control and bidi characters; click.echo is for data (JSON, CSV, bytes, a path)."""
    import ast
    from pathlib import Path

    import reachout.cli

    found = []
    for path in sorted(Path(reachout.cli.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and ast.unparse(node.func) == "click.echo" and node.args
                    and isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp | ast.IfExp)):
                found.append(f"{path.name}:{node.lineno}")
    assert found == []


def test_cache_clear_speaks_in_words(reachout_home):
    (reachout_home / "cache.sqlite").parent.mkdir(parents=True, exist_ok=True)
    (reachout_home / "cache.sqlite").write_bytes(b"")
    result = CliRunner().invoke(cli, ["cache", "clear"])
    assert result.exit_code == 0 and result.output.startswith("Removed cache.sqlite")
    assert CliRunner().invoke(cli, ["cache", "clear"]).output == "Nothing to remove.\n"
