"""`reachout brief` end to end on sites built as real organisations publish them, one per site
structure: a Hugo non-profit whose home page is a job post (issue 15's case), a WordPress company
with no open roles, a single-page app with JSON-LD only, a careers subdomain linking Teamtailor
and Lever, and a Spanish site. Each checks the sections the brief fills and the failures it had."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from reachout.cli import cli


def run(site, hosts, *args, fmt="json"):
    argv = ["brief", site.url(hosts[0]), "--format", fmt, "--allow-private", "--no-mail", *args]
    for entry in site.resolve(*hosts):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    return result.stdout


def brief(site, *hosts, args=()):
    return json.loads(run(site, hosts, *args))


def glance(data, key):
    return [(f["value"], f.get("quote"), f["source"]) for f in data["facts"] if f["key"] == key]


# ----------------------------------------------------------------- Hugo non-profit (issue 15)
@pytest.fixture
def commons(site):
    return brief(site, "commons.test", args=("--role", "engineer"))


def test_glance_from_the_organisations_own_words(site, commons):
    about, mission = site.url("commons.test", "/about/"), site.url("commons.test", "/mission/")
    first = (
        "Research Commons is a non-profit organisation that runs cloud computing hubs for "
        "research and education."
    )
    assert glance(commons, "org_type") == [("Non-profit", first, about)]
    assert glance(commons, "employees") == [
        ("24 (2024)", "In 2024 we were a team of 24 people working across nine countries.", about)
    ]
    assert glance(commons, "work_mode")[0][:2] == (
        "Fully remote",
        "We are a fully remote organisation: everyone works from home, across time zones.",
    )
    assert glance(commons, "founded")[0][0] == "2020"
    assert glance(commons, "funding") == [
        (
            "Fiscal sponsor: Community Initiatives",
            "We are fiscally sponsored by Community Initiatives.",
            about,
        )
    ]
    assert glance(commons, "mission") == [
        (
            "Our mission is to make interactive computing infrastructure accessible to every "
            "research and education community.",
            "Our mission is to make interactive computing infrastructure accessible to every "
            "research and education community.",
            mission,
        )
    ]
    # "What they do" is what the organisation is, not its acronym spelled out ("RC: Research
    # Commons." is the home page's meta description).
    what = next(s for s in commons["sections"] if s["key"] == "about")
    assert what["items"][0]["text"].startswith(first)
    assert not any("RC: Research Commons" in i["text"] for i in what["items"])


def test_deep_job_pages_behind_generic_links_and_their_greenhouse_board(site, commons):
    roles = {r["title"]: r for r in commons["roles"]}
    assert set(roles) == {
        "Cloud Infrastructure Engineer",
        "Community Partnerships Lead",
        "Open Source Developer",
        "Operations Associate",  # only on the Greenhouse board the job pages link to
    }
    job = site.url("commons.test", "/jobs/2023/open-source-developer/")
    dev = roles["Open Source Developer"]
    assert (dev["url"], dev["provider"], dev["team"], dev["location"]) == (
        job, "site", "Engineering", "Remote (worldwide)"
    )
    assert (dev["salary"], dev["posted"], dev["remote"], dev["match"]) == (
        "USD 100,000 – 120,000 per year", "2023-04-02", "Remote", True
    )
    assert dev["hiring_manager"] == "Tomás Ferreira, Director of Engineering"
    # The same role on the site and on Greenhouse is one entry: the board's (it takes the
    # application), with the job page's salary and the page listed as another source.
    cloud = roles["Cloud Infrastructure Engineer"]
    assert cloud["provider"] == "greenhouse"
    assert cloud["url"] == "https://boards.greenhouse.io/researchcommons/jobs/4001"
    assert cloud["salary"] == "USD 110,000 – 130,000 per year"
    assert cloud["also_listed"] == [site.url("commons.test", "/jobs/2023/cloud-infrastructure-engineer/")]
    assert "/jobs/2023/community-partnerships-lead/" in site.paths("commons.test")
    assert any("/greenhouse/v1/boards/researchcommons/jobs" in r.path for r in site.log)


def test_job_posts_are_not_news_and_stale_news_is_said_to_be_stale(site, commons):
    # Hugo's index.xml lists every page, job pages and the hiring post on the home page included.
    assert [(p["title"], p["published"]) for p in commons["posts"]] == [
        ("Our 2023 hubs report", "2023-03-10")
    ]
    texts = [p["text"] for p in commons["talking_points"]]
    assert not any(t.startswith(("Congratulate", "Mention their recent")) for t in texts)
    assert (
        "Their latest post, from March 2023, is “Our 2023 hubs report”; their news is stale, so "
        "ask what they are working on now." in texts
    )
    # --role engineer: a matching role comes first; the mission sentence is a point too.
    assert texts[0] == (
        "Ask whether the Open Source Developer role in Engineering, posted in April 2023, is "
        "still open."
    )
    assert any(t.startswith("Say why their mission matters to you: “Our mission is") for t in texts)
    assert all(p["source"].startswith("http") for p in commons["talking_points"])


def test_section_headings_and_cards_are_not_people_nor_their_profiles_the_companys(site, commons):
    people = {p["name"]: p["title"] for p in commons["people"]}
    assert "Steering Council" not in people
    assert people["Chris Holloway"] == "Executive Director"  # not "Chris HollowayExecutive…"
    assert not any(re.search(r"[a-z][A-Z]", title) for title in people.values())
    social = {s["network"]: s["url"] for s in commons["social"]}
    # Maya's own X and GitHub sit in the home page's post; the footer names the organisation's.
    assert social == {
        "linkedin": "https://www.linkedin.com/company/research-commons/",
        "x": "https://x.com/ResearchCommons",
        "github": "https://github.com/research-commons",
    }


def test_who_hires_with_guessed_addresses_and_the_tech_stack(site, commons):
    hiring = {h["name"]: h for h in commons["hiring"]}
    assert set(hiring) == {"Maya Lindqvist", "Priya Raman", "Tomás Ferreira", "Chris Holloway"}
    priya = hiring["Priya Raman"]
    assert (priya["title"], priya["department"], priya["address_kind"]) == (
        "Talent Acquisition Partner", "People / Talent", "guessed"
    )
    # Learnt from the site's own first.last addresses (jonas.weber@, ana.costa@).
    assert priya["address"] == "priya.raman@commons.test"
    assert hiring["Tomás Ferreira"]["hires_for"] in {
        "Open Source Developer", "Cloud Infrastructure Engineer"
    }
    stack = {t["name"]: t["posts"] for t in commons["tech_stack"]}
    assert stack["Kubernetes"] == 2 and stack["Jupyter"] == 2 and stack["TypeScript"] == 1
    assert commons["tech_stack"][0]["posts"] >= commons["tech_stack"][-1]["posts"]


def test_markdown_html_and_json_render_one_section_model(site):
    data = brief(site, "commons.test")
    md = run(site, ["commons.test"], fmt="md")
    page = run(site, ["commons.test"], fmt="html")
    titles = [s["title"] for s in data["sections"]]
    assert titles[:5] == [
        "At a glance",
        "What they do",
        "News and posts (stale: the latest is from March 2023)",
        "Open roles",
        "Who hires",
    ]
    assert [line[3:] for line in md.splitlines() if line.startswith("## ")] == titles
    assert re.findall(r'<h2 id="[a-z]+">([^<]+)</h2>', page) == titles
    assert "- **Type:** Non-profit — “Research Commons is a non-profit" in md
    assert "<strong>Where people work:</strong> Fully remote" in page
    assert data["schema"] == "reachout.brief/1"


# ------------------------------------------------------------------------------ WordPress
@pytest.fixture
def brightwell(site):
    return brief(site, "brightwell.test")


def test_wordpress_company_glance_products_and_parent(site, brightwell):
    about = site.url("brightwell.test", "/about-us/")
    assert glance(brightwell, "org_type")[0][0] == "Company"
    assert glance(brightwell, "headquarters")[0][0] == "Bristol"
    assert glance(brightwell, "employees")[0][:2] == (
        "85", "Today we employ 85 people across our Bristol and Leeds offices."
    )
    assert glance(brightwell, "work_mode")[0][0] == "Hybrid"
    assert glance(brightwell, "funding") == [
        ("Parent: Severn Holdings", "Brightwell is a subsidiary of Severn Holdings.", about)
    ]
    # The services page's headings, not its "Get in touch".
    assert [v for v, _, _ in glance(brightwell, "offerings")] == [
        "Water treatment design", "Network leak detection", "Maintenance contracts"
    ]


def test_no_open_roles_keeps_the_section_and_says_where_it_looked(site, brightwell):
    assert brightwell["roles"] == []
    careers = site.url("brightwell.test", "/careers/")
    assert f"careers page {careers}" in brightwell["roles_searched"]
    section = next(s for s in brightwell["sections"] if s["key"] == "roles")
    assert section["title"] == "Open roles"
    assert section["items"][0]["text"].startswith(f"No open roles found. Looked at: careers page {careers}")
    md = run(site, ["brightwell.test"], fmt="md")
    assert "## Open roles\n\n- No open roles found. Looked at: careers page" in md


def test_recent_news_is_news_and_the_people_person_hires(site, brightwell):
    points = [p["text"] for p in brightwell["talking_points"]]
    assert points[0] == "Congratulate them on “Brightwell wins Leeds network contract” (2026-11-24)."
    hiring = brightwell["hiring"]
    assert [(h["name"], h["title"], h["address"]) for h in hiring] == [
        ("Daniel Okafor", "People & Culture Manager", "daniel.okafor@brightwell.test")
    ]


# -------------------------------------------------------------------- a JSON-LD-only app
def test_single_page_app_with_json_ld_only(site):
    data = brief(site, "orbit.test", args=("--role", "robotics"))
    home = site.url("orbit.test")
    assert glance(data, "org_type") == [("Company", None, home)]
    assert glance(data, "employees") == [("120", None, home)]
    assert glance(data, "funding") == [("Parent: Meridian Industrial Group", None, home)]
    assert [v for v, _, _ in glance(data, "offerings")] == ["Orbit Lift 2", "Fleet Monitoring"]
    roles = {r["title"]: r for r in data["roles"]}
    robo = roles["Robotics Software Engineer"]
    assert (robo["salary"], robo["remote"], robo["closes"], robo["match"]) == (
        "USD 150,000–190,000 a year", "Remote", "2027-01-31", True
    )
    assert roles["Field Service Technician"]["salary"] == "USD 32–40 an hour"
    hiring = {h["name"]: h for h in data["hiring"]}
    assert hiring["Rachel Nguyen"]["address_kind"] == "seen on the site"
    # The hiring manager named in the post is on the JSON-LD staff list, with an address.
    assert (hiring["Victor Hale"]["address"], hiring["Victor Hale"]["hires_for"]) == (
        "victor.hale@orbit.test", "Robotics Software Engineer"
    )
    assert {t["name"] for t in data["tech_stack"]} >= {"C++", "Rust", "Linux", "Python"}


# -------------------------------------------------------------------- a careers subdomain
def test_careers_subdomain_its_job_pages_teamtailor_and_lever(site):
    data = brief(site, "tandem.test", "jobs.tandem.test")
    roles = {r["title"]: r for r in data["roles"]}
    assert set(roles) == {
        "Data Analyst", "Senior Backend Engineer", "Customer Success Manager", "Payroll Specialist"
    }
    assert roles["Data Analyst"]["url"] == site.url("jobs.tandem.test", "/positions/data-analyst")
    assert roles["Data Analyst"]["salary"] == "EUR 55,000–65,000 a year"
    # On the subdomain (behind "View role") and on Teamtailor: one entry.
    backend = roles["Senior Backend Engineer"]
    assert backend["provider"] == "teamtailor" and backend["team"] == "Platform"
    assert backend["also_listed"] == [site.url("jobs.tandem.test", "/positions/senior-backend-engineer")]
    assert backend["salary"] == "€80,000 – €95,000 per year"
    assert roles["Customer Success Manager"]["remote"] == "Hybrid"
    payroll = roles["Payroll Specialist"]
    assert (payroll["provider"], payroll["salary"], payroll["remote"]) == (
        "lever", "EUR 42,000–50,000 a year", "Hybrid"
    )
    assert payroll["hiring_manager"] == "Aoife Kelly, Head of Operations"
    assert glance(data, "work_mode")[0][0] == "Remote-first"
    hiring = {h["name"]: h["department"] for h in data["hiring"]}
    assert hiring["Niamh Byrne"] == "People / Talent"  # the recruiter on the careers page
    assert "Ciara Walsh" in hiring and "Aoife Kelly" in hiring
    assert "/jobs.rss" in " ".join(r.path for r in site.log if r.path.startswith("/teamtailor/"))


# ------------------------------------------------------------------------------ Spanish
def test_spanish_site_every_section(site):
    data = brief(site, "esfera.test")
    somos = site.url("esfera.test", "/quienes-somos/")
    assert glance(data, "org_type")[0][:2] == (
        "Company", "Esfera Digital es una empresa de software con sede en Valencia."
    )
    assert glance(data, "headquarters")[0][0] == "Valencia"
    assert glance(data, "employees")[0][0] == "45"  # not "(2012)": that is the founding year
    assert glance(data, "founded")[0][:1] == ("2012",)
    assert glance(data, "work_mode")[0][0] == "Hybrid"
    assert glance(data, "mission")[0][2] == site.url("esfera.test", "/nuestra-mision/")
    assert [v for v, _, _ in glance(data, "offerings")] == [
        "Desarrollo de aplicaciones web", "Consultoría tecnológica", "Mantenimiento y soporte"
    ]
    roles = {r["title"]: r for r in data["roles"]}
    backend = roles["Desarrollador/a backend"]
    assert (backend["location"], backend["team"], backend["posted"]) == (
        "Valencia (híbrido)", "Desarrollo", "2026-11-12"
    )
    assert backend["salary"] == "35.000 € - 42.000 € brutos al año"
    assert backend["hiring_manager"] == "Pablo Ruiz, Jefe de Desarrollo"
    assert roles["Diseñador/a UX"]["posted"] == "2026-10-03"  # behind "Más información"
    hiring = {h["name"]: h for h in data["hiring"]}
    assert hiring["Lucía Gómez"]["department"] == "People / Talent"
    assert hiring["Lucía Gómez"]["address"] == "lucia.gomez@esfera.test"
    assert hiring["Pablo Ruiz"]["address_kind"] == "seen on the site"
    assert glance(data, "org_type")[0][2] == somos
    points = [p["text"] for p in data["talking_points"]]
    assert points[0].startswith("Their latest post, from May 2025, is “Lanzamos CoopApp")


# ------------------------------------------------------------------------------ Jekyll
def test_jekyll_careers_page_listing_its_openings_itself(site):
    data = brief(site, "quill.test")
    careers = site.url("quill.test", "/careers.html")
    # No name in any metadata: the page titles repeat it.
    assert data["company"]["name"] == "Quill Press"
    assert glance(data, "org_type")[0][0] == "Non-profit"  # "a 501(c)(3) nonprofit"
    assert glance(data, "headquarters")[0][0] == "Portland, Oregon"
    assert glance(data, "work_mode")[0][:2] == ("On-site", "We work on-site in our Portland office.")
    assert glance(data, "mission")[0][0] == (
        "Every student should be able to afford every book on their syllabus."
    )
    roles = [(r["title"], r["location"], r["salary"], r["url"]) for r in data["roles"]]
    # The headings under "Open positions", not those under "Benefits".
    assert sorted(roles) == [
        ("Accessibility Specialist", "Portland, OR (hybrid)", None, careers),
        ("Production Editor", "Portland, OR", "$58,000 – $64,000 a year", careers),
    ]
    assert {t["name"] for t in data["tech_stack"]} == {"Python"}


def test_a_second_run_from_the_cache_gives_the_same_sections(site):
    first = brief(site, "commons.test")
    before = len(site.log)
    again = brief(site, "commons.test", args=("--offline",))
    assert len(site.log) == before and again["stats"]["network_requests"] == 0
    assert again["roles"] == first["roles"] and again["hiring"] == first["hiring"]
    assert [s["title"] for s in again["sections"]] == [s["title"] for s in first["sections"]]
