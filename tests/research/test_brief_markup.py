"""Unit tests of the readers behind the real-site fixtures: dates, legal notices, embeds, app data."""

from __future__ import annotations

import pytest

from reachout.research import site
from reachout.research.feeds import parse_sitemap, posts_from_sitemap
from reachout.research.jobs import roles_from_jsonld
from reachout.research.legal import parse_notice
from reachout.research.pagedates import iso_date, text_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("27. November 2026", "2026-11-27"),
        ("Publié le 27 novembre 2026", "2026-11-27"),
        ("1er décembre 2026", "2026-12-01"),
        ("November 27, 2026", "2026-11-27"),
        ("Nov 3rd, 2026", "2026-11-03"),
        ("3 Mar. 2025", "2025-03-03"),
        ("3. März 2025", "2025-03-03"),
        ("12 de marzo de 2026", "2026-03-12"),
        ("27.11.2026", "2026-11-27"),
        ("2026-11-27T10:00:00Z", "2026-11-27"),
        ("31 February 2026", None),  # not a day
        ("Version 2.14.2026", None),  # no 14th month
        ("May the 4th be with you, 2026", None),
        ("11/27/2026", None),  # slashes are ambiguous: no guess
        ("", None),
    ],
)
def test_text_date(text, expected):
    assert text_date(text) == expected


def test_iso_date():
    assert iso_date("2026-11-18T14:00:00-08:00") == "2026-11-18"
    assert iso_date("2026-13-01") is None and iso_date(None) is None


def test_impressum():
    notice = parse_notice(
        [
            "Impressum",
            "Angaben gemäß § 5 DDG",
            "Muster & Söhne GmbH & Co. KG",
            "Hauptstr. 5",
            "80331 München",
            "Vertretungsberechtigter Geschäftsführer: Max Mustermann",
            "Registergericht: Amtsgericht München",
            "Registernummer: HRA 98765",
            "USt-IdNr.: DE999999999",
        ]
    )
    assert notice.legal_name == "Muster & Söhne GmbH & Co. KG"
    assert notice.address == "Hauptstr. 5, 80331 München"
    assert notice.register == ["Amtsgericht München, HRA 98765"]
    assert notice.vat_id == "DE999999999"
    assert notice.directors == [("Max Mustermann", "Geschäftsführer")]
    assert notice.facts()["managing_directors"] == ["Max Mustermann"]


def test_mentions_legales_publication_director_is_not_a_managing_director():
    notice = parse_notice(
        [
            "Raison sociale : Exemple Conseil SARL",
            "Siège social : 4 avenue Foch, 75016 Paris",
            "SIRET : 123 456 789 00012",
            "Directeur de la publication : Paul Martin",
        ]
    )
    assert notice.legal_name == "Exemple Conseil SARL"
    assert notice.address == "4 avenue Foch, 75016 Paris"
    assert notice.register == ["SIRET 123 456 789 00012"]
    assert notice.directors == [("Paul Martin", "Directeur de la publication")]
    assert "managing_directors" not in notice.facts()


def test_austrian_swiss_and_court_after_number_registers():
    notice = parse_notice(
        [
            "Handelsregister: HRB 12345, Amtsgericht Hamburg",
            "Firmenbuchnummer: FN 123456a",
            "Firmenbuchgericht: Handelsgericht Wien",
            "UID: CHE-123.456.789",
        ]
    )
    assert notice.register == [
        "Amtsgericht Hamburg, HRB 12345",
        "Handelsgericht Wien, FN 123456a",
        "UID CHE-123.456.789",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Łukasz Nowak", True),
        ("Ólafur Arnalds", True),
        ("Ludwig van Beethoven", True),
        ("Tom O'Brien", True),
        ("Our Team", False),
        ("jane doe", False),
        ("Anna", False),
        ("Chief Executive", False),
        ("Jane Doe 2", False),
        # Titles, honours and degrees around a name (universities', parliaments' pages).
        ("Prof. Dr. med. Anna Quarle", True),
        ("Univ.-Prof. Dipl.-Ing. Dr.techn. Karl Quarle", True),
        ("Dr. Jane Doe, PhD", True),
        ("Rt Hon Sir Oona Vettel KCB MP", True),
        ("Prof. Dr.", False),
        ("Jane Doe, Chief Executive", False),
    ],
)
def test_looks_like_name(text, expected):
    assert site.looks_like_name(text) is expected


