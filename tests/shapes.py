"""Hypothesis strategies drawn from the decoder's declared shapes (reachout.decode).

`answers(shape)` draws JSON bodies a source might send: a valid answer most of the time, with wrong types
at any field, nulls, extra fields, deep nesting and cut-short bodies mixed in. Every source's parser is
run on them (tests/test_decode_sources.py): whatever comes back, the parser returns or raises BadAnswer.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from reachout.decode import Anything, Bool, Int, List, Map, Num, Obj, OneOf, Scalar, Shape, Str

_WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), _WORDS)
_JUNK = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(_WORDS, inner, max_size=3), max_leaves=6)


def valid(shape: Shape) -> st.SearchStrategy[Any]:
    """Values that fit SHAPE (strings are free text unless a pattern asks for a form)."""
    if isinstance(shape, Str):
        return st.from_regex(shape.pattern, fullmatch=True) if shape.pattern else _WORDS
    if isinstance(shape, Int):
        return st.integers(shape.lo, shape.hi)
    if isinstance(shape, Num):
        return st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(shape, Bool):
        return st.booleans()
    if isinstance(shape, Scalar):
        return st.integers() | _WORDS
    if isinstance(shape, Anything):
        return _JUNK
    if isinstance(shape, List):
        return st.lists(valid(shape.item), max_size=4)
    if isinstance(shape, Map):
        keys = st.from_regex(shape.key_pattern, fullmatch=True) if shape.key_pattern else _WORDS
        return st.dictionaries(keys, valid(shape.value), max_size=3)
    if isinstance(shape, Obj):
        return st.fixed_dictionaries(
            {name: valid(sub) for name, sub in shape.fields.items() if name in shape.required},
            optional={name: valid(sub) for name, sub in shape.fields.items() if name not in shape.required},
        )
    if isinstance(shape, OneOf):
        return st.one_of([valid(s) for s in shape.shapes])
    raise TypeError(f"no strategy for {shape!r}")


def hostile(shape: Shape) -> st.SearchStrategy[Any]:
    """Values shaped like SHAPE where any part may be of the wrong type, null or junk instead."""
    if isinstance(shape, List):
        inner = st.lists(hostile(shape.item), max_size=4)
    elif isinstance(shape, Map):
        inner = st.dictionaries(_WORDS, hostile(shape.value), max_size=3)
    elif isinstance(shape, Obj):
        inner = st.fixed_dictionaries(
            {}, optional={name: hostile(sub) for name, sub in shape.fields.items()} | {"extra": _JUNK})
    elif isinstance(shape, OneOf):
        inner = st.one_of([hostile(s) for s in shape.shapes])
    else:
        inner = valid(shape)
    return st.one_of(inner, inner, inner, _JUNK)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@st.composite
def answers(draw: st.DrawFn, shape: Shape) -> str:
    """A JSON body for SHAPE: valid, hostile, cut short, or nested thousands deep."""
    value = draw(st.one_of(valid(shape), hostile(shape)))
    body = json.dumps(value)
    kind = draw(st.sampled_from(["whole", "whole", "whole", "cut", "deep", "deep_field"]))
    if kind == "cut":
        return body[: draw(st.integers(0, max(len(body) - 1, 0)))]
    if kind == "deep":
        return _nested(draw(st.integers(65, 200_000)))
    if kind == "deep_field" and body.startswith("{") and body != "{}":
        return '{"deep": ' + _nested(draw(st.integers(65, 5_000))) + ", " + body[1:]
    return body
