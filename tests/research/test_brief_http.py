"""The HTTP layer against the real local server: guards, politeness, hostile answers, the cache."""

from __future__ import annotations

import json

import pytest

from reachout import USER_AGENT
from reachout.errors import BadInput
from reachout.http import (
    Fetcher,
    HttpConfig,
    address_problem,
    build_session,
    decode_body,
    network_requests,
    parse_resolve,
)


def make_fetcher(server, *hosts, sleeps=None, **config):
    """A Fetcher that reaches HOSTS on the fixture server, recording (not sleeping) its waits."""
    options = {"allow_private": True, "timeout": (2.0, 2.0), "retries": 2, "backoff": 0.01}
    options.update(config)
    cfg = HttpConfig(**options)
    cfg.resolve.update(parse_resolve(server.resolve(*hosts)))
    recorded = sleeps if sleeps is not None else []
    domains = sorted({".".join(h.split(".")[-2:]) for h in hosts})
    return Fetcher(build_session(cfg), cfg, allowed_domains=domains, sleep=recorded.append)


# ---------------------------------------------------------------------------------- addresses
def test_parse_resolve_accepts_curl_syntax_and_rejects_garbage():
    assert parse_resolve(["Acme.test:8080:127.0.0.1", "v6.test:443:[::1]"]) == {
        ("acme.test", 8080): "127.0.0.1",
        ("v6.test", 443): "::1",
    }
    with pytest.raises(BadInput, match="HOST:PORT:ADDRESS"):
        parse_resolve(["acme.test:127.0.0.1"])
    with pytest.raises(BadInput, match="not an IP address"):
        parse_resolve(["acme.test:80:localhost"])


@pytest.mark.parametrize(
    ("address", "allow", "problem"),
    [
        ("127.0.0.1", False, "loopback"),
        ("127.0.0.1", True, None),
        ("10.1.2.3", False, "private"),
        ("10.1.2.3", True, None),
        ("192.168.0.1", False, "private"),
        ("169.254.169.254", True, "link-local"),  # cloud metadata: never, even when allowed
        ("fe80::1", True, "link-local"),
        ("::ffff:169.254.169.254", True, "link-local"),
        ("0.0.0.0", True, "not a unicast"),
        ("224.0.0.1", True, "not a unicast"),
        ("93.184.215.14", False, None),
    ],
)
def test_address_problem(address, allow, problem):
    result = address_problem(address, allow_private=allow)
    assert result is None if problem is None else problem in result


def test_loopback_refused_without_allow_private(site):
    fetcher = make_fetcher(site, "acme.test", allow_private=False)
    response = fetcher.fetch(site.url("acme.test", "/"))
    assert not response.ok
    assert "loopback" in response.error
    assert site.paths("acme.test") == []  # refused before any connection


def test_check_applies_to_resolved_address_not_the_name(site):
    # An on-domain name that resolves to the metadata address is refused at connect time.
    fetcher = make_fetcher(site, "acme.test")
    fetcher.config.resolve[("meta.acme.test", site.port)] = "169.254.169.254"
    response = fetcher.fetch(f"http://meta.acme.test:{site.port}/", robots=False)
    assert "link-local" in response.error


def test_unresolved_name_never_reaches_the_system_resolver_in_tests(site):
    fetcher = make_fetcher(site, "acme.test")
    response = fetcher.fetch(f"http://nowhere.acme.test:{site.port}/", robots=False)
    assert "cannot reach nowhere.acme.test: its name does not resolve" in response.error


def test_from_env_reads_resolve_and_allow_private(monkeypatch):
    monkeypatch.setenv("REACHOUT_RESOLVE", "a.test:80:127.0.0.1, b.test:81:127.0.0.2")
    monkeypatch.setenv("REACHOUT_ALLOW_PRIVATE", "1")
    config = HttpConfig.from_env()
    assert config.allow_private
    assert config.resolve == {("a.test", 80): "127.0.0.1", ("b.test", 81): "127.0.0.2"}


