"""Parsers of the brief: pages, feeds, sitemaps, ATS answers, Wikidata, rendering and escaping."""

from __future__ import annotations

import json

import pytest
import requests
import responses

from reachout.errors import BadInput
from reachout.research import feeds, jobs, people, publicdata, site
from reachout.research.brief import Brief, Fact, Person, md
from reachout.research.crawl import parse_company
from reachout.research.endpoints import Endpoints
from reachout.research.feeds import Post
from reachout.research.jobs import Role
from reachout.research.points import talking_points

# ---------------------------------------------------------------------------------- pages
PAGE = """<!DOCTYPE html><html><head><title> Acme  Anvils </title>
<meta name="description" content="Anvils.">
<meta property="og:description" content="OG anvils.">
<link rel="alternate" type="application/atom+xml" href="/news.atom">
<link rel="alternate" type="application/feed+json" href="https://acme.test/feed.json">
<link rel="stylesheet" href="/style.css">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"Corporation","name":"Acme","foundingDate":"2015","numberOfEmployees":
  {"@type":"QuantitativeValue","minValue":50,"maxValue":200},
  "logo":{"@type":"ImageObject","url":"https://acme.test/logo.png"},
  "sameAs":["https://github.com/acme","javascript:alert(1)"]},
 {"@type":"Person","name":"Ada Lovelace","jobTitle":"Chief Scientist",
  "email":"mailto:ada@acme.test"}]}
</script>
<script type="application/ld+json">{"@type": "Organization", "name": "Broken" </script>
</head><body>
<a href="/about#top">About</a> <a href="mailto:Bob.Smith@acme.test?subject=hi">Bob</a>
<a href="mailto:someone@other.example">Other</a> <a href="javascript:void(0)">JS</a>
<p>Write to carol [at] acme [dot] test, dave(at)acme(dot)test, erin {at} sales.acme.test,
 or frank at acme dot test. Not: user@@acme.test</p>
<span data-cfemail="5a292f2a2a35282e1a3b39373f742e3f292e">[email protected]</span>
<script>var x = "hidden@acme.test";</script>
<div class="card"><h3>Grace Hopper</h3><p>VP Engineering</p></div>
<div class="card"><h3>Open Positions</h3><p>Head of nothing</p></div>
<a href="https://boards.greenhouse.io/embed/job_board?for=acmeco">Jobs</a>
<a href="https://jobs.eu.lever.co/acme-eu/">Lever</a>
<a href="https://apply.workable.com/acme-w/">Workable</a>
<a href="https://careers.smartrecruiters.com/AcmeSR">SR</a>
<a href="https://www.facebook.com/sharer/sharer.php?u=x">share</a>
<a href="https://www.facebook.com/acme">fb</a>
</body></html>"""


@pytest.fixture(scope="module")
def parsed():
    return site.parse_page(PAGE, "https://acme.test/team", "acme.test")


def test_page_basics(parsed):
    assert parsed.title == "Acme Anvils"
    assert parsed.description == "Anvils."
    assert parsed.og["description"] == "OG anvils."
    assert parsed.feeds == ["https://acme.test/news.atom", "https://acme.test/feed.json"]
    assert parsed.links[0].url == "https://acme.test/about"
    assert all(not link.url.startswith("javascript") for link in parsed.links)


def test_jsonld_survives_a_malformed_block(parsed):
    assert parsed.organization["name"] == "Acme"
    assert parsed.organization["founded"] == "2015"
    assert parsed.organization["employees"] == "50–200"
    assert parsed.organization["logo"] == "https://acme.test/logo.png"
    assert parsed.organization["same_as"] == ["https://github.com/acme"]
    assert parsed.notes == ["https://acme.test/team: JSON-LD block 2 is malformed and was skipped"]


