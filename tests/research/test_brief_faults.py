"""Issue 14: an answer never outlives its deadline, a broken source is a note, robots notes say why."""

from __future__ import annotations

import json
import time

from click.testing import CliRunner

from reachout.cli import cli
from reachout.http import Fetcher, HttpConfig, build_session, parse_resolve


def make_fetcher(server, *hosts, **config):
    options = {"allow_private": True, "timeout": (2.0, 2.0), "retries": 0, "cache_ttl": None}
    options.update(config)
    cfg = HttpConfig(**options)
    cfg.resolve.update(parse_resolve(server.resolve(*hosts)))
    return Fetcher(build_session(cfg), cfg, allowed_domains=["acme.test"], sleep=lambda s: None)


def brief(site, *extra, hosts=("acme.test",)):
    argv = ["brief", site.url("acme.test"), "--allow-private", "--no-mail", "--format", "json"]
    for entry in site.resolve(*hosts):
        argv += ["--resolve", entry]
    return CliRunner().invoke(cli, [*argv, *extra])


def test_a_byte_every_half_second_is_cut_off_at_the_deadline(site):
    # Each recv() gets its byte well within the read timeout: only a wall clock stops this.
    site.route("acme.test", "/drip", body="<p>" + "x" * 60 + "</p>", drip=0.5, drip_bytes=1)
    fetcher = make_fetcher(site, "acme.test", deadline=1.0)
    started = time.monotonic()
    response = fetcher.fetch(site.url("acme.test", "/drip"), robots=False)
    assert time.monotonic() - started < 2.5
    assert response.error == "the answer took longer than 1 s"


def test_the_run_deadline_bounds_every_fetch_of_the_run(site):
    site.route("acme.test", "/drip", body="x" * 400, drip=0.2, drip_bytes=1, content_type="text/html")
    fetcher = make_fetcher(site, "acme.test", run_deadline=1.0)
    started = time.monotonic()
    first = fetcher.fetch(site.url("acme.test", "/drip"), robots=False)
    second = fetcher.fetch(site.url("acme.test", "/about"), robots=False)
    assert time.monotonic() - started < 2.5
    assert first.error == "not finished when the run's 1 s were up"
    assert second.error == "not fetched: the run's 1 s were up"


def test_brief_max_time_cuts_a_dripping_page_and_still_briefs(site):
    site.route("acme.test", "/about", body="<p>" + "x" * 200 + "</p>", drip=0.5, drip_bytes=1)
    started = time.monotonic()
    result = brief(site, "--max-time", "3")
    assert time.monotonic() - started < 8
    assert result.exit_code == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert any("/about: not finished when the run's 3 s were up" in n for n in notes), notes


def test_a_truncated_sitemap_is_a_note_not_a_failed_run(site):
    entry = "<url><loc>http://acme.test:{{PORT}}/p</loc></url>"
    body = '<?xml version="1.0"?><urlset>' + entry * 2_000 + "</urlset>"
    site.route("acme.test", "/sitemap.xml", body=body, cut_at=5_000, content_type="application/xml")
    result = brief(site, "--format", "md")
    assert result.exit_code == 0, result.stderr
    length = len(body.replace("{{PORT}}", str(site.port)).encode())
    note = f"the body was cut short (5,000 of {length:,} bytes arrived)"
    gathered = result.stdout.split("## What could not be gathered", 1)[1]
    assert note in gathered
    assert "internal error" not in result.stderr


def test_a_source_that_raises_is_a_note(site, monkeypatch):
    import reachout.research.site as research_site

    def broken(*args, **kwargs):
        raise RuntimeError("parser exploded")

    monkeypatch.setattr(research_site, "parse_page", broken)
    result = brief(site)
    assert result.exit_code == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    assert any("could not be read (RuntimeError: parser exploded)" in n for n in notes), notes


def test_a_link_to_a_host_whose_robots_is_unreachable_says_so(site):
    home = (
        "<html><head><title>Acme</title></head><body>"
        '<a href="http://ops.acme.test:{{PORT}}/about/">About us</a></body></html>'
    )
    site.route("acme.test", "/", body=home)
    result = brief(site)  # ops.acme.test is not --resolve'd: its robots.txt cannot be reached
    assert result.exit_code == 0, result.stderr
    notes = json.loads(result.stdout)["notes"]
    skipped = [n for n in notes if n.startswith("Skipped http://ops.")]
    assert len(skipped) == 1, notes
    assert skipped[0].startswith(f"Skipped http://ops.acme.test:{site.port}/about/: robots.txt of "
                                 "ops.acme.test could not be reached (")
    assert "disallows" not in skipped[0]


def test_a_body_that_is_not_the_gzip_it_claims_is_the_sources_error(site):
    site.route("acme.test", "/gz", body=b"<p>not gzip at all</p>" * 50,
               headers={"Content-Encoding": "gzip"})
    response = make_fetcher(site, "acme.test").fetch(site.url("acme.test", "/gz"), robots=False)
    assert response.error == "the body's Content-Encoding could not be decoded"


def test_a_header_that_drips_is_cut_off_too(site):
    import socket
    import threading

    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]

    def drip() -> None:
        conn, _ = server.accept()
        conn.recv(4096)
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 100:
                conn.sendall(bytes([byte]))
                time.sleep(0.3)
        except OSError:
            pass
        finally:
            conn.close()

    threading.Thread(target=drip, daemon=True).start()
    cfg = HttpConfig(allow_private=True, timeout=(2.0, 2.0), retries=0, cache_ttl=None, deadline=1.0)
    cfg.resolve[("slow.acme.test", port)] = "127.0.0.1"
    fetcher = Fetcher(build_session(cfg), cfg, allowed_domains=["acme.test"])
    started = time.monotonic()
    response = fetcher.fetch(f"http://slow.acme.test:{port}/", robots=False)
    assert time.monotonic() - started < 2.5
    assert response.error == "the answer took longer than 1 s"
    server.close()