# ---------------------------------------------------------------------------------- politeness
def test_user_agent_and_robots(site):
    fetcher = make_fetcher(site, "acme.test")
    assert fetcher.fetch(site.url("acme.test", "/about")).ok
    blocked = fetcher.fetch(site.url("acme.test", "/private/team-directory"))
    assert blocked.error == "robots.txt of acme.test disallows /private/team-directory"
    assert site.paths("acme.test") == ["/robots.txt", "/about"]
    assert {r.user_agent for r in site.requests_to("acme.test")} == {USER_AGENT}


def test_robots_forbidding_everything(site):
    fetcher = make_fetcher(site, "closed.test")
    response = fetcher.fetch(site.url("closed.test", "/"))
    assert response.error == "robots.txt of closed.test disallows /"
    assert site.paths("closed.test") == ["/robots.txt"]


def test_robots_5xx_means_complete_disallow_and_4xx_means_none(site):
    site.route("acme.test", "/robots.txt", status=503, body="down")
    fetcher = make_fetcher(site, "acme.test", retries=0)
    error = fetcher.fetch(site.url("acme.test", "/about")).error
    assert "robots.txt of acme.test answered 503, so nothing on acme.test is crawled" in error
    site.route("acme.test", "/robots.txt", status=404, body="none")
    fresh = make_fetcher(site, "acme.test", retries=0, cache_ttl=None)
    assert fresh.fetch(site.url("acme.test", "/private/team-directory")).ok


def test_crawl_delay_spaces_requests(site):
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "acme.test", sleeps=sleeps, cache_ttl=None)
    for path in ("/about", "/team", "/press"):
        assert fetcher.fetch(site.url("acme.test", path)).ok
    # robots.txt says Crawl-delay: 0.05; the 2nd and 3rd page waited for their turn.
    # (The sleeps are recorded, not slept, so the third waits for both slots before it.)
    assert len(sleeps) == 2
    assert 0.03 < sleeps[0] <= 0.05 and 0.08 < sleeps[1] <= 0.1


def test_crawl_delay_is_capped(site):
    site.route(
        "acme.test",
        "/robots.txt",
        body="User-agent: *\nCrawl-delay: 3600\n",
        content_type="text/plain",
    )
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "acme.test", sleeps=sleeps, max_crawl_delay=0.2, cache_ttl=None)
    fetcher.fetch(site.url("acme.test", "/about"))
    fetcher.fetch(site.url("acme.test", "/team"))
    assert sleeps and max(sleeps) <= 0.2


def test_per_host_concurrency_limit(site):
    from concurrent.futures import ThreadPoolExecutor

    site.route("acme.test", "/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
    site.latency = 0.05
    fetcher = make_fetcher(site, "acme.test", per_host=2, cache_ttl=None)
    urls = [site.url("acme.test", f"/about?n={i}") for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(fetcher.fetch, urls))
    assert all(r.ok for r in results)
    # The limit is the property; how many overlapped at once depends on the machine's load.
    assert 1 <= site.max_in_flight["acme.test"] <= 2


def test_the_per_host_limit_and_crawl_delay_hold_across_fetchers_and_sessions(site):
    from concurrent.futures import ThreadPoolExecutor

    site.route("acme.test", "/robots.txt", body="User-agent: *\nCrawl-delay: 5\n",
               content_type="text/plain")
    site.latency = 0.05
    # Four runs of their own (as batch's gatherers are): each its own session, the limit one.
    sleeps: list[float] = []
    fetchers = [make_fetcher(site, "acme.test", per_host=1, cache_ttl=None, sleeps=sleeps)
                for _ in range(4)]
    urls = [site.url("acme.test", f"/about?n={i}") for i in range(8)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda i: fetchers[i % 4].fetch(urls[i]), range(8)))
    assert all(r.ok for r in results)
    assert site.max_in_flight["acme.test"] == 1
    # One host, one pace: each page after the first waits its turn behind the others' (recorded,
    # not slept), not just behind its own fetcher's previous page.
    assert len([wait for wait in sleeps if wait > 0]) == 7