def test_addresses_with_obfuscations_on_the_company_domain_only(parsed):
    assert parsed.addresses == [
        "bob.smith@acme.test",
        "support@acme.test",
        "carol@acme.test",
        "dave@acme.test",
        "erin@sales.acme.test",
        "frank@acme.test",
        "ada@acme.test",  # her JSON-LD Person's email
    ]


def test_people_need_a_name_and_a_title(parsed):
    assert [(p.name, p.title, p.address) for p in parsed.people] == [
        ("Ada Lovelace", "Chief Scientist", "ada@acme.test"),
        ("Grace Hopper", "VP Engineering", None),
    ]


def test_people_off_when_not_a_team_page():
    page = site.parse_page(PAGE, "https://acme.test/blog/x", "acme.test", people=False)
    assert [p.name for p in page.people] == ["Ada Lovelace"]  # structured data still counts


def test_social_and_ats_links(parsed):
    assert parsed.social == {
        "github": "https://github.com/acme",
        "facebook": "https://www.facebook.com/acme",
    }
    assert sorted((p, b) for p, b, _ in parsed.ats) == [
        ("greenhouse", "acmeco"),
        ("lever", "acme-eu"),
        ("smartrecruiters", "AcmeSR"),
        ("workable", "acme-w"),
    ]


def test_garbage_html_does_not_raise():
    page = site.parse_page("\x00\x01<<<>>>", "https://acme.test/", "acme.test")
    assert page.addresses == [] and page.people == []


@pytest.mark.parametrize("text", ["Jane Doe", "Tom O'Brien", "Ludwig van Beethoven"])
def test_looks_like_name(text):
    assert site.looks_like_name(text)


@pytest.mark.parametrize(
    "text", ["Our Values", "Head Office", "Open roles 2026", "jane doe", "Acme"]
)
def test_does_not_look_like_name(text):
    assert not site.looks_like_name(text)


# ---------------------------------------------------------------------------------- feeds
RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>Old</title><link>https://acme.test/old</link>
<pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></item>
<item><title>New</title><link>/new</link><pubDate>Tue, 02 Jan 2026 00:00:00 GMT</pubDate></item>
<item><title>No link</title></item>
<item><title>Undated</title><link>https://acme.test/undated</link></item>
</channel></rss>"""


def test_rss_posts_newest_first_with_sitemap_dates():
    posts, problem = feeds.parse_feed(RSS, "https://acme.test/feed")
    assert problem is None
    ordered = feeds.newest_first(posts, {"https://acme.test/undated": "2025-05-05"})
    assert [(p.title, p.published) for p in ordered] == [
        ("New", "2026-01-02"),
        ("Undated", "2025-05-05"),
        ("Old", "2024-01-01"),
    ]
    assert ordered[0].url == "https://acme.test/new"


def test_json_feed():
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [
            {
                "id": "1",
                "title": "Hello",
                "url": "https://acme.test/hello",
                "date_published": "2026-03-01T10:00:00Z",
            },
            {"id": "2", "title": "Bad", "url": "javascript:alert(1)"},
        ],
    }
    posts, problem = feeds.parse_feed(json.dumps(doc).encode(), "https://acme.test/feed.json")
    assert problem is None
    assert [(p.title, p.published) for p in posts] == [("Hello", "2026-03-01")]


def test_feed_body_that_is_a_url_is_never_fetched():
    # feedparser fetches a *string* that looks like a URL; we only ever hand it a stream.
    posts, problem = feeds.parse_feed(b"http://169.254.169.254/latest", "https://acme.test/feed")
    assert posts == [] and "not a readable feed" in problem


def test_sitemap_and_index():
    urlset = b"""<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://acme.test/news/launch-day</loc><lastmod>2026-02-03T00:00:00Z</lastmod></url>
