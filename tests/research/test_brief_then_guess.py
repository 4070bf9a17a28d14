"""End to end: the addresses `reachout brief` finds on a site teach `reachout guess` the format."""

from __future__ import annotations

from click.testing import CliRunner

from reachout.cli import cli


def test_brief_then_guess(site):
    # A guess first: the brief saved next must still be seen at once by the guess after it.
    before = CliRunner().invoke(cli, ["guess", "Maria Lopez", "acme.test", "--allow-private", "--no-roles"])
    assert before.exit_code == 0 and "reachout brief" not in before.stderr
    argv = ["brief", site.url("acme.test"), "--allow-private", "--no-mail", "--format", "json"]
    for entry in site.resolve("acme.test"):
        argv += ["--resolve", entry]
    assert CliRunner().invoke(cli, argv).exit_code == 0

    result = CliRunner().invoke(
        cli, ["guess", "Maria Lopez", "acme.test", "--allow-private", "--top", "2", "--no-roles"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Learned from 3 public addresses (site 3): {first}.{last}")
    assert lines[4].split()[0] == "maria.lopez@acme.test"
    assert "that `reachout brief` found on acme.test's site" in result.stderr
