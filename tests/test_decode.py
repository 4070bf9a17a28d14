"""The one decoder for remote answers: any shape, depth or size becomes a note, never a crash."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given

from reachout.decode import Int, List, Map, Obj, OneOf, Str, check, decode_json, decode_xml
from reachout.errors import BadAnswer
from tests.shapes import answers

HITS = Obj({"search": List(Obj({"id": Str(pattern=r"Q\d+"), "label": Str()}, required=("id",)))},
           required=("search",))


def test_keeps_declared_fields_and_leaves_out_bad_items_with_a_note():
    notes: list[str] = []
    body = json.dumps({"search": [{"id": "Q1", "label": "Acme", "junk": 1}, {"id": 5}, "x",
                                  {"id": "Q2", "label": ["not", "a", "string"]}], "other": {}})
    doc = decode_json(body, HITS, source="Wikidata search", notes=notes)
    assert doc == {"search": [{"id": "Q1", "label": "Acme"}, {"id": "Q2"}]}
    assert notes == ["Wikidata search: left out 3 value(s) not in the documented shape "
                     "(search[1].id: expected a string, got a number; search[2]: expected an object, "
                     "got a string; search[3].label: expected a string, got a list)"]


def test_a_note_names_three_places_and_counts_the_rest():
    notes: list[str] = []
    decode_json(json.dumps({"search": [1] * 10}), HITS, source="s", notes=notes)
    assert notes[0].endswith("search[2]: expected an object, got a number and 7 more)")


@pytest.mark.parametrize(("body", "message"), [
    ('{"error": "x"}', "Wikidata search: the answer is not in the documented shape "
                       "(search: expected a list, got null)"),
    ("[]", "Wikidata search: the answer is not in the documented shape "
           "(the answer: expected an object, got a list)"),
    ('"entities"', "(the answer: expected an object, got a string)"),
    ('{"search": {"id": "Q1"}}', "(search: expected a list, got an object)"),
    ('{"search": [', "the answer is not valid JSON (cut short?)"),
    ("", "the answer is not valid JSON (cut short?)"),
    ('{"search": NaN}', "the answer is not valid JSON (cut short?): NaN is not a JSON number"),
    ("[" * 200_000 + "]" * 200_000, "the answer nests deeper than 64 levels; not read"),
    ('{"search": [], "x": ' + "[" * 100 + "]" * 100 + "}", "nests deeper than 64 levels"),
    (b"\xff\xfe\x00garbage", "the answer is not valid JSON"),
    ('{"search": [' + "9" * 5000 + "]}", "the answer is not valid JSON"),
])
def test_a_wrong_answer_is_one_bad_answer_error(body, message):
    with pytest.raises(BadAnswer) as caught:
        decode_json(body, HITS, source="Wikidata search")
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)  # old `except ValueError` handlers still catch it


def test_size_limit():
    with pytest.raises(BadAnswer, match="larger than 10 bytes"):
        decode_json('{"search": []}', HITS, source="s", max_bytes=10)


def test_null_optional_fields_are_absent_and_maps_check_keys():
    shape = Obj({"labels": Map(Obj({"value": Str()}), key_pattern=r"[a-z-]+"), "n": Int(lo=0, hi=10)})
    notes: list[str] = []
    doc = check({"labels": {"en": {"value": "A"}, "EN!": {"value": "B"}, "de": "C"}, "n": None},
                shape, source="s", notes=notes)
    assert doc == {"labels": {"en": {"value": "A"}}}
    assert "left out 2 value(s)" in notes[0]
    assert check({"n": 11}, shape, source="s") == {}


def test_one_of_takes_the_first_shape_that_fits():
    wikitext = OneOf(Str(), Obj({"*": Str()}, required=("*",)))
    assert check("text", wikitext, source="s") == "text"
    assert check({"*": "text"}, wikitext, source="s") == {"*": "text"}
    with pytest.raises(BadAnswer, match="expected a string or an object"):
        check(["text"], wikitext, source="s")


def test_xml_root_and_entities():
    assert decode_xml("<rss><channel/></rss>", roots={"rss"}, source="feed").tag == "rss"
    with pytest.raises(BadAnswer, match="expected an XML <rss>, got <html>"):
        decode_xml("<html/>", roots={"rss"}, source="feed")
    with pytest.raises(BadAnswer, match="not valid XML"):
        decode_xml("<rss>", roots={"rss"}, source="feed")
    bomb = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><rss>&e;</rss>'
    root = decode_xml(bomb, roots={"rss"}, source="feed")
    assert "x" not in (root.text or "")  # entities are never expanded
    with pytest.raises(BadAnswer, match="not valid XML"):
        decode_xml("<a>" * 300 + "</a>" * 300, roots={"a"}, source="feed")


@given(answers(HITS))
def test_any_answer_decodes_or_is_a_bad_answer(body):
    try:
        doc = decode_json(body, HITS, source="s", notes=[])
    except BadAnswer:
        return
    assert all(isinstance(hit["id"], str) for hit in doc["search"])


# Modules that read JSON reachout itself wrote, or the user's own files: not a remote answer.
LOCAL_JSON = {"decode.py", "cache.py", "briefstore.py", "batch/statefile.py", "batch/reader.py",
              "evidence/store.py"}  # saved evidence: the file reachout wrote under the user directory


def test_no_module_but_the_decoder_reads_a_remote_answer_as_json():
    from pathlib import Path

    import reachout

    package = Path(reachout.__file__).parent
    readers = {
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if re.search(r"\bjson\.loads?\(|\.json\(\)|JSONDecoder|jstyleson", path.read_text("utf-8"))
    }
    # A remote answer goes through reachout.decode (a depth and size limit, a declared shape); a
    # new reader of local JSON joins LOCAL_JSON with a word on why it is not a remote answer.
    assert readers <= LOCAL_JSON, sorted(readers - LOCAL_JSON)
    assert {"decode.py", "cache.py"} <= readers  # the search itself finds readers
