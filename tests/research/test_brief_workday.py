"""Workday job sites: recognised on a company's pages, read through their keyless search (a POST)
and their postings, merged with the careers page's own roles. Unit tests on Workday-shaped answers
(and `responses`), then `reachout brief` end to end against the local server's mock Workday."""

from __future__ import annotations

import json

import pytest
import responses
from click.testing import CliRunner

from reachout.cli import cli
from reachout.http import Fetcher, HttpConfig, build_session
from reachout.research import jobs
from reachout.research.endpoints import Endpoints
from reachout.research.site import ats_links

SITE = "https://acme.wd5.myworkdayjobs.com"
CXS = f"{SITE}/wday/cxs/acme/External"
SEARCH_ANSWER = {
    "total": 3,
    "jobPostings": [
        {"title": "Staff Engineer, Payments", "externalPath": "/job/Berlin/Staff-Engineer_R-7",
         "locationsText": "Berlin, Germany", "postedOn": "Posted Today", "bulletFields": ["R-7"]},
        {"title": "Account Executive", "externalPath": "/job/Paris/Account-Executive_R-3",
         "locationsText": "3 Locations", "postedOn": "Posted 4 Days Ago", "bulletFields": ["R-3"],
         "remoteType": "Hybrid"},
        {"title": "Office Manager", "externalPath": "/job/Remote-USA/Office-Manager_R-1",
         "locationsText": "Remote - USA", "postedOn": "Posted 30+ Days Ago"},
        {"externalPath": "/job/x/untitled"},
    ],
}
DETAIL = {
    "jobPostingInfo": {
        "title": "Account Executive, EMEA", "location": "Paris",
        "additionalLocations": ["Madrid", "Milan"], "postedOn": "Posted 4 Days Ago",
        "startDate": "2026-11-27", "timeType": "Full time", "remoteType": "Hybrid",
        "jobDescription": "<p>Sell to banks.</p><p>You will report to Ines Moreau, VP Sales.</p>",
        "externalUrl": f"{SITE}/External/job/Paris/Account-Executive_R-3",
    },
    "hiringOrganization": {"name": "Acme SE"},
}


@pytest.mark.parametrize(
    ("link", "board"),
    [
        ("https://acme.wd5.myworkdayjobs.com/External", "acme/External"),
        ("https://acme.wd5.myworkdayjobs.com/en-US/External", "acme/External"),
        ("https://acme.wd1.myworkdayjobs.com/de-DE/Acme_Careers/job/Berlin/Engineer_R-1",
         "acme/Acme_Careers"),
        ("https://acme.myworkdayjobs.com/External", "acme/External"),
        ("https://wd3.myworkdaysite.com/recruiting/kiln/Kiln_Careers", "kiln/Kiln_Careers"),
        ("https://wd3.myworkdaysite.com/en-US/recruiting/kiln/Kiln_Careers/job/x", "kiln/Kiln_Careers"),
        ("https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs", "acme/External"),
    ],
)
def test_workday_job_site_links(link, board):
    assert ats_links([link]) == [("workday", board, link)]


def test_not_workday_job_sites():
    assert ats_links(["https://www.workday.com/en-us/careers.html",
                      "https://wd5.myworkdayjobs.com/", "https://www.myworkday.com/acme/d/home.htmld"]) == []


def test_search_url_on_the_job_sites_host_or_the_pointed_base():
    link = "https://acme.wd5.myworkdayjobs.com/en-US/External"
    assert jobs.api_url("workday", "acme/External", Endpoints(), link=link) == f"{CXS}/jobs"
    mirror = Endpoints()
    mirror.point("workday", "http://127.0.0.1:8080/workday/")
    assert (jobs.api_url("workday", "acme/External", mirror, link=link)
            == "http://127.0.0.1:8080/workday/wday/cxs/acme/External/jobs")
    site = "https://wd3.myworkdaysite.com/recruiting/kiln/Kiln_Careers"
    assert (jobs.api_url("workday", "kiln/Kiln_Careers", Endpoints(), link=site)
            == "https://wd3.myworkdaysite.com/wday/cxs/kiln/Kiln_Careers/jobs")
    assert jobs.workday_search("data engineer") == {
        "appliedFacets": {}, "limit": 20, "offset": 0, "searchText": "data engineer"}