def test_a_footer_states_only_what_is_labelled():
    line = (
        "© 2026 Kiln Studio Ltd. Kiln Studio Ltd is registered in England and Wales, company"
        " number 11223344. Registered office: 12 Canal Wharf, Leeds LS11 5PS."
    )
    notice = parse_notice(["Acme GmbH", "Hauptstr. 5", "80331 München", line], footer=True)
    assert notice.facts() == {
        "address": "12 Canal Wharf, Leeds LS11 5PS",
        "register": ["Company number 11223344 (England and Wales)"],
    }
    assert parse_notice(["Our address: we moved", "Contact: 10119 Berlin"], footer=True).facts() == {}


def test_a_page_without_a_notice_states_nothing():
    assert parse_notice(["Welcome", "We make kilns.", "Contact us"]).facts() == {}


def test_ats_embeds_in_scripts_and_iframes():
    html = """<html><body>
    <div id="grnhse_app"></div>
    <script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>
    <iframe data-src="https://job-boards.eu.greenhouse.io/embed/job_board?for=acmeeu&amp;b=x"></iframe>
    <script>fetch("https:\\/\\/api.lever.co\\/v0\\/postings\\/acme-lever?mode=json")</script>
    <script src="https://jobs.ashbyhq.com/acme-ash/embed?version=2"></script>
    </body></html>"""
    page = site.parse_page(html, "https://acme.com/careers", "acme.com")
    assert sorted((p, b) for p, b, _ in page.ats) == [
        ("ashby", "acme-ash"),
        ("greenhouse", "acme"),
        ("greenhouse", "acmeeu"),
        ("lever", "acme-lever"),
    ]


def test_linkedin_person_profiles_are_not_the_company_profile():
    urls = ["https://www.linkedin.com/in/jane", "https://www.linkedin.com/company/acme"]
    assert site.social_links(urls) == {"linkedin": "https://www.linkedin.com/company/acme"}
    assert site.social_links(urls[:1]) == {}


def test_cloudflare_href_and_comment_feeds():
    html = """<html><head>
    <link rel="alternate" type="application/rss+xml" title="A &raquo; Feed" href="/feed/">
    <link rel="alternate" type="application/rss+xml" title="A &raquo; Comments Feed" href="/comments/feed/">
    <link rel="alternate" type="application/rss+xml" title="A &raquo; Post Comments Feed" href="/p/feed/">
    </head><body><a href="/cdn-cgi/l/email-protection#5a2a283f29291a31333634742e3f292e">x</a>
    </body></html>"""
    page = site.parse_page(html, "https://kiln.test/", "kiln.test")
    assert page.feeds == ["https://kiln.test/feed/"]
    assert page.addresses == ["press@kiln.test"]
    assert not any("cdn-cgi" in link.url for link in page.links)


def test_next_data_gives_links_people_and_schema_items():
    html = """<html><body><div id="__next"></div><script id="__NEXT_DATA__" type="application/json">
    {"props":{"pageProps":{"nav":[{"label":"Careers","href":"/careers"}],
     "people":[{"name":"Ada Lovelace","title":"Chief Scientist","links":{"x":"https://x.com/ada"}}],
     "ld":{"@type":"Organization","name":"Acme","legalName":"Acme Inc."},
     "email":"hi@acme.com"}}}</script></body></html>"""
    page = site.parse_page(html, "https://acme.com/", "acme.com")
    assert [(link.url, link.text) for link in page.links] == [("https://acme.com/careers", "Careers")]
    assert [(p.name, p.title, p.profile) for p in page.people] == [
        ("Ada Lovelace", "Chief Scientist", "https://x.com/ada")
    ]
    assert page.organization["legal_name"] == "Acme Inc."
    assert page.addresses == ["hi@acme.com"]


def test_broken_next_data_costs_nothing():
    html = '<html><body><script id="__NEXT_DATA__" type="application/json">{not json</script></body></html>'
    page = site.parse_page(html, "https://acme.com/", "acme.com")
    assert page.links == [] and page.people == []