<url><loc>https://acme.test/about</loc><lastmod>not a date</lastmod></url>
<url><loc>&e;</loc></url></urlset>"""
    entries, children = feeds.parse_sitemap(urlset)
    assert [(e.url, e.lastmod) for e in entries] == [
        ("https://acme.test/news/launch-day", "2026-02-03"),
        ("https://acme.test/about", None),
    ]
    assert children == []
    posts = feeds.posts_from_sitemap(entries, "https://acme.test/sitemap.xml")
    assert [(p.title, p.published) for p in posts] == [("Launch day", "2026-02-03")]
    index = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://acme.test/s1.xml</loc></sitemap></sitemapindex>"""
    assert feeds.parse_sitemap(index) == ([], ["https://acme.test/s1.xml"])
    assert feeds.parse_sitemap(b"not xml at all") == ([], [])


# ---------------------------------------------------------------------------------- jobs
def test_ats_api_urls():
    e = Endpoints()
    assert (
        jobs.api_url("greenhouse", "acme", e)
        == "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    )
    assert jobs.api_url("lever", "acme", e) == "https://api.lever.co/v0/postings/acme?mode=json"
    assert jobs.api_url("ashby", "acme", e) == "https://api.ashbyhq.com/posting-api/job-board/acme"
    assert jobs.api_url("lever", "a/../b", e).endswith("/v0/postings/a%2F..%2Fb?mode=json")


@pytest.mark.parametrize(
    ("provider", "board", "expected"),
    [
        (
            "greenhouse",
            "acmeanvils",
            ("Senior Python Engineer", "Engineering", "Sheffield, UK", "2026-11-02", "2026-11-18"),
        ),
        ("lever", "acme", ("Data Engineer", "Data Platform", "Remote (UK)", "2025-11-13", None)),
        ("ashby", "acme", ("Product Designer", "Product Design", "Sheffield", "2026-09-15", None)),
        (
            "workable",
            "acme",
            ("Blacksmith", "Workshop", "Sheffield, United Kingdom", "2026-08-01", None),
        ),
        (
            "smartrecruiters",
            "acme",
            ("Quality Inspector", "Quality", "Rotherham, gb", "2026-10-20", None),
        ),
    ],
)
def test_roles_from_each_ats_fixture(provider, board, expected):
    from pathlib import Path

    text = (
        Path(__file__).parent.parent / "fixtures" / "apis" / provider / f"{board}.json"
    ).read_text()
    roles = jobs.parse_roles(provider, board, text, "https://api.example/x")
    first = roles[0]
    assert (first.title, first.team, first.location, first.posted, first.updated) == expected
    assert first.url.startswith("https://")
    if provider == "ashby":
        assert len(roles) == 1  # the unlisted posting is left out


def test_ats_wrong_shape_raises_value_error():
    with pytest.raises(ValueError):
        jobs.parse_roles("greenhouse", "x", '{"unexpected": true}', "u")
    with pytest.raises(ValueError):
        jobs.parse_roles("lever", "x", '{"ok": false}', "u")


def test_role_matching_and_sorting():
    roles = [
        Role("Account Executive", "u1", "greenhouse", team="Sales", posted="2026-01-01"),
        Role("Senior Python Engineer", "u2", "lever", posted="2025-01-01"),
        Role("Designer", "u3", "ashby"),
        Role("Python Tutor", "u4", "ashby", posted="2026-02-01"),
    ]
    for role in roles:
        role.match = jobs.role_matches(role, "python engineer")
    assert [r.title for r in jobs.sort_roles(roles)] == [
        "Senior Python Engineer",
        "Python Tutor",
        "Account Executive",
        "Designer",
    ]
    assert not jobs.role_matches(roles[0], None)


@responses.activate
def test_greenhouse_answer_through_responses_mock():
    # Unit level: the parsing path on a mocked HTTP answer (the end-to-end tests use the server).
    url = "https://boards-api.greenhouse.io/v1/boards/x/jobs?content=true"
    responses.add(
        responses.GET,
        url,
        json={
            "jobs": [
                {
                    "title": "SRE",
                    "absolute_url": "https://b/1",
                    "updated_at": "2026-01-05T00:00:00Z",
                }
            ]
        },
    )
    text = requests.get(url, timeout=5).text
    assert [r.updated for r in jobs.parse_roles("greenhouse", "x", text, url)] == ["2026-01-05"]


# ---------------------------------------------------------------------------------- public data
def test_sparql_query_lists_url_variants():
    query = publicdata.sparql_query("acme.test", "http://acme.test:8080")
    for url in (
        "https://acme.test",
        "https://acme.test/",
        "http://www.acme.test/",
        "http://acme.test:8080/",
    ):
        assert f"<{url}>" in query
    assert "wdt:P856" in query


def test_wikidata_entity_ranks_and_dates():
    from pathlib import Path

    text = json.dumps(
        {
            "entities": {
                "Q4242": json.loads(
                    (Path(__file__).parent.parent / "fixtures/apis/wikidata/Q4242.json").read_text()
                )
            }
        }
    )
    item = publicdata.parse_entity(text, "Q4242")
    assert item.claims["founded"] == ["2014"]  # year precision
    assert item.claims["employees"] == ["115"]  # preferred rank wins, deprecated never
    assert item.enwiki == "Acme Anvils"
    assert item.social == {
        "x": "https://x.com/acmeanvils",
        "github": "https://github.com/acme-anvils",
    }
    assert item.referenced_ids() == ["Q187939", "Q42448", "Q99001", "Q99002"]
    with pytest.raises(ValueError):
        publicdata.parse_entity('{"entities": {"Q1": {"id": "Q1", "missing": ""}}}', "Q1")


def test_wikipedia_summary_and_disambiguation():
    assert publicdata.parse_summary('{"type": "disambiguation", "extract": "x"}', "u") is None
    summary = publicdata.parse_summary(
        json.dumps(
            {
                "type": "standard",
                "title": "A",
                "extract": "A is a company.",
                "content_urls": {"desktop": {"page": "javascript:alert(1)"}},
            }
        ),
        "https://w/A",
    )
    assert summary.url == "https://w/A"


# ---------------------------------------------------------------------------------- people
def test_classify_addresses_and_pair_with_people():
    staff = [
        Person("Jane Doe", "CEO", "s"),
        Person("Raj Patel", "CTO", "s"),
        Person("José Núñez", "CFO", "s"),
    ]
    found = [
        ("info@acme.test", "a"),
        ("jane.doe@acme.test", "b"),
        ("rpatel@acme.test", "c"),
        ("jnunez@acme.test", "d"),
        ("xyz@acme.test", "e"),
        ("press+eu@acme.test", "f"),
    ]
    result = people.classify(found, staff)
    assert [(a.address, a.kind, a.person) for a in result] == [
        ("info@acme.test", "role", None),
        ("jane.doe@acme.test", "personal", "Jane Doe"),
        ("rpatel@acme.test", "personal", "Raj Patel"),
        ("jnunez@acme.test", "personal", "José Núñez"),
        ("xyz@acme.test", "personal", None),
        ("press+eu@acme.test", "role", None),
    ]
    assert people.known_pairs(result) == [
        ("Jane Doe", "jane.doe@acme.test"),
        ("Raj Patel", "rpatel@acme.test"),
        ("José Núñez", "jnunez@acme.test"),
    ]
    assert staff[0].address == "jane.doe@acme.test"


def test_an_address_pairs_with_a_name_written_family_name_first():
    # Invented staff as a Hong Kong or Singapore site lists them: the family name first, then two
    # given-name syllables; their addresses put the family name last (tmchan@, bhlim@).
    staff = [
        Person("Chan Tai Man", "CEO", "s"),
        Person("Lim Boon Huat", "CTO", "s"),
        Person("Mrs de la Quarle", "CFO", "s"),
    ]
    found = [("tmchan@acme.test", "a"), ("bhlim@acme.test", "b"), ("dquarle@acme.test", "c")]
    result = people.classify(found, staff)
    assert [(a.address, a.person) for a in result] == [
        ("tmchan@acme.test", "Chan Tai Man"),
        ("bhlim@acme.test", "Lim Boon Huat"),
        ("dquarle@acme.test", None),  # no given name is known, so no initial d: de la is no given name
    ]


# ---------------------------------------------------------------------------------- the brief
def test_parse_company_forms():
    assert parse_company("acme.test", allow_private=True) == ("acme.test", None)
    assert parse_company("http://www.Acme.test:8080/about", allow_private=True) == (
        "acme.test",
        "http://www.acme.test:8080",
    )
    assert parse_company("jane@acme.com") == ("acme.com", None)
    with pytest.raises(BadInput, match="special-use"):
        parse_company("acme.test")


def _brief() -> Brief:
    b = Brief("acme.test", "https://acme.test", "2026-11-27T00:00:00Z", name="Acme <b>")
    b.facts = [
        Fact("founded", "2015", "https://acme.test/"),
        Fact("founded", "2014", "https://www.wikidata.org/wiki/Q1", "wikidata"),
        Fact("founded", "2015", "https://acme.test/about"),
        Fact(
            "description",
            'We <script>alert("x")</script> make [anvils](javascript:x).',
            "https://acme.test/",
        ),
    ]
    b.posts = [
        Post(
            "Launching <img src=x onerror=alert(1)>",
            "javascript:alert(1)",
            "2026-11-01",
            "https://acme.test/feed",
        )
    ]
    b.roles = [
        Role(
            "Python Dev",
            "https://jobs/1",
            "lever",
            posted="2026-10-01",
            match=True,
            source="https://api/x",
        )
    ]
    return b


def test_conflicting_facts_show_both_with_sources():
    b = _brief()
    assert [(f.value, f.source) for f in b.facts_for("founded")] == [
        ("2015", "https://acme.test/"),
        ("2014", "https://www.wikidata.org/wiki/Q1"),
    ]
    assert (
        "**Founded:** 2015 ([source](https://acme.test/)); 2014 ([source](https://www.wikidata.org/wiki/Q1))"
        in b.to_markdown()
    )


def test_html_is_escaped_and_self_contained():
    b = _brief()
    b.talking_points = talking_points(b)
    page = b.to_html()
    assert "<script>" not in page and "onerror=alert" not in page.replace(
        "onerror=alert(1)&gt;", ""
    )
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    assert "Launching &lt;img src=x onerror=alert(1)&gt;" in page
    assert "http://" not in page.split("<body>")[0].replace(
        "http-equiv", ""
    )  # nothing remote in head
    assert "Content-Security-Policy" in page


def test_markdown_is_escaped():
    text = _brief().to_markdown()
    assert "<script>" not in text and "](javascript" not in text.replace("\\]", "")
    assert "\\[anvils\\](javascript:x)" in text
    assert md("**bold** _it_ `code` | pipe") == "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\| pipe"


def test_markdown_and_html_escape_what_a_terminal_would_obey():
    # Whatever a source's text holds, the Markdown (md()) and the page never pass a terminal control
    # or bidi override on: a brief is read with cat and less, or printed to the terminal.
    b = _brief()
    b.name = "Acme Anvils\x1b]0;owned\x07\x1b[2J\u202e"
    for text in (b.to_markdown(), b.to_html()):
        assert not {"\x1b", "\x07", "\u202e"} & set(text)
        assert "Acme Anvils" in text


def test_talking_points_rest_on_sourced_facts():
    b = _brief()
    points = talking_points(b)
    assert 3 <= len(points) <= 5
    # The role that matches --role comes first, then the news (25 days old: still news).
    assert points[0].text == "Ask about the Python Dev role, posted on 2026-10-01."
    assert points[1].text.startswith("Congratulate them on “Launching")
    assert any("Python Dev role, posted on 2026-10-01" in p.text for p in points)
    assert all(p.source for p in points)


def test_to_dict_schema_is_stable():
    data = _brief().to_dict()
    assert list(data) == [
        "schema",
        "company",
        "generated_at",
        "role_keywords",
        "facts",
        "social",
        "posts",
        "roles",
        "people",
        "addresses",
        "address_format",
        "talking_points",
        "sources",
        "notes",
        "stats",
        # added later, keys only (a saved brief of the first shape still reads)
        "hiring",
        "tech_stack",
        "roles_searched",
        "sections",
    ]
    assert data["schema"] == "reachout.brief/1"
    assert list(data["roles"][0]) == [
        "title",
        "team",
        "location",
        "posted",
        "updated",
        "closes",
        "url",
        "provider",
        "source",
        "match",
        "remote",
        "salary",
        "employment_type",
        "hiring_manager",
        "also_listed",
    ]


# ---------------------------------------------------------------------------------- properties
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text())
def test_markdown_escape_leaves_no_markup(text):
    out = md(text)
    assert "<" not in out and ">" not in out
    assert "](" not in out.replace("\\]", "")
    assert all(ch.isprintable() for ch in out)


