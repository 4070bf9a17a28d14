"""Every source's parser on answers drawn from its own declared shape (tests/shapes.py): valid ones,
wrong types at any field, nulls, junk, cut-short bodies and bodies nested thousands deep. Whatever
comes back, a parser returns normally or raises BadAnswer (its source's note), nothing else."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from reachout.company import wiki
from reachout.errors import BadAnswer
from reachout.research import feeds, jobs, publicdata, site
from tests.shapes import answers

LENIENT = settings(deadline=None, max_examples=60,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def returns_or_bad_answer(parse, body):
    notes: list[str] = []
    try:
        parse(body, notes)
    except BadAnswer as exc:
        assert str(exc).strip() and "\n" not in str(exc)
    assert all(isinstance(n, str) and n for n in notes)


PARSERS = {
    "Wikidata search": (wiki.SEARCH, wiki.parse_search),
    "Wikidata entities": (publicdata.ENTITIES,
                          lambda text, notes: wiki.parse_entities(text, ["de", "en"], notes)),
    "Wikipedia parse": (wiki.PARSE, wiki.parse_wikitext),
    "Wikidata SPARQL": (publicdata.SPARQL, publicdata.items_from_sparql),
    "Wikidata item": (publicdata.ENTITIES, lambda text, notes: publicdata.parse_entity(text, "Q1", notes)),
    "Wikidata labels": (publicdata.LABELS, publicdata.labels_from_entities),
    "Wikipedia summary": (publicdata.SUMMARY,
                          lambda text, notes: publicdata.parse_summary(text, "https://w.test/A", notes)),
    "Workday posting": (jobs.WORKDAY_POSTING,
                        lambda text, notes: jobs.workday_detail(jobs.Role("T", "", "workday"), text,
                                                                "2026-12-07T00:00:00Z", notes)),
    **{
        f"{provider} board": (shape, lambda text, notes, provider=provider: jobs.parse_roles(
            provider, "acme/External", text, "https://w.test/wday/cxs/acme/External/jobs",
            link="https://acme.wd5.myworkdayjobs.com/External", fetched_at="2026-12-07T00:00:00Z",
            notes=notes))
        for provider, shape in jobs.BOARDS.items()
    },
}


@pytest.mark.parametrize("source", sorted(PARSERS))
def test_every_parser_returns_or_says_bad_answer(source):
    shape, parse = PARSERS[source]

    @LENIENT
    @given(answers(shape))
    def check(body):
        returns_or_bad_answer(parse, body)

    check()


@LENIENT
@given(answers(feeds.JSON_FEED))
def test_a_json_feed_is_read_or_named_as_unreadable(body):
    posts, problem = feeds.parse_feed(("{" + body[1:] if body[:1] == "{" else "{" + body).encode(),
                                      "https://a.test/feed.json")
    assert problem is None or problem.startswith("https://a.test/feed.json: JSON feed")
    assert all(p.url.startswith(("http://", "https://")) for p in posts)


@settings(deadline=None, max_examples=30,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(answers(site.JSONLD))
def test_a_json_ld_block_is_read_or_skipped_with_a_note(body):
    html = ('<html><body><script type="application/ld+json">' + body.replace("</", "<\\/")
            + "</script><h1>Acme</h1></body></html>")
    page = site.parse_page(html, "https://a.test/", "a.test")
    assert page.title is None or isinstance(page.title, str)


def test_every_board_has_a_declared_shape():
    # A new provider must come with its shape (and so with these tests).
    providers = {"greenhouse", "lever", "ashby", "workable", "smartrecruiters", "workday"}
    assert providers | {"recruitee"} == set(jobs.BOARDS)
