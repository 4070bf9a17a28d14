"""`reachout brief` end to end on fixture sites built the way common stacks publish: WordPress with
Yoast, Webflow/Squarespace-style markup, a Next.js app, ATS embeds, and German and French sites."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

from reachout import paths
from reachout.cli import cli


def brief(site, host, *args):
    argv = ["brief", site.url(host), "--format", "json", "--allow-private", *args]
    for entry in site.resolve(host):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def facts(data, key):
    return [(f["value"], f["source"]) for f in data["facts"] if f["key"] == key]


# ------------------------------------------------------------------------------ WordPress
@pytest.fixture
def kiln(site):
    return brief(site, "kiln.test", "--role", "firmware")


def test_wordpress_yoast_graph_gives_the_organisation(site, kiln):
    home = site.url("kiln.test")
    assert kiln["company"]["name"] == "Kiln Studio"
    assert facts(kiln, "legal_name") == [("Kiln Studio Ltd", home)]
    assert facts(kiln, "founded") == [("2019", home)]
    assert facts(kiln, "employees") == [("11–50", home)]
    assert facts(kiln, "language") == [("en-gb", home)]
    # The footer's Companies House line.
    assert facts(kiln, "register") == [("Company number 11223344 (England and Wales)", home)]
    assert facts(kiln, "address") == [("12 Canal Wharf, Leeds LS11 5PS", home)]
    social = {s["network"]: s["url"] for s in kiln["social"]}
    assert social == {
        "linkedin": "https://www.linkedin.com/company/kiln-studio",
        "x": "https://x.com/kilnstudio",
        "instagram": "https://www.instagram.com/kilnstudio/",
    }


def test_wordpress_feed_not_comments_and_post_sitemap(site, kiln):
    posts = {p["url"].replace(site.url("kiln.test"), "/"): p for p in kiln["posts"]}
    # The feed gives the titles; the comments feed is not news.
    assert posts["/leeds-workshop-opens/"]["title"] == "Our Leeds workshop opens its doors"
    assert posts["/leeds-workshop-opens/"]["published"] == "2026-11-24"
    assert not any("Comment on" in p["title"] for p in kiln["posts"])
    assert "/comments/feed/" not in site.paths("kiln.test")
    # Post permalinks have no /blog/ in them: the post sitemap still names them (slug titles).
    older = posts["/glaze-firing-schedules-explained/"]
    assert (older["title"], older["published"], older["kind"]) == (
        "Glaze firing schedules explained",
        "2026-03-09",
        "sitemap",
    )
    assert older["source"] == site.url("kiln.test", "/post-sitemap.xml")
    assert "/blog/" not in posts  # the posts page is an index, not a post
    # The index lists five child sitemaps, posts and pages last: those are read first.
    paths = site.paths("kiln.test")
    assert "/post-sitemap.xml" in paths and "/page-sitemap.xml" in paths
    assert "/product_tag-sitemap.xml" not in paths  # three children at most


def test_wordpress_press_list_with_time_elements(site, kiln):
    press = site.url("kiln.test", "/press/")
    page_posts = [(p["title"], p["url"], p["published"]) for p in kiln["posts"] if p["kind"] == "page"]
    assert page_posts == [
        (
            "Kiln Studio wins Yorkshire export award",
            "https://www.yorkshirepost.test/business/kiln-studio-wins-export-award",
            "2026-11-20",
        ),
        (
            "Kiln Studio partners with Leeds College of Art",
            site.url("kiln.test", "/press/kiln-studio-partners-with-leeds-college-of-art/"),
            "2026-09-02",
        ),
    ]
    assert {p["source"] for p in kiln["posts"] if p["kind"] == "page"} == {press}


def test_wordpress_greenhouse_embed_script_and_team_cards(site, kiln):
    roles = [(r["title"], r["provider"], r["match"]) for r in kiln["roles"]]
    assert roles == [("Firmware Engineer", "greenhouse", True)]
    team = site.url("kiln.test", "/team/")
    people = {p["name"]: (p["title"], p["address"], p["profile"], p["source"]) for p in kiln["people"]}
    assert people == {
        "Sam Hill": (
            "Founder & Managing Director",
            None,
            "https://www.linkedin.com/in/samhill-kilns/",
            team,
        ),
        "Aisha Khan": (
            "Head of Engineering",
            "aisha.khan@kiln.test",
            "https://uk.linkedin.com/in/aisha-khan-eng",
            team,
        ),
        "Tom Briggs": ("Kiln Technician", None, None, team),
        # The classic editor's <p><strong>Name</strong><br>Title</p>, a "Name – Title" heading
        # and an image caption "Name<br>Title"
        "Ruth Ellis": ("Office Manager", None, None, team),
        "Omar Haddad": ("Production Lead", None, None, team),
        "Li Wei": ("Glaze Chemist and Product Tester", None, None, team),
        # An English name beside a Chinese one pairs with the address made of it (the guesser's reader).
        "Peter Chan Kit Wing": ("Head of Design", "peter.chan@kiln.test", None, team),
    }
    addresses = {a["address"]: (a["kind"], a["person"]) for a in kiln["addresses"]}
    assert addresses == {
        "hello@kiln.test": ("role", None),  # "hello [at] kiln [dot] test"
        "press@kiln.test": ("role", None),  # Cloudflare's /cdn-cgi/l/email-protection#…
        "sales@kiln.test": ("role", None),  # "sales(at)kiln.test"
        "aisha.khan@kiln.test": ("personal", "Aisha Khan"),
        "peter.chan@kiln.test": ("personal", "Peter Chan Kit Wing"),
    }
    # robots.txt disallows /wp-admin/: never fetched.
    assert not any(p.startswith("/wp-admin") for p in site.paths("kiln.test"))


# ------------------------------------------------------------------- Webflow / Squarespace
@pytest.fixture
def loom(site):
    return brief(site, "loom.test")


def test_opengraph_only_site_gives_name_and_description(site, loom):
    home = site.url("loom.test")
    assert loom["company"]["name"] == "Loomworks"
    assert facts(loom, "og_description") == [
        ("Loomworks plans production for textile mills, from yarn to bolt.", home)
    ]
    assert facts(loom, "language") == [("en", home)]
    social = {s["network"]: s["url"] for s in loom["social"]}
    # Team members' LinkedIn profiles are theirs, not the company's.
    assert social == {
        "linkedin": "https://www.linkedin.com/company/loomworks-hq/",
        "github": "https://github.com/loomworks",
    }


def test_nested_card_grids_pair_names_titles_profiles_and_hidden_addresses(site, loom):
    page = site.url("loom.test", "/our-people")
    people = {p["name"]: (p["title"], p["address"], p["profile"]) for p in loom["people"]}
    assert people == {
        # mailto written as HTML character references
        "Priya Nair": (
            "Chief Executive Officer",
            "priya.nair@loom.test",
            "https://www.linkedin.com/in/priya-nair-loom",
        ),
        # Cloudflare-protected address inside the card
        "Sam Okafor": ("Head of Design", "sam.okafor@loom.test", "https://www.linkedin.com/in/samokafor"),
        # <strong>name</strong><br><span>title</span>; "lena [at] loom [dot] test" below it
        "Lena Ortiz": ("Talent Partner", "lena@loom.test", None),
    }
    assert {p["source"] for p in loom["people"]} == {page}
    addresses = {a["address"]: (a["kind"], a["person"]) for a in loom["addresses"]}
    assert addresses == {
        "hello@loom.test": ("role", None),
        "priya.nair@loom.test": ("personal", "Priya Nair"),
        "sam.okafor@loom.test": ("personal", "Sam Okafor"),
        "lena@loom.test": ("personal", "Lena Ortiz"),
        "jobs@loom.test": ("role", None),
    }


def test_ats_boards_found_in_embed_script_and_inline_fetch(site, loom):
    roles = {(r["title"], r["provider"], r["posted"]) for r in loom["roles"]}
    assert roles == {
        ("Customer Success Manager", "ashby", "2026-11-12"),  # jobs.ashbyhq.com/…/embed script
        ("Senior Backend Engineer", "lever", "2026-11-10"),  # fetch('https://api.lever.co/…')
    }
    assert {r["source"] for r in loom["roles"]} == {
        site.api("ashby") + "/posting-api/job-board/loomworks",
        site.api("lever") + "/v0/postings/loomworks-eng?mode=json",
    }


# ------------------------------------------------------------------------------ Next.js
@pytest.fixture
def nova(site):
    return brief(site, "nova.test", "--role", "data scientist")


def test_nextjs_facts_only_in_next_data(site, nova):
    home = site.url("nova.test")
    assert nova["company"]["name"] == "Nova Labs"
    assert facts(nova, "legal_name") == [("Nova Labs Inc.", home)]
    assert facts(nova, "founded") == [("2020-06-01", home)]
    assert facts(nova, "address") == [("500 Market St, 94105, San Francisco, CA, US", home)]
    assert facts(nova, "description") == [
        ("Nova Labs predicts battery health for electric vehicle fleets.", home)
    ]
    social = {s["network"]: s["url"] for s in nova["social"]}
    assert social == {
        "linkedin": "https://www.linkedin.com/company/nova-labs-ev",
        "github": "https://github.com/nova-labs",
    }
    # Navigation exists only in the JSON, and the crawl still followed it.
    assert {"/team", "/careers", "/newsroom", "/company/leadership"} <= set(site.paths("nova.test"))
    team, leadership = site.url("nova.test", "/team"), site.url("nova.test", "/company/leadership")
    people = {p["name"]: (p["title"], p["profile"], p["source"]) for p in nova["people"]}
    assert people == {
        # The team page (JSON) comes first in crawl order; the leadership page's JSON-LD Person
        # entries (founder, employee) add the rest.
        "Dana Whitfield": ("CEO & Co-founder", "https://www.linkedin.com/in/danawhitfield", team),
        "Marco Rossi": ("VP Engineering", None, team),
        "Priscilla Chen": (
            "Chief Financial Officer",
            "https://www.linkedin.com/in/priscilla-chen-cfo",
            leadership,
        ),
    }
    addresses = {a["address"]: (a["kind"], a["person"]) for a in nova["addresses"]}
    assert addresses == {
        "contact@nova.test": ("role", None),
        "p.chen@nova.test": ("personal", "Priscilla Chen"),  # schema.org Person email
    }


def test_job_posting_json_ld_with_closing_dates_and_embedded_boards(site, nova):
    careers = site.url("nova.test", "/careers")
    roles = [
        (r["title"], r["provider"], r["location"], r["posted"], r["closes"], r["match"])
        for r in nova["roles"]
    ]
    assert roles == [
        ("Battery Data Scientist", "site", "San Francisco, CA, US", "2026-11-03", "2026-12-31", True),
        ("Field Technician", "smartrecruiters", "Reno, us", "2026-11-08", None, False),
        ("Staff Platform Engineer", "greenhouse", "San Francisco, CA", "2026-11-01", None, False),
        ("Fleet Solutions Engineer", "site", "Remote", "2026-10-20", "2026-11-30", False),
    ]
    site_roles = [r for r in nova["roles"] if r["provider"] == "site"]
    assert [r["url"] for r in site_roles] == [careers + "#ds-7", careers]
    assert {r["source"] for r in site_roles} == {careers}


def test_news_sitemap_titles_and_dated_newsroom(site, nova):
    posts = [(p["title"], p["published"]) for p in nova["posts"]]
    assert posts == [
        ("Nova Labs opens a Berlin office", "2026-11-18"),
        ("Nova Labs raises $40M Series B led by Example Ventures", "2026-10-02"),
    ]


def test_markdown_shows_closing_date_and_profiles(site):
    argv = ["brief", site.url("nova.test"), "--allow-private"]
    for entry in site.resolve("nova.test"):
        argv += ["--resolve", entry]
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "(posted 2026-11-03, closes 2026-12-31) · site" in out
    assert "— CEO & Co-founder · [profile](https://www.linkedin.com/in/danawhitfield)" in out


# ------------------------------------------------------------------------------ German
@pytest.fixture
def kessel(site):
    return brief(site, "kessel.test", "--role", "schweißer")


def test_impressum_gives_legal_name_address_register_and_directors(site, kessel):
    home, imprint = site.url("kessel.test"), site.url("kessel.test", "/impressum")
    # The JSON-LD and the Impressum disagree on the legal name: both kept, each with its source.
    assert facts(kessel, "legal_name") == [("Kesselwerk GmbH", home), ("Kesselwerk Technik GmbH", imprint)]
    assert facts(kessel, "address") == [("Torstraße 123, 10119 Berlin", imprint)]
    assert facts(kessel, "register") == [("Amtsgericht Berlin-Charlottenburg, HRB 123456 B", imprint)]
    assert facts(kessel, "vat_id") == [("DE123456789", imprint)]
    assert facts(kessel, "managing_directors") == [("Anna Schmidt, Jörg Müller", imprint)]
    assert facts(kessel, "language") == [("de-de", home)]


def test_german_link_names_lead_to_team_careers_and_press(site, kessel):
    about = site.url("kessel.test", "/ueber-uns")
    people = {p["name"]: (p["title"], p["source"]) for p in kessel["people"]}
    assert people == {
        "Anna Schmidt": ("Geschäftsführerin", about),
        "Jörg Müller": ("Technischer Geschäftsführer", about),
        "Lukas Becker": ("Leiter Vertrieb", about),
        # A heading with academic titles is a person too (the address has none of them).
        "Prof. Dr.-Ing. Lena Vogt": ("Leiterin Entwicklung", about),
    }
    addresses = {a["address"]: (a["kind"], a["person"]) for a in kessel["addresses"]}
    assert addresses == {
        "info@kessel.test": ("role", None),  # HTML character references in running text
        "anna.schmidt@kessel.test": ("personal", "Anna Schmidt"),
        "lena.vogt@kessel.test": ("personal", "Prof. Dr.-Ing. Lena Vogt"),
        "kontakt@kessel.test": ("role", None),  # "kontakt(at)kessel.test"
        "vertrieb@kessel.test": ("role", None),  # "vertrieb [ät] kessel [punkt] test"
    }
    roles = [(r["title"], r["provider"], r["posted"], r["closes"], r["match"]) for r in kessel["roles"]]
    assert roles == [
        ("Schweißer (m/w/d)", "site", "2026-11-02", "2027-01-15", True),
        ("Vertriebsingenieur (m/w/d)", "greenhouse", "2026-11-16", None, False),
        ("Ausbildung Anlagenmechaniker (m/w/d) 2027", "personio", "2026-10-12", None, False),
    ]
    personio = kessel["roles"][2]
    assert personio["url"] == "https://kesselwerk.jobs.personio.de/job/1544871"
    assert (personio["team"], personio["location"]) == ("Produktion", "Leipzig")
    assert personio["source"] == site.api("personio") + "/kesselwerk/xml"
    assert kessel["roles"][0]["location"] == "Berlin, DE"
    presse = site.url("kessel.test", "/presse")
    posts = [(p["title"], p["url"], p["published"], p["source"]) for p in kessel["posts"]]
    assert posts == [
        (
            "Kesselwerk eröffnet Werk in Leipzig",
            site.url("kessel.test", "/presse/kesselwerk-eroeffnet-werk-in-leipzig"),
            "2026-11-27",
            presse,
        ),
        (
            "Neuer Dampfkessel DK 900 vorgestellt",
            site.url("kessel.test", "/presse/neuer-dampfkessel-dk-900"),
            "2026-03-03",
            presse,
        ),
    ]
    # The press list is read; each release it links is not a page worth the budget.
    assert not any(path.startswith("/presse/") for path in site.paths("kessel.test"))
    first = kessel["talking_points"][0]["text"]
    assert first == "Ask about the Schweißer (m/w/d) role, posted on 2026-11-02."
    assert kessel["talking_points"][1]["text"] == (
        "Congratulate them on “Kesselwerk eröffnet Werk in Leipzig” (2026-11-27)."
    )


# ------------------------------------------------------------------------------ French
def test_mentions_legales_and_french_pages(site):
    data = brief(site, "lumiere.test")
    home, legal = site.url("lumiere.test"), site.url("lumiere.test", "/mentions-legales")
    assert data["company"]["name"] == "Atelier Lumière"
    assert facts(data, "legal_name") == [("Atelier Lumière SAS", legal)]
    assert facts(data, "address") == [("12 rue de la République, 69002 Lyon", legal)]
    assert facts(data, "register") == [("RCS Lyon 812 345 678", legal)]
    assert facts(data, "vat_id") == [("FR12812345678", legal)]
    assert facts(data, "language") == [("fr", home)]
    team = site.url("lumiere.test", "/equipe")
    people = {p["name"]: (p["title"], p["profile"], p["source"]) for p in data["people"]}
    assert people == {
        "Claire Dubois": ("Présidente et cofondatrice", None, team),
        "Étienne Moreau": ("Directeur technique", "https://fr.linkedin.com/in/etienne-moreau", team),
    }
    roles = [(r["title"], r["provider"], r["location"], r["posted"], r["closes"]) for r in data["roles"]]
    assert roles == [
        ("Stage design lumière (6 mois)", "recruitee", "Lyon, France", "2026-11-20", "2026-12-20"),
        ("Ébéniste H/F", "workable", "Lyon, France", "2026-11-10", None),
    ]
    assert data["roles"][0]["url"] == "https://atelierlumiere.recruitee.com/o/stage-design-lumiere"
    presse = site.url("lumiere.test", "/presse")
    assert [(p["title"], p["published"], p["source"]) for p in data["posts"]] == [
        ("Atelier Lumière lève 5 millions d’euros", "2026-11-27", presse),
        ("Un nouvel atelier à Villeurbanne", "2026-10-01", presse),
    ]
    # "bonjour [arobase] lumiere [point] test" and "bonjour(at)lumiere.test": one role inbox
    assert [(a["address"], a["kind"]) for a in data["addresses"]] == [("bonjour@lumiere.test", "role")]


# ------------------------------------------------------------------------ follow-up tracker
def test_followup_add_takes_the_close_date_from_the_saved_brief(site, nova):
    careers = site.url("nova.test", "/careers")
    # `nova` ran the brief, which saved briefs/nova.test.json. The tracker (rightly) takes no
    # special-use domain, so the saved brief stands in for a real one's.
    saved = paths.user_dir() / "briefs"
    shutil.copy(saved / "nova.test.json", saved / "novalabs.example.json")

    def add(*args):
        argv = ["followup", "add", *args, "--domain", "novalabs.example", "--json"]
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    # The posting's validThrough becomes closes_on.
    assert (
        add("nova.test", "Battery Data Scientist", "--posting-url", careers + "#ds-7")["closes_on"]
        == "2026-12-31"
    )
    # Two postings share the careers page URL: the role title tells which one.
    assert add("nova.test", "Fleet Solutions Engineer", "--posting-url", careers)["closes_on"] == "2026-11-30"
    # An explicit --closes wins; an unknown posting gets none.
    assert (
        add("nova.test", "Battery Data Scientist", "--posting-url", careers, "--closes", "2027-01-05")[
            "closes_on"
        ]
        == "2027-01-05"
    )
    assert add("nova.test", "Janitor", "--posting-url", careers + "/janitor")["closes_on"] is None