def test_search_answer_to_roles():
    roles = jobs.parse_roles("workday", "acme/External", json.dumps(SEARCH_ANSWER), f"{CXS}/jobs",
                             link=f"{SITE}/en-US/External", fetched_at="2026-12-01T09:00:00Z")
    assert [(r.title, r.location, r.posted, r.remote) for r in roles] == [
        ("Staff Engineer, Payments", "Berlin, Germany", "2026-12-01", None),
        ("Account Executive", None, "2026-11-27", "Hybrid"),  # "3 Locations" names none
        ("Office Manager", "Remote - USA", None, "Remote"),  # "30+ days" gives no date
    ]
    assert roles[0].url == f"{SITE}/en-US/External/job/Berlin/Staff-Engineer_R-7"
    assert roles[0].detail == f"{CXS}/job/Berlin/Staff-Engineer_R-7"
    assert {r.provider for r in roles} == {"workday"}


def test_posting_detail_fills_the_role():
    role = jobs.Role("Account Executive", f"{SITE}/en-US/External/job/Paris/Account-Executive_R-3",
                     "workday", detail=f"{CXS}/job/Paris/Account-Executive_R-3")
    jobs.workday_detail(role, json.dumps(DETAIL), "2026-12-01T09:00:00Z")
    assert (role.title, role.location, role.posted, role.remote, role.employment_type) == (
        "Account Executive, EMEA", "Paris, Madrid, Milan", "2026-11-27", "Hybrid", "Full time")
    assert role.url == f"{SITE}/External/job/Paris/Account-Executive_R-3"
    assert "You will report to Ines Moreau" in role.text


def test_wrong_shapes_raise_value_error():
    with pytest.raises(ValueError):
        jobs.parse_roles("workday", "a/b", '{"jobs": []}', "u")
    with pytest.raises(ValueError):
        jobs.workday_detail(jobs.Role("x", "u", "workday"), '{"title": "x"}')


@responses.activate
def test_search_and_posting_through_the_fetcher_with_responses():
    responses.add(responses.GET, f"{SITE}/robots.txt", status=404)
    responses.add(responses.POST, f"{CXS}/jobs", json=SEARCH_ANSWER,
                  match=[responses.matchers.json_params_matcher(jobs.workday_search())])
    responses.add(responses.GET, f"{CXS}/job/Paris/Account-Executive_R-3", json=DETAIL)
    config = HttpConfig(cache_ttl=None, retries=0)
    with Fetcher(build_session(config), config, sleep=lambda s: None) as fetcher:
        answer = fetcher.post(f"{CXS}/jobs", json_body=jobs.workday_search())
        roles = jobs.parse_roles("workday", "acme/External", answer.text, answer.url,
                                 link=f"{SITE}/External", fetched_at=answer.fetched_at)
        detail = fetcher.fetch(roles[1].detail, accept=("application/json",))
    jobs.workday_detail(roles[1], detail.text)
    assert roles[1].location == "Paris, Madrid, Milan"
    sent = responses.calls[1].request
    assert sent.method == "POST" and sent.headers["Content-Type"] == "application/json"


# ------------------------------------------------------------------------ end to end, the CLI
JOBS = "/workday/wday/cxs/larkspur/Larkspur_Careers/jobs"


def brief(site, *args, fmt="json"):
    argv = ["brief", site.url("larkspur.test"), "--format", fmt, "--allow-private", "--no-mail",
            "--source-url", "wikidata=off", "--source-url", "wikipedia=off", *args]
    for entry in site.resolve("larkspur.test"):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout) if fmt == "json" else result.stdout


def workday_requests(site):
    return [(r.method, r.path) for r in site.log if r.path.startswith("/workday/")]


def test_roles_from_a_workday_job_site(site):
    data = brief(site)
    roles = {r["title"]: r for r in data["roles"]}
    assert set(roles) == {"Depot Operations Lead", "Senior Data Engineer", "Refrigeration Technician"}
    base = "https://larkspur.wd3.myworkdayjobs.com/Larkspur_Careers/job"
    engineer = roles["Senior Data Engineer"]
    assert (engineer["provider"], engineer["url"], engineer["location"], engineer["posted"],
            engineer["remote"], engineer["employment_type"]) == (
        "workday", f"{base}/Rotterdam/Senior-Data-Engineer_R-1051", "Rotterdam, Antwerp",
        "2026-11-30", "Hybrid", "Full time")
    # Listed on the careers page (JSON-LD, with its salary) and on Workday: one entry.
    lead = roles["Depot Operations Lead"]
    assert lead["provider"] == "workday" and lead["salary"] == "EUR 52,000–60,000 a year"
    assert lead["also_listed"] == [site.url("larkspur.test", "/careers/")]
    assert lead["hiring_manager"] == "Maartje Visser, Head of Operations"
    assert {t["name"] for t in data["tech_stack"]} >= {"Python", "Kafka", "PostgreSQL"}
    # One search (a POST with Workday's body), then each posting (within the job pages' budget).
    assert workday_requests(site).count(("POST", JOBS)) == 1
    assert sorted(p for m, p in workday_requests(site) if m == "GET") == [
        "/workday/wday/cxs/larkspur/Larkspur_Careers/job/Antwerp/Refrigeration-Technician_R-1013",
        "/workday/wday/cxs/larkspur/Larkspur_Careers/job/Rotterdam/Depot-Operations-Lead_R-1042",
        "/workday/wday/cxs/larkspur/Larkspur_Careers/job/Rotterdam/Senior-Data-Engineer_R-1051",
    ]
    body = next(r.body for r in site.log if r.method == "POST")
    assert json.loads(body) == jobs.workday_search()
    assert not data["notes"]
    markdown = brief(site, fmt="md")
    assert (f"- [Senior Data Engineer]({base}/Rotterdam/Senior-Data-Engineer_R-1051) — Rotterdam, "
            "Antwerp, Hybrid (posted 2026-11-30) · workday\n") in markdown


