"""Unit tests of the brief's newer parts: page roles and job URLs, the company's own words, job
pages read from their structure, roles merged across sources, and age-aware talking points."""

from __future__ import annotations

import pytest

from reachout.research import jobs, pages, profile, site
from reachout.research.brief import Brief, Fact
from reachout.research.feeds import Post
from reachout.research.jobs import Role
from reachout.research.points import talking_points


@pytest.mark.parametrize(
    ("url", "job"),
    [
        ("https://org.test/jobs/2023/data-engineer/", True),
        ("https://org.test/careers/", False),
        ("https://org.test/careers/page/2/", False),
        ("https://org.test/karriere/stellen/koch-m-w-d", True),
        ("https://org.test/trabaja-con-nosotros/desarrollador-backend/", True),
        ("https://jobs.org.test/positions/analyst", True),
        ("https://jobs.org.test/", False),
        ("https://org.test/blog/we-are-growing/", False),
        ("https://org.test/jobs/role-description.pdf", False),
    ],
)
def test_job_urls_at_any_depth(url, job):
    assert pages.is_job_url(url) is job


def test_page_roles_in_several_languages():
    assert pages.page_roles("https://a.test/nuestra-mision/") == ["mission"]
    assert pages.page_roles("https://a.test/x", "Quiénes somos") == ["about"]
    assert pages.page_roles("https://a.test/leistungen") == ["products"]
    assert pages.page_roles("https://a.test/werken-bij") == ["careers"]
    assert pages.generic_text("Learn more and Apply")
    assert pages.generic_text("Mehr erfahren")
    assert not pages.generic_text("Data Engineer")


def test_generic_link_from_a_careers_page_is_a_job_page_link():
    html = """<html><body><nav><a href="/careers/benefits">Apply</a></nav><main>
    <a href="/careers/openings/ops-lead">Learn more and Apply</a>
    <a href="/careers/culture">Our culture</a><a href="/about">Learn more</a></main></body></html>"""
    page = site.parse_page(html, "https://a.test/careers", "a.test")
    found = [link.url for link in pages.job_links(page, from_careers=True)]
    # Navigation is not a list of jobs; "Our culture" says what it is; /about is not below.
    assert found == ["https://a.test/careers/openings/ops-lead"]
    elsewhere = """<html><body><main><h3>Grant Writer</h3>
    <a href="/2023/05/grant-writer/">Learn more and Apply</a><a href="/2023/05/gala/">Read more</a>
    </main></body></html>"""
    page = site.parse_page(elsewhere, "https://a.test/careers", "a.test")
    found = [link.url for link in pages.job_links(page, from_careers=True)]
    assert found == ["https://a.test/2023/05/grant-writer/"]  # it says "Apply"


def test_glued_text_nodes_and_section_headings():
    html = """<html><body><main><h2>Steering Council</h2>
    <div class="card"><b>Chris Holloway</b><span>Executive Director</span></div>
    <div class="card"><b>Ann Lee</b><span>Board Member</span></div></main></body></html>"""
    page = site.parse_page(html, "https://a.test/team", "a.test")
    assert page.lines[1] == "Chris Holloway Executive Director"
    assert all(p.name != "Steering Council" for p in page.people)
    assert site.node_text(site_tree("<p>Hol<b>d</b>graf</p>")) == "Holdgraf"


def site_tree(fragment):
    import lxml.html

    return lxml.html.fragment_fromstring(fragment)


def test_body_social_links_are_not_the_companys_unless_their_handle_says_so():
    html = """<html><body><main><a href="https://x.com/staffer">me</a>
    <a href="https://github.com/acme-labs">code</a></main>
    <footer><a href="https://www.linkedin.com/company/acme/">in</a></footer></body></html>"""
    page = site.parse_page(html, "https://acme.test/", "acme.test")
    assert page.social == {
        "github": "https://github.com/acme-labs",
        "linkedin": "https://www.linkedin.com/company/acme/",
    }


def _page(lines, **extra):
    page = site.Page(url="https://a.test/about")
    page.lines = lines
    for key, value in extra.items():
        setattr(page, key, value)
    return page


