"""Issue 14: `reachout batch --no-cache` really bypasses the caches (it used to be ignored)."""

from __future__ import annotations

from click.testing import CliRunner

from reachout.cli import cli


def batch(tmp_path, site, nameserver, name: str, *extra: str):
    source = tmp_path / "in.csv"
    source.write_text(f"company,website,name\nAcme Anvils,{site.url('acme.test')},Jane Doe\n",
                      encoding="utf-8")
    result = CliRunner().invoke(cli, [
        "batch", str(source), "--out", str(tmp_path / f"{name}.csv"), "--brief",
        str(tmp_path / f"briefs-{name}"), "--nameserver", nameserver, "--allow-private",
        "--timeout", "2", *extra])
    assert result.exit_code == 0, result.output
    return result


def test_no_cache_fetches_afresh_and_keeps_nothing(tmp_path, site, nameserver, monkeypatch,
                                                   reachout_home):
    monkeypatch.setenv("REACHOUT_RESOLVE", ",".join(site.resolve("acme.test")))
    batch(tmp_path, site, nameserver, "fresh", "--no-cache")
    assert not (reachout_home / "http-cache.sqlite").exists()
    assert site.paths("acme.test")  # the brief was made from the site

    batch(tmp_path, site, nameserver, "cached")
    assert (reachout_home / "http-cache.sqlite").exists()
    site.log.clear()
    batch(tmp_path, site, nameserver, "from-cache")
    assert site.paths("acme.test") == []  # answered by the cache

    batch(tmp_path, site, nameserver, "bypass", "--no-cache")
    assert "/" in site.paths("acme.test")  # fetched again, cache or not
