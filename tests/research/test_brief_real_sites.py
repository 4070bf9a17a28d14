"""`reachout brief` end to end on fixture sites built the way common stacks publish: WordPress with
Yoast, Webflow/Squarespace-style markup, a Next.js app, ATS embeds, and German and French sites."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

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
    }
    addresses = {a["address"]: (a["kind"], a["person"]) for a in kiln["addresses"]}
    assert addresses == {
        "hello@kiln.test": ("role", None),  # "hello [at] kiln [dot] test"
        "press@kiln.test": ("role", None),  # Cloudflare's /cdn-cgi/l/email-protection#…
        "sales@kiln.test": ("role", None),  # "sales(at)kiln.test"
        "aisha.khan@kiln.test": ("personal", "Aisha Khan"),
    }
    # robots.txt disallows /wp-admin/: never fetched.
    assert not any(p.startswith("/wp-admin") for p in site.paths("kiln.test"))
