"""`reachout brief` end to end through the CLI against the local fixture server."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from reachout.cli import cli


def run(site, company, *args, hosts=("acme.test",), private=True):
    argv = ["brief", company, *args]
    if private:
        argv.append("--allow-private")
    for entry in site.resolve(*hosts):
        argv += ["--resolve", entry]
    return CliRunner().invoke(cli, argv)


@pytest.fixture
def acme(site):
    result = run(site, site.url("acme.test"), "--format", "json", "--role", "python engineer")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout), result


def test_json_brief_of_the_fixture_site(site, acme):
    data, result = acme
    assert data["schema"] == "reachout.brief/1"
    assert data["company"] == {
        "domain": "acme.test",
        "name": "Acme Anvils",
        "origin": f"http://acme.test:{site.port}",
    }
    facts = {(f["key"], f["value"], f["kind"]) for f in data["facts"]}
    home = site.url("acme.test")
    assert ("legal_name", "Acme Anvils Ltd", "site") in facts
    assert ("founded", "2015-03-01", "site") in facts and ("founded", "2014", "wikidata") in facts
    assert ("employees", "120", "site") in facts and ("employees", "115", "wikidata") in facts
    assert ("headquarters", "Sheffield", "wikidata") in facts
    assert ("founders", "Jane Doe, Raj Patel", "wikidata") in facts
    assert ("ceo", "Jane Doe", "wikidata") in facts
    assert ("industry", "metalworking", "wikidata") in facts
    assert any(
        f["key"] == "wikipedia_summary"
        and f["source"] == "https://en.wikipedia.org/wiki/Acme_Anvils"
        for f in data["facts"]
    )
    assert {f["source"] for f in data["facts"] if f["key"] == "legal_name"} == {home}
    social = {s["network"]: s["url"] for s in data["social"]}
    assert social == {
        "linkedin": "https://www.linkedin.com/company/acme-anvils",
        "github": "https://github.com/acme-anvils",
        "x": "https://x.com/acmeanvils",
        "youtube": "https://www.youtube.com/@acmeanvils",
        "instagram": "https://www.instagram.com/acmeanvils",
    }
    # Notes name what was skipped, on stderr too.
    assert "JSON-LD block 2 is malformed and was skipped" in result.stderr
    assert (f"Skipped http://acme.test:{site.port}/private/team-directory: robots.txt of acme.test "
            "disallows /private/team-directory") in data["notes"]


def test_posts_newest_first_with_dates(acme):
    data, _ = acme
    posts = [(p["title"], p["published"]) for p in data["posts"]]
    assert posts[:4] == [
        ("We raised a Series A to build the smart anvil", "2026-11-20"),
        ("New factory opens in Rotherham", "2026-10-05"),
        ("Acme wins the Made in Britain award", "2026-07-14"),
        ("A year in review <script>alert(1)</script>", "2025-12-31"),
    ]
    # The undated RSS item got no invented date; the sitemap had none for it either.
    assert ("Forging 101: choosing an anvil", None) in posts


def test_open_roles_from_three_ats_with_role_highlight(acme):
    data, _ = acme
    roles = [(r["title"], r["provider"], r["posted"], r["match"]) for r in data["roles"]]
    assert roles == [
        ("Senior Python Engineer", "greenhouse", "2026-11-02", True),
        ("Product Designer", "ashby", "2026-09-15", False),
        ("Data Engineer", "lever", "2025-11-13", False),
        ("Account Executive", "greenhouse", None, False),
    ]
    assert data["roles"][3]["updated"] == "2026-10-01"


def test_people_and_inboxes(acme):
    data, _ = acme
    people = {p["name"]: (p["title"], p["address"]) for p in data["people"]}
    assert people == {
        "Tom O'Brien": ("VP Sales", "tom.obrien@acme.test"),
        "Jane Doe": ("Chief Executive Officer & Co-founder", "jane.doe@acme.test"),
        "Raj Patel": ("CTO and Co-founder", "r.patel@acme.test"),
        "Maria Garcia": ("Head of Talent", None),
    }
    kinds = {a["address"]: (a["kind"], a["person"]) for a in data["addresses"]}
    assert kinds["r.patel@acme.test"] == (
        "personal",
        "Raj Patel",
    )  # from "r.patel(at)acme(dot)test"
    assert kinds["support@acme.test"] == ("role", None)  # Cloudflare-protected address
    assert kinds["press@acme.test"] == ("role", None)  # "press [at] acme [dot] test"
    assert {a for a, (k, _) in kinds.items() if k == "role"} == {
        "hello@acme.test",
        "press@acme.test",
        "media@acme.test",
        "support@acme.test",
        "info@acme.test",
        "sales@acme.test",
        "jobs@acme.test",
    }
    assert "secret@acme.test" not in kinds  # robots-disallowed page never read
    # The guesser learnt the format from the names paired with addresses on the site.
    fmt = data["address_format"]
    assert fmt["domain"] == "acme.test" and fmt["evidence"] == 3
    assert fmt["formats"][0]["pattern"] == "{first}.{last}"
    assert fmt["formats"][0]["support"] == ["jane.doe@acme.test", "tom.obrien@acme.test"]


def test_talking_points_and_sources(site, acme):
    data, _ = acme
    points = data["talking_points"]
    assert 3 <= len(points) <= 5
    # The role matching --role first, then the news (11 days old on the brief's day).
    assert points[0]["text"] == (
        "Ask about the Senior Python Engineer role in Engineering, posted on 2026-11-02."
    )
    assert points[1] == {
        "text": "Congratulate them on “We raised a Series A to build the smart anvil” "
        "(2026-11-20).",
        "source": site.url("acme.test", "/blog/series-a"),
    }
    urls = {s["url"] for s in data["sources"]}
    assert site.url("acme.test", "/team") in urls
    assert all(
        re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", s["retrieved_at"]) for s in data["sources"]
    )
    assert data["stats"]["pages"] == 12


def test_polite_crawl_of_the_fixture_site(site, acme):
    paths = site.paths("acme.test")
    assert paths[0] == "/robots.txt" and paths.count("/robots.txt") == 1
    assert "/private/team-directory" not in paths and "/pricing" not in paths
    assert len(paths) == len(set(paths))  # nothing fetched twice
    assert site.max_in_flight["acme.test"] <= 6
    starts = sorted(r.started for r in site.requests_to("acme.test"))
    # Crawl-delay: 0.05 s between requests. The span from the first page to the last is checked, not
    # each gap: a loaded machine delays when the server notes one request, which shortens the next gap
    # but not the span (only its two ends carry jitter).
    assert starts[-1] - starts[1] >= 0.05 * (len(starts) - 2) - 0.02


def test_saved_json_and_second_run_from_cache(site, acme, reachout_home):
    data, _ = acme
    saved = json.loads((reachout_home / "briefs" / "acme.test.json").read_text())
    assert saved["talking_points"] == data["talking_points"]
    from reachout.research import load_saved_brief

    assert load_saved_brief("acme.test")["company"]["domain"] == "acme.test"
    before = len(site.log)
    again = run(site, site.url("acme.test"), "--format", "json", "--offline")
    assert again.exit_code == 0, again.output
    assert len(site.log) == before  # not one request reached the server
    offline = json.loads(again.stdout)
    assert offline["stats"]["network_requests"] == 0
    assert [r["title"] for r in offline["roles"]] == [r["title"] for r in data["roles"]]
    assert all(s["from_cache"] for s in offline["sources"])
    # Sources keep the time they were first retrieved, not the time of the cached run.
    first = {s["url"]: s["retrieved_at"] for s in data["sources"]}
    assert all(s["retrieved_at"] == first[s["url"]] for s in offline["sources"])


def test_refresh_goes_back_to_the_network(site, acme):
    before = len(site.log)
    again = run(site, site.url("acme.test"), "--format", "json", "--refresh")
    assert again.exit_code == 0
    assert len(site.log) > before


def test_markdown_and_html_formats(site, tmp_path):
    md_result = run(site, site.url("acme.test"), "--role", "designer")
    assert md_result.exit_code == 0
    text = md_result.stdout
    for heading in (
        "## At a glance",
        "## What they do",
        "## Recent news and posts",
        "## Open roles (matching “designer” marked ★)",
        "## People and inboxes",
        "## The likely address format",
        "## Talking points",
        "## Sources",
    ):
        assert heading in text
    assert "- ★ [Product Designer]" in text
    assert (
        "- `{first}.{last}` — probability 67%; evidence: jane.doe@acme.test, tom.obrien@acme.test"
        in text
    )
    assert "<script>" not in text
    out = tmp_path / "acme.html"
    html_result = run(site, site.url("acme.test"), "--format", "html", "--out", str(out))
    assert html_result.exit_code == 0 and html_result.stdout == ""
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<script" not in page
    assert "A year in review &lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_hostile_site_gives_a_brief_with_notes(site):
    result = run(
        site,
        site.url("broken.test"),
        "--format",
        "json",
        "--timeout",
        "0.5",
        "--max-pages",
        "20",
        hosts=("broken.test",),
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    notes = "\n".join(data["notes"])
    port = site.port
    for expected in (
        f"http://broken.test:{port}/missing: HTTP 404 Not Found",
        f"http://broken.test:{port}/error: HTTP 500 Internal Server Error",
        f"http://broken.test:{port}/overloaded: HTTP 429 Too Many Requests (Retry-After 3600)",
        f"http://broken.test:{port}/slow: timed out waiting for the server",
        f"http://broken.test:{port}/loop-a: redirect loop at http://broken.test:{port}/loop-a",
        f"http://broken.test:{port}/away: refused redirect to elsewhere.example: "
        "outside broken.test",
        f"http://broken.test:{port}/metadata: robots.txt of metadata.broken.test could not be "
        "reached (cannot reach metadata.",
        f"http://broken.test:{port}/huge: body exceeds the 3,000,000-byte cap",
        f"http://broken.test:{port}/image: binary content served as text/html",
        "JSON-LD block 1 is malformed and was skipped",
    ):
        assert expected in notes, expected
    # /busy answered 429 + Retry-After: 1 first, then 200: not a failure.
    assert "/busy" not in notes
    assert data["company"]["name"] == "Broken Co"
    assert any("body is UTF-8" in n for n in data["notes"])
    assert any(a["address"] == "ceo@broken.test" for a in data["addresses"])


def test_hostile_site_html_escapes_scripts(site):
    result = run(
        site,
        site.url("broken.test"),
        "--format",
        "html",
        "--max-pages",
        "1",
        hosts=("broken.test",),
    )
    assert result.exit_code == 0
    assert "<script" not in result.stdout
    assert (
        "We &lt;script&gt;alert(1)&lt;/script&gt; build [links](javascript:alert(2))"
        in result.stdout
    )
    assert 'href="javascript' not in result.stdout


def test_redirect_to_metadata_address_refused_even_with_allow_private(site, monkeypatch):
    monkeypatch.setenv("REACHOUT_RESOLVE", f"metadata.broken.test:{site.port}:169.254.169.254")
    result = run(
        site,
        site.url("broken.test"),
        "--format",
        "json",
        "--timeout",
        "0.5",
        hosts=("broken.test",),
    )
    assert result.exit_code == 0
    assert "169.254.169.254 is a link-local address" in "\n".join(
        json.loads(result.stdout)["notes"]
    )


def test_robots_forbidding_everything_still_gives_a_brief(site):
    result = run(site, site.url("closed.test"), "--format", "json", hosts=("closed.test",))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "Home page: robots.txt of closed.test disallows /" in data["notes"]
    assert site.paths("closed.test") == ["/robots.txt"]


def test_unreachable_sources_are_skipped_cleanly(site, monkeypatch):
    monkeypatch.setenv("REACHOUT_WIKIDATA_URL", f"http://127.0.0.1:{site.port}/nothing-here")
    result = run(
        site,
        site.url("acme.test"),
        "--format",
        "json",
        "--source-url",
        "wikipedia=off",
        "--source-url",
        "lever=off",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert "Wikidata: HTTP 404 Not Found" in data["notes"]
    assert not any(r["provider"] == "lever" for r in data["roles"])
    assert not any(f["kind"] == "wikidata" for f in data["facts"])


def test_nothing_reachable_exits_1(site):
    # Port 1 on loopback: nothing listens, every connection is refused.
    argv = ["brief", "http://acme.test:1/", "--allow-private", "--resolve", "acme.test:1:127.0.0.1",
            "--source-url", "wikidata=off"]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: Nothing about acme.test could be fetched: ")
    assert "connection refused" in result.stderr
    assert result.stdout == ""


def test_special_use_domain_needs_allow_private(site):
    result = run(site, site.url("acme.test"), private=False)
    assert result.exit_code == 1
    assert "special-use or private name" in result.stderr
    assert site.log == []


def test_offline_without_cache_exits_1(site):
    result = run(site, site.url("acme.test"), "--offline", "--source-url", "wikidata=off")
    assert result.exit_code == 1
    assert "not in the cache (offline)" in result.stderr


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["brief", "not a domain", "--no-lookup"], 1, "is a company name, not a domain"),
        (["brief", "acme.test", "--resolve", "nonsense"], 1, "is not HOST:PORT:ADDRESS"),
        (["brief", "acme.test", "--source-url", "nowhere=http://x"], 1, "Unknown source 'nowhere'"),
        (["brief", "acme.test", "--source-url", "lever"], 2, "is not NAME=URL"),
        (["brief", "acme.test", "--offline", "--refresh"], 2, "cannot be used together"),
        (["brief", "acme.test", "--format", "pdf"], 2, "Invalid value for '--format'"),
        (["brief", "acme.test", "--max-pages", "0"], 2, "Invalid value for '--max-pages'"),
    ],
)
def test_bad_input(args, code, message):
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_help_names_the_options():
    result = CliRunner().invoke(cli, ["brief", "--help"])
    assert result.exit_code == 0
    for option in (
        "--role",
        "--format",
        "--out",
        "--max-pages",
        "--name",
        "--offline",
        "--refresh",
        "--allow-private",
        "--resolve",
        "--source-url",
    ):
        assert option in result.stdout


def test_library_api_with_a_shared_session(site):
    from reachout.http import HttpConfig, build_session, parse_resolve
    from reachout.research import build_brief

    config = HttpConfig(allow_private=True, resolve=parse_resolve(site.resolve("acme.test")))
    session = build_session(config)
    brief = build_brief(
        site.url("acme.test"), role="sales", max_pages=7, name="ACME", session=session
    )
    assert brief.name == "ACME"
    assert brief.stats["pages"] == 7
    assert [r.title for r in brief.roles if r.match] == ["Account Executive"]
    session.close()


def test_feed_fallback_sitemap_index_and_more_ats(site):
    """No advertised feed (the /rss.xml fallback finds one), a sitemap index, Workable and
    SmartRecruiters boards, a dead Lever board, no robots.txt (404: no rules)."""
    result = run(site, site.url("plain.test"), "--format", "json", hosts=("plain.test",))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    posts = [(p["title"], p["published"], p["kind"]) for p in data["posts"]]
    # The feed's item has no date: the sitemap's lastmod dates it; the slug-titled page stays.
    assert posts == [
        ("Plain Widgets launches the round widget", "2026-09-09", "feed"),
        ("Square widgets retired", "2026-05-01", "sitemap"),
    ]
    assert [(r["title"], r["provider"]) for r in data["roles"]] == [
        ("Quality Inspector", "smartrecruiters"),
        ("Blacksmith", "workable"),
    ]
    assert "Lever board 'nonexistent': HTTP 404 Not Found" in data["notes"]
    paths = site.paths("plain.test")
    assert "/sitemap-news.xml" in paths and "/rss.xml" in paths
    assert data["addresses"] == [{"address": "hi@plain.test", "kind": "role", "person": None,
                                  "source": site.url("plain.test", "/about/")}]


def test_a_lookalike_domain_is_named(site):
    # xn--pple-43d reads as аpple with a Cyrillic а (Unicode TR 39): the brief says so.
    result = run(site, site.url("xn--pple-43d.test"), "--format", "json", hosts=("xn--pple-43d.test",))
    assert result.exit_code == 0, result.output
    assert ("Notice: \u0430pple.test may be a look-alike: the domain label '\u0430pple' mixes Cyrillic "
            "and Latin letters") in result.stderr
