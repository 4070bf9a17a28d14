"""Fetcher.post against the real local server: a search POST keeps every guarantee of a GET."""

from __future__ import annotations

import json

from reachout import USER_AGENT
from reachout.http import Fetcher, HttpConfig, build_session, network_requests, parse_resolve

SEARCH = {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}
JOBS = "/workday/wday/cxs/larkspur/Larkspur_Careers/jobs"


def make_fetcher(server, *hosts, sleeps=None, **config):
    options = {"allow_private": True, "timeout": (2.0, 2.0), "retries": 2, "backoff": 0.01}
    options.update(config)
    cfg = HttpConfig(**options)
    cfg.resolve.update(parse_resolve(server.resolve(*hosts)))
    recorded = sleeps if sleeps is not None else []
    return Fetcher(build_session(cfg), cfg, allowed_domains=list(hosts), sleep=recorded.append)


def posts(site, host):
    return [(r.method, r.path, json.loads(r.body) if r.body else None)
            for r in site.requests_to(host) if r.path != "/robots.txt"]


def test_post_sends_the_body_after_robots_txt_with_our_user_agent(site):
    fetcher = make_fetcher(site, "jobs.workday.test")
    answer = fetcher.post(site.url("jobs.workday.test", JOBS), json_body=SEARCH)
    assert answer.ok and answer.content_type == "application/json"
    assert json.loads(answer.text)["total"] == 3
    assert site.paths("jobs.workday.test") == ["/robots.txt", JOBS]
    assert posts(site, "jobs.workday.test") == [("POST", JOBS, SEARCH)]
    assert {r.user_agent for r in site.requests_to("jobs.workday.test")} == {USER_AGENT}
    assert fetcher.log == [answer]


def test_robots_txt_disallowing_the_path_stops_the_post(site):
    # RFC 9309 matches the path, whatever the method.
    site.route("jobs.workday.test", "/robots.txt", body="User-agent: *\nDisallow: /workday/wday/\n",
               content_type="text/plain")
    answer = make_fetcher(site, "jobs.workday.test").post(site.url("jobs.workday.test", JOBS),
                                                          json_body=SEARCH)
    assert answer.error == f"robots.txt of jobs.workday.test disallows {JOBS}"
    assert site.paths("jobs.workday.test") == ["/robots.txt"]


def test_a_search_is_cached_by_url_and_body(site):
    url = site.url("jobs.workday.test", JOBS)
    first = make_fetcher(site, "jobs.workday.test")
    assert not first.post(url, json_body=SEARCH).from_cache
    warm = make_fetcher(site, "jobs.workday.test")
    # The same search, its keys in another order: answered from the cache, nothing sent.
    again = warm.post(url, json_body=dict(reversed(list(SEARCH.items()))))
    assert again.ok and again.from_cache and json.loads(again.text)["total"] == 3
    assert network_requests(warm.session) == 0
    # Another search on the same URL is another entry.
    other = warm.post(url, json_body={**SEARCH, "searchText": "engineer"})
    assert not other.from_cache and json.loads(other.text)["total"] == 1
    offline = make_fetcher(site, "jobs.workday.test", offline=True)
    assert offline.post(url, json_body=SEARCH).from_cache
    assert offline.post(url, json_body={**SEARCH, "offset": 20}).error == "not in the cache (offline)"
    assert network_requests(offline.session) == 0


def test_429_retry_after_is_honoured_and_the_body_sent_again(site):
    site.route("jobs.workday.test", "/search", sequence=[
        {"status": 429, "body": "slow down", "headers": {"Retry-After": "2"}},
        {"status": 200, "body": '{"total": 0, "jobPostings": []}', "content_type": "application/json"},
    ])
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "jobs.workday.test", sleeps=sleeps)
    answer = fetcher.post(site.url("jobs.workday.test", "/search"), json_body=SEARCH)
    assert answer.ok and sleeps and sleeps[-1] >= 2.0
    assert posts(site, "jobs.workday.test") == [("POST", "/search", SEARCH)] * 2


def test_500_is_retried_then_reported(site):
    site.route("jobs.workday.test", "/search", status=500, body="{}", content_type="application/json")
    fetcher = make_fetcher(site, "jobs.workday.test", retries=1)
    answer = fetcher.post(site.url("jobs.workday.test", "/search"), json_body=SEARCH)
    assert answer.error == "HTTP 500 Internal Server Error"
    assert len(posts(site, "jobs.workday.test")) == 2


def test_crawl_delay_spaces_posts(site):
    site.route("jobs.workday.test", "/robots.txt", body="User-agent: *\nCrawl-delay: 0.05\n",
               content_type="text/plain")
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "jobs.workday.test", sleeps=sleeps, cache_ttl=None)
    for offset in (0, 20):
        fetcher.post(site.url("jobs.workday.test", JOBS), json_body={**SEARCH, "offset": offset})
    assert len(sleeps) == 1 and 0.03 < sleeps[0] <= 0.05


def test_size_cap_and_deadline_apply(site):
    site.route("jobs.workday.test", "/huge", stream_bytes=400_000, content_type="application/json")
    site.route("jobs.workday.test", "/slow", delay=1.0, body="{}", content_type="application/json")
    fetcher = make_fetcher(site, "jobs.workday.test", max_bytes=100_000, deadline=0.4)
    huge = fetcher.post(site.url("jobs.workday.test", "/huge"), json_body=SEARCH)
    assert huge.error == "body exceeds the 100,000-byte cap"
    slow = fetcher.post(site.url("jobs.workday.test", "/slow"), json_body=SEARCH)
    assert slow.error in {"timed out waiting for the server", "the answer took longer than 0.4 s"}
    assert [p for _m, p, _b in posts(site, "jobs.workday.test")].count("/slow") == 1  # not retried


def test_addresses_are_checked(site):
    cfg = HttpConfig(allow_private=False, resolve=parse_resolve(site.resolve("jobs.workday.test")))
    answer = Fetcher(build_session(cfg), cfg).post(site.url("jobs.workday.test", JOBS),
                                                   json_body=SEARCH)
    assert answer.error and "loopback address" in answer.error
    assert site.requests_to("jobs.workday.test") == []


def test_redirects_303_becomes_get_and_307_repeats_the_post(site):
    site.route("jobs.workday.test", "/see-other", status=303, headers={"Location": "/landing"})
    site.route("jobs.workday.test", "/temporary", status=307, headers={"Location": JOBS})
    site.route("jobs.workday.test", "/landing", body="{}", content_type="application/json")
    fetcher = make_fetcher(site, "jobs.workday.test", cache_ttl=None)
    assert fetcher.post(site.url("jobs.workday.test", "/see-other"), json_body=SEARCH).ok
    assert fetcher.post(site.url("jobs.workday.test", "/temporary"), json_body=SEARCH).ok
    assert posts(site, "jobs.workday.test") == [
        ("POST", "/see-other", SEARCH), ("GET", "/landing", None),
        ("POST", "/temporary", SEARCH), ("POST", JOBS, SEARCH),
    ]