@given(st.text(alphabet=st.sampled_from(list("ab.@ []()atdo-_\n")), max_size=60))
def test_find_addresses_yields_only_valid_addresses(text):
    for address in site.find_addresses(text):
        assert site.EMAIL.fullmatch(address)


def _html_brief(title: str, value: str) -> str:
    b = Brief("acme.test", "https://acme.test", "2026-01-01T00:00:00Z", name=title)
    b.facts = [Fact("description", value, "https://acme.test/")]
    b.posts = [Post(title, "https://acme.test/p", None, "https://acme.test/feed")]
    return b.to_html()


def _tags(page: str) -> list[str]:
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.seen: list[str] = []

        def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
            self.seen.append(tag)

    parser = Tags()
    parser.feed(page)
    return parser.seen


@given(st.text(), st.text())
def test_html_brief_escapes_any_scraped_text(title, value):
    page = _html_brief(title, value)
    body = page.split("<body>", 1)[1]
    assert "<script" not in body.lower()  # the page has no script, and scraped text adds none
    # Scraped text adds no element: the page has the same tags as with harmless text in its place.
    harmless = _html_brief("t" if title.strip() else title, "v" if value.strip() else value)
    assert _tags(page) == _tags(harmless)


def test_html_brief_escapes_markup_in_scraped_text():
    page = _html_brief("<b>Acme</b>", "<img src=x onerror=alert(1)>")
    assert "&lt;b&gt;Acme&lt;/b&gt;" in page and "<b>Acme" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img" not in page


