"""ATS boards that are a career site's page or feed (Teamtailor's jobs.rss, Workable's widget
endpoint) obey that host's robots.txt (RFC 9309); boards read through a documented API do not ask
it. `reachout brief` end to end against the local fixture server, each board on a host of its own
as on the internet (the mock APIs otherwise all answer on 127.0.0.1)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reachout.cli import cli

# As careers sites and robots.txt files name us: by product token, or everyone.
DISALLOWS = {
    "our user agent": "User-agent: reachout\nDisallow: /\n\nUser-agent: *\nAllow: /\n",
    "the board's path": "User-agent: *\nDisallow: {path}\n",
}
ALLOWS = "User-agent: *\nDisallow: /private/\n"


def brief(site, company, board_host, provider, *hosts):
    """`reachout brief` of COMPANY's site with PROVIDER's mock API on BOARD_HOST."""
    argv = ["brief", site.url(company), "--format", "json", "--allow-private", "--no-mail",
            "--source-url", "wikidata=off", "--source-url", "wikipedia=off",
            "--source-url", f"{provider}={site.url(board_host, '/' + provider)}"]
    for entry in site.resolve(company, board_host, *hosts):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return json.loads(result.stdout)


def roles(data):
    return sorted((r["title"], r["provider"]) for r in data["roles"])


# ------------------------------------------------------------------ Teamtailor's jobs.rss
TT_HOST, TT_FEED = "careers.teamtailor.test", "/teamtailor/tandem/jobs.rss"


@pytest.mark.parametrize("form", sorted(DISALLOWS))
def test_a_teamtailor_feed_its_robots_txt_disallows_is_a_note_and_the_other_boards_go_on(site, form):
    site.route(TT_HOST, "/robots.txt", body=DISALLOWS[form].format(path=TT_FEED),
               content_type="text/plain")
    data = brief(site, "tandem.test", TT_HOST, "teamtailor", "jobs.tandem.test")
    assert site.paths(TT_HOST) == ["/robots.txt"]  # the feed itself was never asked
    assert f"Teamtailor board 'tandem': robots.txt of {TT_HOST} disallows {TT_FEED}" in data["notes"]
    # The careers pages' roles and the Lever board's are still read.
    assert roles(data) == [("Data Analyst", "site"), ("Payroll Specialist", "lever"),
                           ("Senior Backend Engineer", "site")]
    # robots.txt counts among the brief's requests, as every other request does.
    assert data["stats"]["requests"] == len(site.log)


def test_a_teamtailor_feed_its_robots_txt_allows_is_read_after_it(site):
    site.route(TT_HOST, "/robots.txt", body=ALLOWS, content_type="text/plain")
    data = brief(site, "tandem.test", TT_HOST, "teamtailor", "jobs.tandem.test")
    assert site.paths(TT_HOST) == ["/robots.txt", TT_FEED]
    assert ("Customer Success Manager", "teamtailor") in roles(data)
    assert ("Senior Backend Engineer", "teamtailor") in roles(data)
    assert not [n for n in data["notes"] if "Teamtailor" in n]
    assert data["stats"]["requests"] == len(site.log)


# ------------------------------------------------------------------ Workable's widget endpoint
WK_HOST, WK_PATH = "apply.workable.test", "/workable/api/v1/widget/accounts/acme"


@pytest.mark.parametrize("form", sorted(DISALLOWS))
def test_a_workable_board_its_robots_txt_disallows_is_a_note_and_the_other_boards_go_on(site, form):
    site.route(WK_HOST, "/robots.txt", body=DISALLOWS[form].format(path="/workable/api/"),
               content_type="text/plain")
    data = brief(site, "plain.test", WK_HOST, "workable")
    assert site.paths(WK_HOST) == ["/robots.txt"]
    assert f"Workable board 'acme': robots.txt of {WK_HOST} disallows {WK_PATH}" in data["notes"]
    assert roles(data) == [("Quality Inspector", "smartrecruiters")]


def test_a_workable_board_its_robots_txt_allows_is_read_after_it(site):
    site.route(WK_HOST, "/robots.txt", body=ALLOWS, content_type="text/plain")
    data = brief(site, "plain.test", WK_HOST, "workable")
    assert site.paths(WK_HOST) == ["/robots.txt", WK_PATH]
    assert roles(data) == [("Blacksmith", "workable"), ("Quality Inspector", "smartrecruiters")]


# ------------------------------------------------------------------ documented APIs
def test_a_board_read_through_a_documented_api_does_not_ask_robots_txt(site):
    # SmartRecruiters' Posting API (developers.smartrecruiters.com): an API, not a website's page.
    host = "api.smartrecruiters.test"
    site.route(host, "/robots.txt", body="User-agent: *\nDisallow: /\n", content_type="text/plain")
    data = brief(site, "plain.test", host, "smartrecruiters")
    assert site.paths(host) == ["/smartrecruiters/v1/companies/acme/postings"]
    assert ("Quality Inspector", "smartrecruiters") in roles(data)
