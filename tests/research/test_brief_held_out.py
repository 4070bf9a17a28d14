"""Faults the held-out brief check found, end to end through `reachout brief` on the fixture server:
a team member whose job title holds words that look like a name, citations of a redirected page,
pages that answered 404 asked again on a warm run, and a run that outlives --max-time."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from reachout.cli import cli
from reachout.research import site as site_parser

HOST = "crew.test"
HOME = """<html><head><title>Crew Labs</title></head><body>
<nav><a href="/">Home</a> <a href="/team">Our team</a> <a href="/about-us">About us</a></nav>
<main><h1>Crew Labs</h1><p>Crew Labs builds documentation tools for open-source projects.</p></main>
</body></html>"""
# One card markup for everyone, as a real team page has: her title's first words ("Technical
# Content") look like a name, which must not turn her card into a section heading.
TEAM = """<html><head><title>Our team - Crew Labs</title></head><body><main>
<h2>Meet the team</h2>
<div class="card"><h3 class="member">Jo Park</h3><p class="job">Head of Engineering</p>
  <a href="mailto:jo.park@crew.test">Email Jo</a></div>
<div class="card"><h3 class="member">Maria Lopez</h3><p class="job">Technical Content Developer</p>
  <a href="mailto:maria.lopez@crew.test">Email Maria</a></div>
<div class="card"><h3 class="member">Sam Lee</h3><p class="job">Senior Content Writer</p>
  <a href="mailto:sam.lee@crew.test">Email Sam</a></div>
