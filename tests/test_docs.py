"""Every command has help text and is documented: the command reference (generated from --help by cog)
lists each one, and the README shows each top-level command (as sqlite-utils does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from reachout.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
REFERENCE = (ROOT / "docs" / "cli-reference.md").read_text(encoding="utf-8")


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


def test_the_readme_is_a_short_guide():
    assert len(README.splitlines()) <= 150
