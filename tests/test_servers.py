"""The test servers themselves: clear failures when a Debian binary is missing; clean stops."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from tests.servers import dns as dns_servers
from tests.servers import smtp as smtp_servers


def test_missing_nsd_fails_with_the_fix(tmp_path, monkeypatch):
    monkeypatch.setattr(dns_servers.shutil, "which", lambda name: None)
    monkeypatch.setattr(dns_servers, "NSD", str(tmp_path / "no-nsd"))
    server = dns_servers.NsdServer([dns_servers.Zone("a.test")], tmp_path)
    with pytest.raises(dns_servers.ServerMissing, match="scripts/install-test-deps"):
        server.start()


def test_missing_postfix_fails_with_the_fix(monkeypatch):
    monkeypatch.setattr(smtp_servers.shutil, "which", lambda name: None)
    monkeypatch.setattr(smtp_servers, "POSTFIX_MASTER", "/nonexistent/master")
    monkeypatch.setattr(smtp_servers.os.path, "exists", lambda path: False)
    server = smtp_servers.PostfixServer({"a@b.test"})
    with pytest.raises(dns_servers.ServerMissing, match="apt-get install postfix"):
        server.start()
    server.stop()


def test_nsd_is_stopped_by_pid(tmp_path):
    server = dns_servers.NsdServer([dns_servers.Zone("a.test", [("@", "MX", "0 .")])], tmp_path)
    server.start()
    pid = server.pid
    assert pid is not None and dns_servers.query_once(server.port, "a.test", "MX") is not None
    config = str(tmp_path / "nsd.conf")
    children = subprocess.run(["pgrep", "-f", config], capture_output=True, text=True).stdout
    assert len(children.split()) >= 2  # NSD's main process and its server/xfrd children
    server.stop()
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
    time.sleep(0.2)
    assert subprocess.run(["pgrep", "-f", config], capture_output=True).stdout == b""


def test_knot_serves_the_same_world_and_mx_reads_it(tmp_path):
    """The world's zones also load in Knot DNS (the alternative to NSD on these machines)."""
    from click.testing import CliRunner

    from reachout.cli import cli
    from tests.servers.world import zones

    with dns_servers.KnotServer(zones(), tmp_path) as knot:
        result = CliRunner().invoke(
            cli,
            [
                "mx",
                "acme.test",
                "nullmx.test",
                "www.alias.test",
                "--allow-private",
                "--nameserver",
                knot.nameserver,
                "--format",
                "csv",
                "--no-cache",
            ],
        )
        pid = knot.pid
    assert result.exit_code == 0, result.output
    assert [line.split(",")[1] for line in result.stdout.splitlines()[1:]] == ["ok", "null_mx", "ok"]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