</main></body></html>"""


def _serve_crew(site: Any) -> None:
    site.route(HOST, "/", body=HOME)
    site.route(HOST, "/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    # /team answers from /team/ (a trailing-slash redirect, as most servers make for a folder).
    site.route(HOST, "/team", status=301, headers={"Location": "/team/"})
    site.route(HOST, "/team/", body=TEAM)
    site.route(HOST, "/about-us", status=404, body="<h1>Not found</h1>")


def _brief(site: Any, *args: str) -> Any:
    argv = ["brief", site.url(HOST), "--format", "json", "--allow-private", "--no-mail", *args]
    for entry in site.resolve(HOST):
        argv += ["--resolve", entry]
    return CliRunner().invoke(cli, argv)


def _cited(data: dict[str, Any]) -> set[str]:
    """The URLs the brief cites for what it read off pages, feeds and boards: facts, people,
    addresses, profiles, posts' and roles' sources (their own `url` is the item's link)."""
    urls = {f["source"] for f in data["facts"]}
    urls |= {p["source"] for p in data["people"]} | {a["source"] for a in data["addresses"]}
    urls |= {s["source"] for s in data["social"] if s["source"]}
    urls |= {p["source"] for p in data["posts"]} | {r["source"] for r in data["roles"]}
    return {url for url in urls if url.startswith(("http://", "https://"))}


def _sources(data: dict[str, Any]) -> set[str]:
    return {s["url"] for s in data["sources"]}


def test_a_title_that_starts_like_a_name_keeps_its_card(site):
    _serve_crew(site)
    result = _brief(site)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    people = {(p["name"], p["title"]) for p in data["people"]}
    assert {("Jo Park", "Head of Engineering"), ("Maria Lopez", "Technical Content Developer"),
            ("Sam Lee", "Senior Content Writer")} <= people
    paired = {a["address"]: a["person"] for a in data["addresses"]}
    assert paired["maria.lopez@crew.test"] == "Maria Lopez"
    assert paired["sam.lee@crew.test"] == "Sam Lee"


def test_every_cited_url_is_in_the_sources_also_after_a_redirect(site):
    _serve_crew(site)
    data = json.loads(_brief(site).stdout)
    team = site.url(HOST, "/team/")
    assert {p["source"] for p in data["people"]} == {team}
    assert _cited(data) <= _sources(data), _cited(data) - _sources(data)
    moved = [s for s in data["sources"] if s["url"] == team]
    assert [(s["status"], s["redirected_from"]) for s in moved] == [(200, site.url(HOST, "/team"))]


@pytest.mark.parametrize("host", ["acme.test", "commons.test", "hollis.test", "tandem.test"])
def test_fixture_sites_cite_only_their_sources(site, host):
    argv = ["brief", site.url(host), "--format", "json", "--allow-private", "--no-mail"]
    for entry in site.resolve(host):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert _cited(data) and _cited(data) <= _sources(data), _cited(data) - _sources(data)


def test_a_section_heading_over_a_card_read_as_one_line_is_still_no_one():
    """The other side of the fix: a heading whose next block is a whole card (an element inside
    holds just a name) names a section, unless it shares the person cards' markup."""
    html = """<html><body><main>
    <h2>Frontend Guild</h2>
    <div><a href="/p/ana"><strong>Ana Lima</strong><span>Program Director</span></a></div>
    <h3>Jo Park</h3><p>Head of Engineering</p>
    <h3>Maria Lopez</h3><p>Technical Content Developer</p></main></body></html>"""
    page = site_parser.parse_page(html, "https://a.test/team", "a.test")
    assert sorted((p.name, p.title) for p in page.people) == [
        ("Ana Lima", "Program Director"),
        ("Jo Park", "Head of Engineering"),
        ("Maria Lopez", "Technical Content Developer"),
    ]


ABSENT = {
    "plain": {"status": 404, "body": "<h1>Not found</h1>"},
    "gone": {"status": 410, "body": "<h1>Gone</h1>"},
    # Whatever the answer varies on, a 404 is the same next time.
    "vary-star": {"status": 404, "body": "<h1>Not found</h1>", "headers": {"Vary": "*"}},
    "vary-cookie": {"status": 404, "body": "<h1>Not found</h1>",
                    "headers": {"Vary": "Cookie", "Set-Cookie": "visit=1; Path=/"}},
    # A 404 page over the size cap, or cut short: its body is not read, so it is still an answer.
    "huge": {"status": 404, "stream_bytes": 3_200_000},
    "cut": {"status": 404, "body": "<h1>Not found</h1>" * 100, "cut_at": 50},
}


@pytest.mark.parametrize("answer", list(ABSENT), ids=list(ABSENT))
def test_a_warm_run_asks_nothing_again_not_even_the_pages_that_answered_404(site, answer):
    _serve_crew(site)
    site.route(HOST, "/about-us", **ABSENT[answer])
    cold = _brief(site)
    assert cold.exit_code == 0, cold.output
    assert "/about-us" in site.paths(HOST)  # asked once, answered 404
    site.log.clear()
    warm = _brief(site)
    assert warm.exit_code == 0, warm.output
    assert site.paths(HOST) == [] and site.log == []
    assert json.loads(warm.stdout)["stats"]["network_requests"] == 0


# ---------------------------------------------------------------------------------- --max-time
BOARDS = ["acmeanvils", "kesselwerk", "kilnstudio", "novalabs", "researchcommons"]


def _serve_boards(site: Any, boards: list[str]) -> None:
    links = "".join(f'<a href="https://boards.greenhouse.io/{b}">Jobs at {b}</a> ' for b in boards)
    _serve_crew(site)
    site.route(HOST, "/", body=HOME.replace("</main>", f"<p>{links}</p></main>"))


def test_a_board_of_thousands_of_roles_is_read_only_so_far(site):
    """Work per source is capped: the roles matching --role first, then the board's order."""
    jobs = [{"id": n, "title": f"Widget Tester {n}", "absolute_url": f"https://x.test/j/{n}",
             "location": {"name": "Remote"}, "updated_at": "2026-11-18T10:00:00Z",
             "content": "", "departments": [{"name": "QA"}]} for n in range(2500)]
    jobs[2400]["title"] = "Senior Rust Engineer"
    site.route("127.0.0.1", "/greenhouse/v1/boards/crew/jobs", body=json.dumps({"jobs": jobs}),
               content_type="application/json")
    _serve_boards(site, ["crew"])
    result = _brief(site, "--role", "rust engineer")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "Greenhouse board 'crew': 2,500 roles listed; the first 1,000 were read." in data["notes"]
    titles = [r["title"] for r in data["roles"]]
    assert len(titles) == 1000 and "Senior Rust Engineer" in titles


def test_max_time_bounds_the_reading_not_only_the_fetching(site, monkeypatch):
    """A slow fixture: each board's answer takes 1.5 s to read. With --max-time 2 the answers
    that arrive once the time is up are listed as sources but not read, and the brief still
    comes out (before this, every answer was read, however long that took)."""
    import time as clock

    from reachout.research import jobs

    read: list[str] = []
    parse = jobs.parse_roles

    def slow_parse(provider: str, board: str, *args: Any, **kwargs: Any) -> Any:
        read.append(board)
        clock.sleep(1.5)
        return parse(provider, board, *args, **kwargs)

    monkeypatch.setattr(jobs, "parse_roles", slow_parse)
    _serve_boards(site, BOARDS)
    result = _brief(site, "--max-time", "2")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    asked = [s for s in data["sources"] if "/greenhouse/v1/boards/" in s["url"]]
    assert len(asked) == len(BOARDS) and 1 <= len(read) < len(BOARDS)
    assert any(note.startswith("The run's 2 s (--max-time) were up: ") for note in data["notes"])
    assert "Address format and mail setup were skipped: the run's time was up." in data["notes"]


def test_the_run_started_before_the_first_fetch_counts(site):
    """`brief NAME` looks the name up first: that time comes out of --max-time too."""
    import time as clock

    from reachout.http import Fetcher, HttpConfig

    config = HttpConfig(run_deadline=5, run_started=clock.monotonic() - 6, allow_private=True,
                        cache_ttl=None)
    config.resolve.update({(HOST, site.port): "127.0.0.1"})
    _serve_crew(site)
    with Fetcher(config=config, allowed_domains=[HOST]) as fetcher:
        answer = fetcher.fetch(site.url(HOST), robots=False)
    assert answer.error == "not fetched: the run's 5 s were up"
    assert site.paths(HOST) == []