def test_said_on_an_about_page():
    said = {
        (s.key, s.value)
        for s in profile.said_on(
            _page([
                "Acme is a registered charity. We are 40 employees strong, based in Leeds.",
                "Founded in 1998, Acme is funded by the Wellcome Trust.",
                "Our software is used by 2,000 people every day.",
            ]),
            "about",
        )
    }
    assert ("org_type", "Non-profit") in said
    assert ("employees", "40") in said
    assert ("headquarters", "Leeds") in said
    assert ("founded", "1998") in said
    assert ("funding", "Funded by: Wellcome Trust") in said
    assert ("employees", "2,000") not in said  # users are not staff


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("We are a fully remote team.", "Fully remote"),
        ("We are remote-first, with a hub in Berlin.", "Remote-first"),
        ("Hybrid: two days in the office.", "Hybrid"),
        ("Trabajo 100% remoto.", "Fully remote"),
        ("This role is on-site in Leeds.", "On-site"),
    ],
)
def test_work_mode_as_stated(text, mode):
    assert profile.work_mode(text)[0] == mode


def test_hiring_titles_and_managers():
    assert profile.is_hiring_title("Talent Acquisition Partner")
    assert profile.is_hiring_title("Responsable de Recursos Humanos")
    assert profile.is_hiring_title("HR Business Partner")
    assert not profile.is_hiring_title("Head of Engineering")
    assert profile.hiring_manager("You will report to Ann Lee, VP Product.") == ("Ann Lee", "VP Product")
    assert profile.hiring_manager("Du berichtest direkt an Jan Weber.") == ("Jan Weber", None)
    assert profile.hiring_manager("Reports to the board.") is None


def test_tech_stack_counts_posts_not_mentions():
    stack = profile.tech_stack([
        ("Python, Python and more Python; Kubernetes.", "u1"),
        ("We use python and Go, on k8s. JavaScript too.", "u2"),
        ("Java only.", "u3"),
    ])
    counts = {t["name"]: t["posts"] for t in stack}
    assert counts == {"Python": 2, "Kubernetes": 2, "Go": 1, "JavaScript": 1, "Java": 1}
    assert stack[0]["sources"] == ["u1", "u2"]


def test_job_page_from_its_structure():
    html = """<html><body><main><h1>Data Engineer | Acme</h1><ul><li>Location: Berlin</li>
    <li>Team: Data</li></ul><p>We pay €60,000–€70,000 a year.</p><p>Posted: 3 March 2026</p>
    <h2>Your profile</h2><p>SQL and dbt.</p></main></body></html>"""
    page = site.parse_page(html, "https://a.test/jobs/data-engineer", "a.test")
    role = pages.role_from_page(page)
    assert role is not None
    assert (role["title"], role["location"], role["team"], role["posted"]) == (
        "Data Engineer", "Berlin", "Data", "2026-03-03"
    )
    assert role["salary"] == "€60,000–€70,000 a year"
    lone = site.parse_page("<html><body><h1>Benefits</h1><p>Nice.</p></body></html>",
                           "https://a.test/jobs/benefits", "a.test")
    assert pages.role_from_page(lone) is None  # no post's sections, salary or location


def test_roles_merge_across_sources():
    merged = jobs.dedupe([
        Role("Data Engineer (m/w/d)", "https://a.test/jobs/de", "site", location="Berlin",
             salary="€60k"),
        Role("Data Engineer", "https://boards.greenhouse.io/a/1", "greenhouse", location="Berlin",
             team="Data"),
        Role("Data Engineer", "https://boards.greenhouse.io/a/2", "greenhouse", location="Paris"),
    ])
    assert [(r.url, r.salary, r.also_listed) for r in merged] == [
        ("https://boards.greenhouse.io/a/1", "€60k", ["https://a.test/jobs/de"]),
        ("https://boards.greenhouse.io/a/2", None, []),
    ]


def test_teamtailor_feed_and_its_errors():
    rss = """<?xml version="1.0"?><rss version="2.0" xmlns:tt="https://teamtailor.com/locations">
    <channel><item><title>Chef</title><link>https://x.teamtailor.com/jobs/1-chef</link>
    <pubDate>Mon, 02 Nov 2026 10:00:00 +0100</pubDate><remoteStatus>none</remoteStatus>
    <department>Kitchen</department><tt:locations><tt:location><tt:city>Oslo</tt:city>
    </tt:location></tt:locations></item></channel></rss>"""
    [role] = jobs.parse_roles("teamtailor", "x", rss, "src")
    assert (role.title, role.team, role.location, role.posted) == ("Chef", "Kitchen", "Oslo",
                                                                   "2026-11-02")
    with pytest.raises(ValueError, match="Teamtailor"):
        jobs.parse_roles("teamtailor", "x", "<html><body>Not found</body></html>", "src")


def _dated_brief(published):
    b = Brief("acme.test", "https://acme.test", "2026-12-01T00:00:00Z")
    b.posts = [Post("Acme launches Anvil 2", "https://acme.test/p", published, "feed")]
    b.facts = [Fact("mission", "Our mission is anvils for all.", "https://acme.test/m")]
    return b