def test_dated_list_items_need_one_link_and_a_date():
    html = """<html><body><nav><ul><li><a href="/x">Home</a> 1 May 2026</li></ul></nav>
    <ul><li>2 June 2026 — <a href="/a">First news item</a></li>
    <li>no date <a href="/b">Second item</a></li>
    <li>3 June 2026 <a href="/c">One</a> <a href="/d">Two links</a></li></ul></body></html>"""
    assert site.dated_items(
        __import__("lxml.html").html.document_fromstring(html), "https://acme.com/news"
    ) == [("First news item", "https://acme.com/a", "2026-06-02")]


def test_job_posting_json_ld():
    roles = roles_from_jsonld(
        [
            {
                "@type": "JobPosting",
                "title": "Welder",
                "datePosted": "2026-11-02",
                "validThrough": "2027-01-15T23:59:59+01:00",
                "jobLocation": [
                    {"@type": "Place", "address": {"addressLocality": "Berlin", "addressCountry": "DE"}},
                    {"@type": "Place", "address": "Leipzig"},
                ],
            },
            {"@type": "JobPosting", "description": "no title"},
        ],
        "https://kessel.test/karriere",
    )
    assert [(r.title, r.location, r.posted, r.closes, r.url) for r in roles] == [
        ("Welder", "Berlin, DE; Leipzig", "2026-11-02", "2027-01-15", "https://kessel.test/karriere")
    ]


def test_news_sitemap_and_post_sitemap():
    data = b"""<?xml version="1.0"?>
    <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
    <url><loc>https://a.com/x1</loc><news:news><news:publication_date>2026-11-18T14:00:00Z</news:publication_date>
    <news:title>Big news</news:title></news:news></url>
    <url><loc>https://a.com/some-post/</loc><lastmod>2026-10-01</lastmod></url>
    <url><loc>https://a.com/blog/</loc><lastmod>2026-10-01</lastmod></url>
    </urlset>"""
    entries, _ = parse_sitemap(data)
    news = posts_from_sitemap(entries, "https://a.com/sitemap-2.xml")
    assert [(p.title, p.published) for p in news] == [("Big news", "2026-11-18")]
    posts = posts_from_sitemap(entries, "https://a.com/post-sitemap.xml")
    assert [(p.title, p.published) for p in posts] == [
        ("Big news", "2026-11-18"),
        ("Some post", "2026-10-01"),
    ]
    assert posts_from_sitemap(entries, "https://a.com/page-sitemap.xml")[1:] == []


def test_embedded_videos_posts_and_widgets_are_not_profiles():
    urls = [
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://platform.twitter.com/widgets.js",
        "https://x.com/hashtag/kilns",
        "https://www.instagram.com/p/Cabc123/",
        "https://www.linkedin.com/feed/update/urn:li:activity:1",
        "https://www.linkedin.com/posts/acme_post-activity-1",
        "https://www.youtube.com/@acme",
    ]
    assert site.social_links(urls) == {"youtube": "https://www.youtube.com/@acme"}


def test_ats_widgets_configured_by_account_name():
    html = """<html><body>
    <script>window.leverJobsOptions = {accountName: 'acme-lvr', includeCss: true};</script>
    <script>widget({"company_code":"AcmeSR","bg_color_widget":"#ffffff"});</script>
    <script src="https://www.workable.com/assets/embed.js"></script>
    <script src="https://boards.greenhouse.io/embed/job_app?for=acmegh&token=123"></script>
    <iframe src="https://www.youtube.com/embed/xyz"></iframe>
    </body></html>"""
    page = site.parse_page(html, "https://acme.com/careers", "acme.com")
    assert sorted((p, b) for p, b, _ in page.ats) == [
        ("greenhouse", "acmegh"),
        ("lever", "acme-lvr"),
        ("smartrecruiters", "AcmeSR"),
    ]
    assert page.social == {}


# ---------------------------------------------------------------------------------- properties
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_DATEISH = st.lists(
    st.sampled_from([*"0123456789. -,/", "er", "st", "März", "novembre", "Nov", "2026"]), max_size=20
).map("".join)


@given(_DATEISH)
def test_text_date_is_a_real_date_or_none(text):
    value = text_date(text)
    assert value is None or iso_date(value) == value


@given(st.lists(st.text(max_size=200), max_size=30))
def test_parse_notice_never_raises(lines):
    parse_notice(lines)
    parse_notice(lines, footer=True)


@given(st.text(max_size=3000))
def test_parse_page_never_raises_on_app_data(blob):
    html = f'<html><body><script id="__NEXT_DATA__" type="application/json">{blob}</script></body></html>'
    site.parse_page(html, "https://acme.com/", "acme.com", posts=True, legal=True)