def test_microdata_organization_and_person():
    html = """<html><body>
<div itemscope itemtype="https://schema.org/Organization"><span itemprop="name">Micro Co</span>
 <span itemprop="foundingDate">1999</span>
 <div itemprop="founder" itemscope itemtype="https://schema.org/Person">
  <span itemprop="name">Ann Lee</span></div>
 <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
  <span itemprop="addressLocality">Leeds</span></div></div>
<div itemscope itemtype="https://schema.org/Person"><span itemprop="name">Bo Chan</span>
 <span itemprop="jobTitle">CFO</span></div></body></html>"""
    page = site.parse_page(html, "https://micro.test/", "micro.test")
    assert page.organization == {"name": "Micro Co", "founded": "1999", "founders": ["Ann Lee"],
                                 "address": "Leeds"}
    assert [(p.name, p.title) for p in page.people] == [("Bo Chan", "CFO")]


def test_ats_links_skip_job_paths_and_read_subdomains():
    links = site.ats_links(["https://apply.workable.com/j/ABC123", "https://acme.workable.com/",
                            "https://boards.greenhouse.io/acmeanvils/jobs/1001"])
    assert sorted((p, b) for p, b, _ in links) == [("greenhouse", "acmeanvils"),
                                                   ("workable", "acme")]