def test_talking_points_follow_the_posts_age():
    fresh = talking_points(_dated_brief("2026-11-20"))
    assert fresh[0].text == "Congratulate them on “Acme launches Anvil 2” (2026-11-20)."
    old = talking_points(_dated_brief("2023-03-14"))
    assert old[0].text.startswith("Their latest post, from March 2023, is “Acme launches Anvil 2”")
    assert "stale" in old[0].text and not any("Congratulate" in p.text for p in old)
    undated = talking_points(_dated_brief(None))
    assert undated[0].text == "Mention their post “Acme launches Anvil 2” (undated)."
    assert fresh[1].text == "Say why their mission matters to you: “Our mission is anvils for all.”"
    assert all(p.source for p in fresh + old + undated)


def test_mission_under_its_heading_and_job_facts_in_a_table():
    html = """<html><body><main><h1>About</h1><h2>Our mission</h2>
    <p>Open tools for every classroom, wherever it is. We started small.</p></main></body></html>"""
    page = site.parse_page(html, "https://a.test/about", "a.test")
    said = [(s.key, s.value) for s in profile.said_on(page, "about")]
    assert ("mission", "Open tools for every classroom, wherever it is.") in said
    job = """<html><body><main><h1>Grant Writer</h1><table><tr><th>Location</th><td>Nairobi</td>
    </tr><tr><th>Salary</th><td>KES 200,000 a month</td></tr></table></main></body></html>"""
    role = pages.role_from_page(site.parse_page(job, "https://a.test/jobs/grant-writer", "a.test"))
    assert role is not None and (role["location"], role["salary"]) == ("Nairobi", "KES 200,000 a month")


def test_funding_names_with_an_ampersand():
    said = profile.said_on(_page(["We are fiscally sponsored by Code for Science & Society."]),
                           "about")
    assert [s.value for s in said if s.key == "funding"] == [
        "Fiscal sponsor: Code for Science & Society"
    ]


def test_wikidata_head_count_with_its_year():
    import json

    from reachout.research.publicdata import parse_entity

    claim = {
        "mainsnak": {"snaktype": "value", "property": "P1128",
                     "datavalue": {"value": {"amount": "+240", "unit": "1"}, "type": "quantity"}},
        "qualifiers": {"P585": [{"snaktype": "value", "property": "P585", "datavalue": {
            "value": {"time": "+2024-00-00T00:00:00Z", "precision": 9}, "type": "time"}}]},
        "rank": "normal",
    }
    doc = {"entities": {"Q9": {"id": "Q9", "claims": {"P1128": [claim]}}}}
    assert parse_entity(json.dumps(doc), "Q9").claims["employees"] == ["240 (2024)"]


def test_a_section_heading_over_one_line_cards_is_no_one():
    html = """<html><body><main><h2>Partner Communities</h2>
    <div><a href="/p/ana"><strong>Ana Lima</strong><span>Program Director</span></a></div>
    <h3>Jo Park</h3><p>Head of Engineering</p></main></body></html>"""
    page = site.parse_page(html, "https://a.test/team", "a.test")
    assert sorted((p.name, p.title) for p in page.people) == [
        ("Ana Lima", "Program Director"),  # her card, read as her card
        ("Jo Park", "Head of Engineering"),
    ]


def test_what_it_is_is_read_where_it_speaks_of_itself():
    lines = ["Acme partners with Leeds College of Art.", "The project is funded by the EU.",
             "Acme is a company that builds kilns."]
    press = {(s.key, s.value) for s in profile.said_on(_page(lines), "press")}
    assert not {k for k, _ in press} & {"org_type", "funding"}
    about = {(s.key, s.value) for s in profile.said_on(_page(lines), "about")}
    assert ("org_type", "Company") in about and ("org_type", "University") not in about


def test_what_they_do_is_not_the_name_spelled_out():
    b = Brief("org.test", "https://org.test", "2026-12-01T00:00:00Z")
    b.facts = [
        Fact("meta_description", "International Interactive Computing Collaboration",
             "https://org.test/"),
        Fact("about_sentence", "2i2c is a non-profit that runs cloud hubs for research and "
             "education.", "https://org.test/about/"),
    ]
    assert [f.key for f in b.about()] == ["about_sentence"]
    said = profile.said_on(_page(["2i2c is a non-profit that runs cloud hubs for research."]),
                           "about")
    assert tuple(sorted({s.key for s in said})) == ("about_sentence", "org_type")