def test_personio_account_link_feed_url_and_feed():
    from reachout.research.endpoints import Endpoints
    from reachout.research.jobs import api_url, parse_roles

    assert site.ats_links(["https://kesselwerk.jobs.personio.de/?language=de"]) == [
        ("personio", "kesselwerk", "https://kesselwerk.jobs.personio.de/?language=de")
    ]
    endpoints = Endpoints()
    assert api_url("personio", "kesselwerk", endpoints) == "https://kesselwerk.jobs.personio.de/xml"
    assert not any("{" in host for host in endpoints.hosts())
    com = api_url("personio", "acme", endpoints, link="https://acme.jobs.personio.com/")
    assert com == "https://acme.jobs.personio.com/xml"
    endpoints.point("personio", "http://127.0.0.1:8080/personio")
    assert api_url("personio", "acme", endpoints) == "http://127.0.0.1:8080/personio/acme/xml"
    feed = """<?xml version="1.0"?><workzag-jobs><position><id>7</id><name>Koch (m/w/d)</name>
    <office>Köln</office><createdAt>2026-01-02T00:00:00+00:00</createdAt></position>
    <position><id>8</id></position></workzag-jobs>"""
    roles = parse_roles("personio", "acme", feed, "src")
    assert [(r.title, r.location, r.posted, r.url) for r in roles] == [
        ("Koch (m/w/d)", "Köln", "2026-01-02", "https://acme.jobs.personio.de/job/7")
    ]
    with pytest.raises(ValueError):
        parse_roles("personio", "acme", "<html><body>Not found</body></html>", "src")
    with pytest.raises(ValueError):
        parse_roles(
            "personio", "acme", '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', "src"
        )


def test_lever_eu_accounts_answer_on_the_eu_api():
    from reachout.research.endpoints import Endpoints
    from reachout.research.jobs import api_url

    eu = api_url("lever", "acme", Endpoints(), link="https://jobs.eu.lever.co/acme")
    assert eu == "https://api.eu.lever.co/v0/postings/acme?mode=json"
    assert api_url("lever", "acme", Endpoints(), link="https://jobs.lever.co/acme").startswith(
        "https://api.lever.co/"
    )


def test_organization_with_several_addresses_gives_the_first():
    facts = site.organization_facts(
        {
            "@type": "Organization",
            "address": [
                {"streetAddress": "1 Main St", "addressLocality": "Leeds"},
                {"streetAddress": "2 High St", "addressLocality": "York"},
            ],
        }
    )
    assert facts["address"] == "1 Main St, Leeds"


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        ('<meta property="og:site_name" content="Og Name">', "Og Name"),
        ('<meta name="application-name" content="App Name">', "App Name"),
        (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            '"@type":"WebSite","name":"Site Name","url":"https://acme.com/"}</script>',
            "Site Name",
        ),
        ("<title>Welcome | Acme</title>", None),  # a title is not a name: nothing invented
    ],
)
def test_site_name_sources(head, expected):
    page = site.parse_page(f"<html><head>{head}</head><body></body></html>", "https://acme.com/", "acme.com")
    assert page.site_name == expected
    assert "website_name" not in page.organization


def test_an_address_pairs_with_a_titled_name():
    from reachout.research.people import name_matches

    assert name_matches("Prof. Dr.-Ing. Lena Vogt", "lena.vogt") == 2
    assert name_matches("Dr. Jane Doe, PhD", "jdoe") == 2
    assert name_matches("Prof. Dr.", "prof") == 0
    # A title and a surname: the title is no given name whose initial an address could start with.
    assert name_matches("Dr Smith", "dsmith") == 0
    assert name_matches("Prof. Quarle", "pquarle") == 0
    assert name_matches("Dr Smith", "smith") == 1
    assert name_matches("Don Smith", "dsmith") == 2
    # Every way the guesser reads a name pairs: capitals mark the family name, a nickname, an English
    # name beside a Chinese one, an umlaut expanded.
    assert name_matches("QUARLE Jan", "jquarle") == 2
    assert name_matches("Robert Quarle", "bob.quarle") == 1  # a usual short form: weakly
    assert name_matches("Peter Chan Kit Wing", "peter.chan") == 2
    assert name_matches("Jürgen Quarle", "juergen.quarle") == 2