def test_host_limits_keep_gates_only_for_hosts_in_use_or_still_paced():
    import time

    from reachout.http import HostLimits

    limits = HostLimits()
    far = time.monotonic() + 600
    with limits.turn("https://busy.test/a", 1, far) as busy:
        assert busy is not None
        with limits.turn("https://slow.test/", 1, far) as slow:
            assert slow is not None and slow.pace(60, far) == 0
        # A 10,000-domain batch asks a few hosts per domain, one after the other.
        for i in range(5 * HostLimits.SWEEP):
            with limits.turn(f"https://www.company{i}.test/", 6, far) as gate:
                assert gate is not None
        assert len(limits) <= HostLimits.SWEEP
        # The host in use kept its gate: its limit still holds.
        with limits.turn("http://busy.test:8080/b", 1, time.monotonic()) as other:
            assert other is None
    # So did the host whose Crawl-delay has not passed: its next start is still a minute away.
    with limits.turn("https://slow.test/", 1, far) as slow:
        assert slow is not None and slow.pace(60, far) > 50


def test_a_far_deadline_waits_for_a_place_without_overflowing_the_platforms_timeout():
    import threading
    import time

    from reachout.http import HostLimits

    limits = HostLimits()
    # brief --max-time 1e12 is finite, but longer than a lock's wait may be (threading.TIMEOUT_MAX).
    far = time.monotonic() + 1e12
    entered: list[object] = []
    with limits.turn("https://acme.test/a", 1, far) as held:
        assert held is not None

        def second() -> None:
            with limits.turn("https://acme.test/b", 1, far) as gate:
                entered.append(gate)

        waiter = threading.Thread(target=second)
        waiter.start()
        while held.users < 2:  # it has come to the gate: let it wait for the place held here
            time.sleep(0.01)
        time.sleep(0.05)
    waiter.join(5)
    assert len(entered) == 1 and entered[0] is not None


def test_a_run_whose_deadline_comes_before_its_crawl_delay_turn_neither_waits_nor_delays_the_others(site):
    # Per-host pacing is the whole process's: a run that gives up must not keep the turn it took, or
    # over a batch each run that times out pushes the host's next start later for all the others.
    site.route("acme.test", "/robots.txt", body="User-agent: *\nCrawl-delay: 5\n",
               content_type="text/plain")
    first = make_fetcher(site, "acme.test", cache_ttl=None)
    assert first.fetch(site.url("acme.test", "/about?n=1")).ok
    sleeps: list[float] = []
    hurried = make_fetcher(site, "acme.test", cache_ttl=None, run_deadline=1.0, sleeps=sleeps)
    response = hurried.fetch(site.url("acme.test", "/about?n=2"))
    assert response.error == "not fetched: the run's 1 s were up"
    assert sleeps == []  # told at once, not after waiting out its run
    assert "/about?n=2" not in site.paths("acme.test")
    sleeps = []
    patient = make_fetcher(site, "acme.test", cache_ttl=None, sleeps=sleeps)
    assert patient.fetch(site.url("acme.test", "/about?n=3")).ok
    assert len(sleeps) == 1 and 4 < sleeps[0] <= 5  # one Crawl-delay after the first, not two


# ---------------------------------------------------------------------------------- hostile answers
def test_429_with_retry_after_is_waited_for_then_succeeds(site):
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "broken.test", sleeps=sleeps)
    response = fetcher.fetch(site.url("broken.test", "/busy"))
    assert response.ok and response.status == 200
    assert sleeps and sleeps[-1] >= 1.0  # Retry-After: 1 honoured (recorded, not slept)
    assert site.paths("broken.test").count("/busy") == 2


def test_a_retry_wait_past_the_runs_deadline_is_not_slept(site):
    # /busy asks for 1 s (within the cap) but the run has less than that left: its answer is the result.
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "broken.test", run_deadline=0.9, sleeps=sleeps)
    response = fetcher.fetch(site.url("broken.test", "/busy"))
    assert response.status == 429 and response.error.startswith("HTTP 429")
    assert sleeps == []
    assert site.paths("broken.test").count("/busy") == 1


def test_retry_after_beyond_the_cap_is_not_waited_for(site):
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "broken.test", sleeps=sleeps)
    response = fetcher.fetch(site.url("broken.test", "/overloaded"))
    assert response.error == "HTTP 429 Too Many Requests (Retry-After 3600)"
    assert sleeps == []


