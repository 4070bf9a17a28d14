"""Every source's parser on answers drawn from its own declared shape (tests/shapes.py): valid ones,
wrong types at any field, nulls, junk, cut-short bodies and bodies nested thousands deep. Whatever
comes back, a parser returns normally or raises BadAnswer (its source's note), nothing else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reachout.company import wiki
from reachout.errors import BadAnswer
from reachout.evidence import europepmc, github, keyserver, mailarchive
from reachout.evidence.hits import Hit
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
    # The evidence sources' JSON answers (issue 20).
    "GitHub repositories": (github.REPOS, github.parse_repos),
    "GitHub commits": (github.COMMITS,
                       lambda text, notes: github.parse_commits(text, "acme/site", notes)),
    "Wikidata P2037": (github.entity_shape("Q1"),
                       lambda text, notes: github.parse_github_username(text, "Q1", notes)),
    "Europe PMC search": (europepmc.SEARCH,
                          lambda text, notes: europepmc.parse_search(text, "acme.com", notes)),
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


def test_a_q_id_too_long_for_int_is_ordered_not_a_crash():
    long = "Q" + "1" * 5000  # int() refuses text of more than 4,300 digits
    body = json.dumps({"results": {"bindings": [
        {"item": {"value": f"http://www.wikidata.org/entity/{long}"}},
        {"item": {"value": "http://www.wikidata.org/entity/Q42"}}]}})
    assert publicdata.items_from_sparql(body) == ["Q42", long]


def test_every_board_has_a_declared_shape():
    # A new provider must come with its shape (and so with these tests).
    providers = {"greenhouse", "lever", "ashby", "workable", "smartrecruiters", "workday"}
    assert providers | {"recruitee"} == set(jobs.BOARDS)


# --- the evidence sources' text answers: public-inbox Atom and the HKP key index ------------------
RECORDED = Path(__file__).parent / "fixtures" / "apis" / "evidence"
TEXT_PARSERS = {
    "mailarchive": (mailarchive.parse_atom, "publicinbox_search.atom"),
    "keyserver": (keyserver.parse_index, "hkp_index.txt"),
}


@st.composite
def hostile_bodies(draw: st.DrawFn, recorded: bytes) -> bytes:
    """A recorded answer cut short or with junk spliced in, random bytes or text, or XML nested
    thousands deep."""
    kind = draw(st.sampled_from(["cut", "splice", "binary", "text", "deep"]))
    if kind == "cut":
        return recorded[: draw(st.integers(0, len(recorded)))]
    if kind == "splice":
        at = draw(st.integers(0, len(recorded)))
        return recorded[:at] + draw(st.binary(max_size=64)) + recorded[at:]
    if kind == "binary":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        return draw(st.text(max_size=500)).encode("utf-8")
    depth = draw(st.integers(100, 5000))
    return (b'<feed xmlns="http://www.w3.org/2005/Atom">' + b"<entry>" * depth
            + b"</entry>" * depth + b"</feed>")


@pytest.mark.parametrize("source", sorted(TEXT_PARSERS))
def test_every_text_answer_is_read_or_named_as_unreadable(source):
    parse, fixture = TEXT_PARSERS[source]
    recorded = (RECORDED / fixture).read_bytes()

    @LENIENT
    @given(hostile_bodies(recorded))
    def check(body):
        try:
            hits = parse(body, "https://a.test/")
        except BadAnswer as exc:
            assert str(exc).strip() and "\n" not in str(exc)
            return
        assert all(isinstance(h, Hit) and isinstance(h.name, str) and "@" in h.address for h in hits)

    check()


def test_huge_text_answers_are_capped():
    entry = ('<entry><author><name>Ana Lima</name><email>ana.lima@acme.com</email></author>'
             '<updated>2026-11-30T18:22:05Z</updated></entry>')
    atom = f'<feed xmlns="http://www.w3.org/2005/Atom">{entry * 5_000}</feed>'
    assert len(mailarchive.parse_atom(atom, "u")) == mailarchive.MAX_ENTRIES
    index = "info:1:1\n" + "uid:Ana%20Lima%20%3Cana.lima%40acme.com%3E:1514764800::\n" * 50_000
    assert len(keyserver.parse_index(index, "u")) == keyserver.MAX_LINES - 1
    with pytest.raises(BadAnswer, match="larger than"):
        keyserver.parse_index(index * 4, "u")


# --- a company page's named addresses (evidence source `site`) -------------------------------------
@st.composite
def text_answers(draw: st.DrawFn, recorded: str) -> str:
    """A body for a text source: its recorded answer whole, cut short, with junk spliced in,
    nested thousands deep, or any text at all."""
    kind = draw(st.sampled_from(["whole", "cut", "splice", "deep", "junk"]))
    if kind == "whole":
        return recorded
    if kind == "cut":
        return recorded[: draw(st.integers(0, len(recorded) - 1))]
    if kind == "splice":
        at = draw(st.integers(0, len(recorded)))
        return recorded[:at] + draw(st.text(max_size=40)) + recorded[at:]
    if kind == "deep":
        depth = draw(st.integers(100, 100_000))
        return recorded[:200] + "<a>" * depth + "</a>" * draw(st.integers(0, depth))
    return draw(st.text(max_size=400))


@LENIENT
@given(text_answers('<html><body><h2>Press</h2><p>Media contact: Jane Doe, '
                    '<a href="mailto:jane.doe@acme.com">jane.doe@acme.com</a></p>'
                    '<div class="person"><h3>Bob Li</h3><p>CTO</p><p>bob.li@acme.com</p></div>'
                    '</body></html>'))
def test_a_company_page_gives_named_addresses_or_none(body):
    from reachout.evidence import site as evidence_site

    page = site.parse_page(body, "https://acme.com/press", "acme.com")
    hits = evidence_site.named_addresses(page, "https://acme.com/press", "2026-12-07")
    assert all(isinstance(h.name, str) and "@" in h.address for h in hits)


def test_the_recorded_page_gives_its_media_contact():
    from reachout.evidence import site as evidence_site

    html = ('<html><body><h2>Press</h2><p>Media contact: Jane Doe, '
            '<a href="mailto:jane.doe@acme.com">jane.doe@acme.com</a></p></body></html>')
    page = site.parse_page(html, "https://acme.com/press", "acme.com")
    hits = evidence_site.named_addresses(page, "https://acme.com/press", "2026-12-07")
    assert [(h.name, h.address) for h in hits] == [("Jane Doe", "jane.doe@acme.com")]
