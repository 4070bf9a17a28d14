"""Every command has help text and appears in the README (as sqlite-utils does)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from reachout.cli import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


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
    assert f"reachout {name}" in README, f"`reachout {name}` is missing from README.md"