def test_role_keywords_search_the_workday_site_too(site):
    data = brief(site, "--role", "data engineer")
    searches = [json.loads(r.body)["searchText"] for r in site.log if r.method == "POST"]
    assert sorted(searches) == ["", "data engineer"]
    assert data["roles"][0]["title"] == "Senior Data Engineer" and data["roles"][0]["match"]
    assert [r["title"] for r in data["roles"]].count("Senior Data Engineer") == 1


def test_a_warm_brief_answers_the_search_post_from_the_cache(site):
    first = brief(site)
    site.log.clear()
    second = brief(site)
    assert site.log == []  # not one request: the POST too came from the cache
    assert second["roles"] == first["roles"]
    searches = [s for s in second["sources"] if s["url"].endswith(JOBS)]
    assert searches and all(s["from_cache"] for s in searches)


def test_robots_txt_disallowing_the_search_path(site):
    site.route("127.0.0.1", "/robots.txt", body="User-agent: *\nDisallow: /workday/wday/\n",
               content_type="text/plain")
    data = brief(site)
    assert workday_requests(site) == []
    assert (f"Workday board 'larkspur/Larkspur_Careers': robots.txt of 127.0.0.1 disallows {JOBS}"
            in data["notes"])
    assert [r["title"] for r in data["roles"]] == ["Depot Operations Lead"]  # the careers page's


def test_robots_txt_disallowing_the_job_site_itself(site):
    # As a tenant's robots.txt keeps robots out of one of its job sites (`Disallow: /Research/`).
    site.route("127.0.0.1", "/robots.txt", content_type="text/plain",
               body="User-agent: *\nAllow: /workday/Other/\nDisallow: /workday/Larkspur_Careers/\n")
    data = brief(site)
    assert workday_requests(site) == []
    assert ("Workday board 'larkspur/Larkspur_Careers': robots.txt of 127.0.0.1 disallows "
            "/workday/Larkspur_Careers/" in data["notes"])


def test_job_site_path_for_robots_txt():
    search = "https://kiln.wd3.myworkdayjobs.com/wday/cxs/kiln/Kiln_Careers/jobs"
    assert (jobs.workday_site_path(search, "kiln/Kiln_Careers", "https://kiln.wd3.myworkdayjobs.com/en-US/Kiln_Careers")
            == "https://kiln.wd3.myworkdayjobs.com/Kiln_Careers/")
    search = "https://wd3.myworkdaysite.com/wday/cxs/kiln/Kiln_Careers/jobs"
    assert (jobs.workday_site_path(search, "kiln/Kiln_Careers",
                                   "https://wd3.myworkdaysite.com/recruiting/kiln/Kiln_Careers")
            == "https://wd3.myworkdaysite.com/recruiting/kiln/Kiln_Careers/")


@pytest.mark.parametrize(
    ("route", "args", "note"),
    [
        ({"status": 500, "body": '{"errorCode": "HTTP_500"}', "content_type": "application/json"},
         (), "HTTP 500 Internal Server Error"),
        ({"delay": 3.0, "body": "{}", "content_type": "application/json"},
         ("--timeout", "0.5"), "timed out waiting for the server"),
    ],
)
def test_a_failing_workday_search_is_a_note_and_the_brief_is_made(site, route, args, note):
    site.route("*", JOBS, **route)
    text = brief(site, *args, fmt="md")
    gathered = text.split("What could not be gathered", 1)[1]
    assert f"- Workday board 'larkspur/Larkspur\\_Careers': {note}\n" in gathered
    assert "Depot Operations Lead" in text  # the careers page's role is still there


def test_workday_off(site):
    data = brief(site, "--source-url", "workday=off")
    assert workday_requests(site) == []
    assert [r["provider"] for r in data["roles"]] == ["site"]
