"""Every command has help text and is documented: the command reference (generated from --help by cog)
lists each one, and the README shows each top-level command (as sqlite-utils does)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from reachout.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REFERENCE = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")
INDEX = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append((full, command))
        if isinstance(command, click.Group):
            out += commands(command, full + " ")
    return out


@pytest.mark.parametrize(("name", "command"), commands(cli), ids=lambda v: v if isinstance(v, str) else "")
def test_command_has_help_and_is_documented(name, command):
    assert command.help and command.help.strip(), f"reachout {name} has no help text"
    assert f"## reachout {name}\n" in REFERENCE, f"`reachout {name}` is missing from docs/cli-reference.md"
    if " " not in name:
        assert f"reachout {name}" in README, f"`reachout {name}` is missing from README.md"
    if " " not in name and name != "cache":  # the docs home's table: one row per task command
        assert f"`reachout {name}" in INDEX, f"`reachout {name}` is missing from docs/index.md's table"


def test_the_readme_is_a_short_guide():
    assert len(README.splitlines()) <= 150


SETTINGS = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")


def environment_variables() -> set[str]:
    """Every REACHOUT_* variable the library reads: the names written out in src/, and the
    REACHOUT_<NAME>_URL family spelled from the public sources' fields."""
    from dataclasses import fields

    from reachout.research.endpoints import Endpoints

    names: set[str] = set()
    for path in (ROOT / "src" / "reachout").rglob("*.py"):
        names.update(re.findall(r"\bREACHOUT_[A-Z][A-Z_]*[A-Z]\b", path.read_text(encoding="utf-8")))
    names.update(f"REACHOUT_{f.name.upper()}_URL" for f in fields(Endpoints) if f.name != "disabled")
    return names


def test_every_environment_variable_is_on_the_settings_page():
    names = environment_variables()
    assert {"REACHOUT_HOME", "REACHOUT_ALLOW_PRIVATE", "REACHOUT_LEVER_URL"} <= names  # the scan works
    missing = sorted(name for name in names if f"`{name}`" not in SETTINGS)
    assert not missing, f"docs/settings.md does not list {missing}"


def test_shell_completion_works_as_the_settings_page_says():
    """`_REACHOUT_COMPLETE=bash_source reachout` prints a completion script, and completing `fo`
    gives `followup`, through the installed console script."""
    import os
    import shutil
    import subprocess
    import sys

    program = shutil.which("reachout", path=str(Path(sys.executable).parent))
    assert program, "the reachout console script is not installed next to this Python"
    for shell in ("bash", "zsh", "fish"):
        assert f"_REACHOUT_COMPLETE={shell}_source reachout" in SETTINGS
        script = subprocess.run([program], env={**os.environ, "_REACHOUT_COMPLETE": f"{shell}_source"},
                                capture_output=True, text=True, timeout=60, check=True)
        assert "_reachout_completion" in script.stdout
    done = subprocess.run([program], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "_REACHOUT_COMPLETE": "bash_complete",
                               "COMP_WORDS": "reachout fo", "COMP_CWORD": "1"})
    assert done.stdout.split() == ["plain,followup"]


def test_user_docs_name_no_internal_issue_numbers():
    # A reader cannot look up "issue 22"; the page says what changed instead.
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    found = [f"{page.name}: {m.group()}" for page in pages
             for m in re.finditer(r"\bissues? #?\d+\b", page.read_text(encoding="utf-8"), re.I)]
    assert found == []
