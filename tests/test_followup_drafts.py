"""Drafts: every placeholder filled or its sentence left out; one recent, sourced brief fact."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reachout.followup import Tracker
from reachout.followup.briefs import brief_path, load_brief, pick_fact
from reachout.followup.drafts import load_template, render
from reachout.followup.rules import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "briefs"
D = dt.date
TEMPLATES = sorted({rule.template for rule in load_rules().rules})
FIELDS = [
    "first_name",
    "name",
    "role",
    "company",
    "posting_url",
    "applied_when",
    "when",
    "topic",
    "topic_ask",
    "fit",
    "referrer",
    "until",
    "fact_title",
    "fact_url",
    "fact_when",
]

# Text a user might type: letters, digits, spaces, punctuation, accents; no braces (those are
# tested separately) and never the bare word None.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="{}"),
    min_size=0,
    max_size=40,
)
_value = st.one_of(st.none(), st.just(""), st.just("   "), st.just("None"), _text)


def _problems(text: str) -> list[str]:
    found = []
    if "{" in text or "}" in text:
        found.append("a literal placeholder")
    if re.search(r"\bNone\b", text):
        found.append("the word None")
    if re.search(r"[^\S\n]{2,}", text):
        found.append("a double space")
    if re.search(r" [,.;:)]", text) or "()" in text or '""' in text:
        found.append("a hole before punctuation")
    for line in text.splitlines():
        if line != line.strip():
            found.append(f"stray whitespace in {line!r}")
    return found


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_renders_cleanly_with_everything_missing(name):
    rendered = render(load_template(name), {})
    assert rendered.subject and "{" not in rendered.subject
    assert _problems(rendered.body) == []
    assert rendered.body.splitlines()[0] == "Hello,"
    assert "sender" in rendered.missing


@pytest.mark.parametrize("name", TEMPLATES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.fixed_dictionaries({key: _value for key in FIELDS}),
    sender=_value,
    feedback=st.booleans(),
)
def test_drafts_never_show_a_hole(name, values, sender, feedback):
    rendered = render(load_template(name), values, flags={"ask_feedback": feedback}, sender=sender)
    # User text may itself contain odd spacing; check the template's own joins on sanitised values.
    assert "{" not in rendered.subject and "{" not in rendered.body
    assert not re.search(r"\bNone\b", rendered.subject + rendered.body.replace(str(sender), ""))
    assert rendered.body.strip() == rendered.body
    assert "\n\n\n" not in rendered.body


def test_template_joins_are_clean_for_realistic_values():
    values = {
        "first_name": "Ana",
        "role": "Data Engineer",
        "company": "Acme",
        "when": "today",
        "topic": "the move to streaming",
        "fit": "my five years running data pipelines",
    }
    rendered = render(load_template("thank_you"), values, sender="Sam Doe")
    assert _problems(rendered.body) == []
    assert rendered.body.startswith(
        "Dear Ana,\n\nThank you for speaking with me today about the "
        "Data Engineer position at Acme. I especially enjoyed our "
        "conversation about the move to streaming"
    )
    assert rendered.body.endswith("Best regards,\nSam Doe")
    assert rendered.subject == "Thank you: Data Engineer interview"


def test_a_missing_topic_drops_its_sentence_not_half_of_it():
    rendered = render(load_template("thank_you"), {"first_name": "Ana", "role": "Data Engineer"})
    assert "conversation about" not in rendered.body
    assert "topic" in rendered.missing
    assert "Thank you for speaking with me about the Data Engineer position." in rendered.body


def test_placeholders_inside_values_are_not_expanded():
    rendered = render(load_template("thank_you"), {"first_name": "{role}", "role": "QA {x}"})
    assert "Dear (role)," in rendered.body and "QA (x)" in rendered.body


def test_feedback_request_only_when_asked():
    values = {"first_name": "Hana", "role": "Data Engineer", "company": "Acme"}
    plain = render(load_template("declined"), values).body
    asked = render(load_template("declined"), values, flags={"ask_feedback": True}).body
    assert "feedback" not in plain and "brief feedback" in asked
    assert "keep me in mind" not in plain and "kept me in mind for future roles" in plain


def test_pick_fact_takes_the_newest_dated_item_with_a_url():
    brief = json.loads((FIXTURES / "acme-posts.json").read_text(encoding="utf-8"))
    fact = pick_fact(brief, on=D(2026, 11, 27), max_age_days=180)
    assert (fact.title, fact.url, fact.published, fact.kind) == (
        "Acme opens a Lisbon office",
        "https://acme.example/blog/lisbon",
        D(2026, 11, 24),
        "posts",
    )
    # Before the Lisbon post existed, the newest is the streaming post; RFC 2822 dates parse too.
    assert pick_fact(brief, on=D(2026, 11, 20), max_age_days=180).url.endswith("/streaming")
    assert pick_fact(brief, on=D(2026, 11, 10), max_age_days=180).url.endswith("acme-series-b")
    # Nothing recent enough: no fact rather than a stale one.
    assert pick_fact(brief, on=D(2027, 12, 1), max_age_days=30) is None


def test_pick_fact_cleans_text_and_refuses_non_web_urls():
    brief = json.loads((FIXTURES / "acme-talking-points.json").read_text(encoding="utf-8"))
    fact = pick_fact(brief, on=D(2026, 11, 27), max_age_days=180)
    assert fact.url == "https://pycon.example/talks/acme"
    assert fact.title == "Acme's CTO spoke at PyCon about (templating) and nulls"


@pytest.mark.parametrize("name", ["unknown-shape.json", "list-root.json", "truncated.json"])
def test_briefs_of_unknown_shape_are_ignored_cleanly(reachout_home, name):
    target = brief_path("acme.example")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(FIXTURES / name, target)
    brief = load_brief("acme.example")
    assert pick_fact(brief, on=D(2026, 11, 27), max_age_days=180) is None


def _tracker_with_brief(reachout_home, brief: str | None) -> Tracker:
    if brief:
        target = brief_path("acme.example")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / brief, target)
    tracker = Tracker(zone="Europe/Paris")
    tracker.add(
        "acme.example",
        "Data Engineer",
        applied_on=D(2026, 11, 16),
        posting_url="https://acme.example/jobs/42",
    )
    tracker.add_person(1, "Hana Ito", role="hiring_manager", email="hana@acme.example")
    return tracker


def test_posting_draft_cites_one_recent_fact_from_the_brief(reachout_home):
    with _tracker_with_brief(reachout_home, "acme-posts.json") as tracker:
        (item,) = tracker.due(on=D(2026, 11, 27))
        draft = tracker.draft(item.id, on=D(2026, 11, 27), sender="Sam Doe")
    assert draft.text.startswith(
        "To: Hana Ito <hana@acme.example>\n"
        "Subject: Following up: Data Engineer application\n\nDear Hana,"
    )
    assert '"Acme opens a Lisbon office" (https://acme.example/blog/lisbon)' in draft.body
    assert draft.body.count("https://acme.example/blog/") == 1
    assert "Acme Analytics" in draft.body  # the brief's name for a company typed as a domain
    assert draft.fact is not None and draft.fact.url == "https://acme.example/blog/lisbon"
    assert draft.to_dict()["fact"]["published"] == "2026-11-24"
    assert _problems(draft.body) == []


def test_posting_draft_without_a_brief_omits_the_research_sentence(reachout_home):
    with _tracker_with_brief(reachout_home, None) as tracker:
        (item,) = tracker.due(on=D(2026, 11, 27))
        draft = tracker.draft(item.id, on=D(2026, 11, 27))
    assert "read" not in draft.body and draft.fact is None
    assert "fact_title" in draft.missing
    assert _problems(draft.body) == []


_words = st.from_regex(r"[A-Za-zÀ-ÿ]{1,8}( [A-Za-zÀ-ÿ]{1,8}){0,3}", fullmatch=True).filter(
    lambda text: "None" not in text.split()
)


@pytest.mark.parametrize("name", TEMPLATES)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.fixed_dictionaries(
        {key: st.one_of(st.none(), st.just(""), st.just("None"), _words) for key in FIELDS}
    ),
    sender=st.one_of(st.none(), _words),
)
def test_drafts_from_any_mix_of_known_and_missing_fields_read_cleanly(name, values, sender):
    rendered = render(load_template(name), values, sender=sender)
    assert _problems(rendered.subject) == [] and _problems(rendered.body) == []
    *paragraphs, closing = rendered.body.split("\n\n")
    for paragraph in paragraphs:
        # A sentence that lost a placeholder would end mid-way; every paragraph ends as prose does.
        assert paragraph[-1] in ".?!,", paragraph
    assert closing.splitlines()[0].endswith(",")
    for key, value in values.items():
        if value in (None, "", "None"):
            assert f"{{{key}}}" not in rendered.body


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("Dear {frist_name},", "unknown placeholder {frist_name}"),
        ("{?ask_salary}What is the pay?", "unknown flag {?ask_salary}"),
        ("Dear {first_name,", "broken placeholder"),
    ],
)
def test_a_user_template_with_a_typo_is_a_data_error(tmp_path, line, message):
    from reachout.errors import DataError

    folder = tmp_path / "mine" / "followup" / "templates"
    folder.mkdir(parents=True)
    (folder / "thank_you.txt").write_text(f"Subject: Thanks\n{line}\n", encoding="utf-8")
    with pytest.raises(DataError, match=re.escape(message)):
        load_template("thank_you", tmp_path / "mine")


def test_the_tracker_fills_exactly_the_fields_templates_may_use(reachout_home):
    from reachout.followup.drafts import FIELDS as TEMPLATE_FIELDS

    assert set(FIELDS) == set(TEMPLATE_FIELDS)
    with _tracker_with_brief(reachout_home, None) as tracker:
        item = tracker.followups(on=D(2026, 11, 27))[0]
        app = tracker.store.application(1)
        event = tracker.store.events(1)[0]
        values = tracker._values(item, app, event, None, D(2026, 11, 27), None)
    assert set(values) == set(TEMPLATE_FIELDS)


@pytest.mark.parametrize(
    ("name", "greeted"),
    [
        ("Dr. Ana María Ruiz", "Ana"),
        ("KOWALSKI Jan", "Jan"),  # capitals mark the family name
        ("Doe, Jane", "Jane"),
        ("Univ.-Prof. Dipl.-Ing. Dr.techn. Karl Quarle", "Karl"),
        ("Xiuying Wang", "Xiuying"),
        ("Lin Xiuying", None),  # family name first or not: a neutral greeting, never "Dear Lin"
        ("Wang Xiuying", "Xiuying"),  # Wang is no given name: the family name, written first
        ("J. Doe", None),
        ("", None),
        # A title read as the name, or a lone surname after one: no given name to greet.
        ("Dr Smith", None),
        ("Mrs Quarle", None),
        ("Lord Quarle", None),
        ("Lord Quarle of Tarnby", None),
        ("Prof Dr Quarle", None),
        ("Dr Phil Quarle", "Phil"),
        ("Don Quarle", "Don"),
        ("Sir Oona", None),  # greeted with the title: Dear Sir Oona
        ("Dr Quarle PhD", None),
        # A given name whose first word is never said alone is greeted whole (invented names).
        ("TAN Boon Huat", "Boon Huat"),  # two Hokkien syllables are one given name, never "Dear Boon"
        ("Kim, Min Jun", "Min Jun"),
        ("Abdul Rahman Quarle", "Abdul Rahman"),  # Abdul, "servant of", is never a name alone
        ("Juan Carlos Quarle", "Juan"),
        # Vietnamese names greet the given name, the last word in their own order, never Văn or Thị.
        ("Nguyen Van Khoi", "Khoi"),
        ("NGUYEN Van Khoi", "Khoi"),
        ("Thi Lua DO", "Lua"),
        ("Trinh Thi Thu Lua", "Lua"),
    ],
)
def test_a_greeting_names_the_given_name_only_when_the_reader_is_sure(name, greeted):
    from reachout.followup.trackerfile import Person

    assert Person(1, 1, name, "other").first_name == greeted