def test_500_is_retried_with_backoff_then_reported(site):
    sleeps: list[float] = []
    fetcher = make_fetcher(site, "broken.test", sleeps=sleeps, retries=2, backoff=0.1)
    response = fetcher.fetch(site.url("broken.test", "/error"))
    assert response.error == "HTTP 500 Internal Server Error"
    assert site.paths("broken.test").count("/error") == 3
    assert len(sleeps) == 2 and sleeps[1] > sleeps[0]  # exponential backoff


def test_404_is_not_retried(site):
    fetcher = make_fetcher(site, "broken.test")
    assert fetcher.fetch(site.url("broken.test", "/missing")).error == "HTTP 404 Not Found"
    assert site.paths("broken.test").count("/missing") == 1


def test_slow_answer_times_out_without_retry(site):
    fetcher = make_fetcher(site, "broken.test", timeout=(1.0, 0.3))
    response = fetcher.fetch(site.url("broken.test", "/slow"))
    assert response.error == "timed out waiting for the server"
    assert site.paths("broken.test").count("/slow") == 1


def test_slow_drip_hits_the_body_deadline(site):
    site.route("broken.test", "/drip", body="<p>" + "x" * 8000 + "</p>", drip=0.05)
    fetcher = make_fetcher(site, "broken.test", deadline=0.15)
    assert "took longer than 0.15 s" in fetcher.fetch(site.url("broken.test", "/drip")).error


def test_redirect_loop(site):
    fetcher = make_fetcher(site, "broken.test")
    response = fetcher.fetch(site.url("broken.test", "/loop-a"))
    assert response.error.startswith("redirect loop at ")


def test_too_many_redirects(site):
    for i in range(6):
        site.route("broken.test", f"/hop{i}", status=302, headers={"Location": f"/hop{i + 1}"})
    fetcher = make_fetcher(site, "broken.test", max_redirects=3)
    assert fetcher.fetch(site.url("broken.test", "/hop0")).error == "more than 3 redirects"


def test_redirect_off_the_domain_is_refused(site):
    fetcher = make_fetcher(site, "broken.test")
    response = fetcher.fetch(site.url("broken.test", "/away"))
    assert response.error == "refused redirect to elsewhere.example: outside broken.test"


def test_redirect_to_a_link_local_address_is_refused(site):
    fetcher = make_fetcher(site, "broken.test")
    fetcher.config.resolve[("metadata.broken.test", site.port)] = "169.254.169.254"
    response = fetcher.fetch(site.url("broken.test", "/metadata"))
    assert "169.254.169.254 is a link-local address" in response.error


def test_oversized_body_is_cut_off(site):
    fetcher = make_fetcher(site, "broken.test", max_bytes=1_000_000)
    response = fetcher.fetch(site.url("broken.test", "/huge"))
    assert response.error == "body exceeds the 1,000,000-byte cap"


def test_declared_length_over_the_cap_is_refused_before_reading(site):
    site.route("broken.test", "/big", body="x" * 5000)
    fetcher = make_fetcher(site, "broken.test", max_bytes=1000)
    assert "body of 5,000 bytes exceeds" in fetcher.fetch(site.url("broken.test", "/big")).error


def test_binary_served_as_html(site):
    fetcher = make_fetcher(site, "broken.test")
    assert fetcher.fetch(site.url("broken.test", "/image")).error == "binary content served as text/html"


def test_unexpected_content_type(site):
    fetcher = make_fetcher(site, "acme.test")
    response = fetcher.fetch(site.url("acme.test", "/robots.txt"), robots=False)
    assert response.error == "unexpected content type text/plain"


def test_wrong_charsets_are_repaired(site):
    fetcher = make_fetcher(site, "broken.test")
    latin = fetcher.fetch(site.url("broken.test", "/latin"))
    assert "Café Zürich — über uns" in latin.text
    assert "body is UTF-8" in latin.headers["X-Reachout-Charset-Note"]
    legacy = fetcher.fetch(site.url("broken.test", "/legacy"))
    assert "Société Générale" in legacy.text
    assert "does not decode" in legacy.headers["X-Reachout-Charset-Note"]


def test_decode_body_reads_meta_charset_and_bom():
    assert decode_body('<meta charset="windows-1252"><p>caf\xe9'.encode("cp1252"), "text/html")[0].endswith(
        "café"
    )
    assert decode_body("\ufeffhé".encode(), "text/html")[0] == "hé"


def test_unsupported_scheme_is_refused(site):
    fetcher = make_fetcher(site, "acme.test")
    assert "only http and https" in fetcher.fetch("ftp://acme.test/x").error


# ---------------------------------------------------------------------------------- cache
def test_cache_offline_and_refresh(site):
    url = site.url("acme.test", "/about")
    first = make_fetcher(site, "acme.test")
    assert first.fetch(url).ok and not first.log[-1].from_cache
    assert network_requests(first.session) == 2  # robots.txt + page
    offline = make_fetcher(site, "acme.test", offline=True)
    cached = offline.fetch(url)
    assert cached.ok and cached.from_cache
    assert network_requests(offline.session) == 0
    missing = offline.fetch(site.url("acme.test", "/team"))
    assert missing.error == "not in the cache (offline)"
    refresh = make_fetcher(site, "acme.test", refresh=True)
    again = refresh.fetch(url)
    assert again.ok and not again.from_cache
    assert network_requests(refresh.session) == 2


def test_cache_lives_in_the_user_dir(site, reachout_home):
    make_fetcher(site, "acme.test").fetch(site.url("acme.test", "/about"))
    assert (reachout_home / "http-cache.sqlite").exists()


def test_cache_ttl_expires(site):
    url = site.url("acme.test", "/about")
    make_fetcher(site, "acme.test", cache_ttl=0.01).fetch(url)
    import time

    time.sleep(0.05)
    second = make_fetcher(site, "acme.test", cache_ttl=0.01)
    assert not second.fetch(url).from_cache


def test_module_level_fetch_with_a_shared_session(site):
    config = HttpConfig(allow_private=True, resolve=parse_resolve(site.resolve("acme.test")))
    session = build_session(config)
    from reachout.http import fetch

    response = fetch(site.url("acme.test", "/about"), session=session, allowed_domains=["acme.test"])
    assert response.ok and response.status == 200 and "About us" in response.text
    assert response.to_dict()["final_url"] == site.url("acme.test", "/about")
    refused = fetch(site.url("acme.test", "/private/team-directory"), session=session)
    assert refused.error == "robots.txt of acme.test disallows /private/team-directory"
    session.close()


def test_resolve_only_refuses_every_other_name(monkeypatch):
    from reachout.http import BlockedAddress, HttpConfig, Resolver

    monkeypatch.setenv("REACHOUT_RESOLVE", "acme.test:8080:127.0.0.1")
    monkeypatch.setenv("REACHOUT_RESOLVE_ONLY", "1")
    monkeypatch.setenv("REACHOUT_ALLOW_PRIVATE", "1")
    config = HttpConfig.from_env()
    asked = []
    resolver = Resolver(config, system=lambda host, port: asked.append(host) or ["127.0.0.1"])
    assert resolver.addresses("acme.test", 8080) == ["127.0.0.1"]
    with pytest.raises(BlockedAddress, match="REACHOUT_RESOLVE_ONLY"):
        resolver.addresses("www.acme.test", 8080)
    assert asked == []


# ---------------------------------------------------------------------------------- POST (a search)
# Fetcher.post keeps every guarantee of a GET.
SEARCH = {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}
JOBS = "/workday/wday/cxs/larkspur/Larkspur_Careers/jobs"


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


def test_a_cached_answer_says_when_it_first_arrived_though_the_cache_stored_it_a_second_later(
        site, tmp_path, monkeypatch):
    # requests-cache takes its own time twice (when it stores an answer, when it hands it back); under
    # load the two straddle a second. A clock that ticks a second per reading makes that certain.
    import datetime as dt

    import requests_cache.models.response as cached

    ticks = iter(range(10_000))
    start = dt.datetime(2026, 12, 1, 12, 0, 0)
    monkeypatch.setattr(cached, "utcnow", lambda: start + dt.timedelta(seconds=next(ticks)))
    path = str(tmp_path / "cache.sqlite")
    first = make_fetcher(site, "acme.test", cache_path=path).fetch(site.url("acme.test", "/about?stamp=1"))
    again = make_fetcher(site, "acme.test", cache_path=path).fetch(site.url("acme.test", "/about?stamp=1"))
    assert first.ok and not first.from_cache and again.from_cache
    assert again.fetched_at == first.fetched_at
