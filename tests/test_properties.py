"""Property tests: any name × any domain never crashes, and every address is valid."""

from __future__ import annotations

import os

from email_validator import validate_email
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reachout.domains import company_domain
from reachout.errors import BadInput
from reachout.guessing import guess, parse_name

# More examples locally with REACHOUT_HYPOTHESIS_EXAMPLES=5000.
EXAMPLES = int(os.environ.get("REACHOUT_HYPOTHESIS_EXAMPLES", "300"))
LETTERS = st.characters(categories=["L", "M", "Zs", "Pd", "Po", "Nd"], exclude_characters="@")
names = st.one_of(
    st.text(LETTERS, min_size=0, max_size=40),
    st.lists(st.sampled_from(["Dr.", "Jean-Luc", "O'Brien", "van", "der", "García", "López", "Jr.",
                              "Müller", "(Bob)", '"Bo"', "Øyvind", "王伟", "Li", ",", "PhD", "Ñ"]),
             min_size=1, max_size=6).map(" ".join),
    # The words the name reader's own rules look for: initials run together or cited after a family
    # name, two-word honorifics and family names, family names written first, letters of own alphabets.
    st.lists(st.sampled_from(["J.A.", "JA", "J.", "KS", "Ö.Z.", "Tan", "Sri", "Toh", "Puan", "Dato'", "Seri",
                              "bin", "Au", "Yeung", "Sze", "To", "Zhang", "Wei", "Tanaka", "Hiroshi", "Yi",
                              "Xiulan", "Nguyen", "Van", "Nam", "Le", "Ümit", "Þórsson", "Bo", "Hansen",
                              "Dr.", ",", "(Bob)", "Jr."]),
             min_size=1, max_size=7).map(" ".join),
)
label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
domains = st.one_of(
    st.tuples(label, st.sampled_from(["com", "co.uk", "de", "io", "test", "com.tr", "local", "in", "com.hk",
                                      "vn", "jp", "my"])).map(".".join),
    st.text(max_size=30),
)


@settings(max_examples=EXAMPLES, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(names, domains)
def test_any_name_and_domain_never_crashes(name, company):
    try:
        result = guess(name, company)
    except BadInput:
        return
    for candidate in result.candidates:
        validate_email(candidate.address, check_deliverability=False)
        assert 0 <= candidate.confidence <= 1
    assert sum(c.confidence for c in result.personal) <= 1 + 1e-9


@settings(max_examples=EXAMPLES, deadline=None)
@given(names)
def test_readings_are_ascii_and_weights_sum_to_one(name):
    try:
        parts = parse_name(name)
    except BadInput:
        return
    assert abs(sum(r.weight for r in parts.readings) - 1) < 1e-9
    for reading in parts.readings:
        for value in (reading.first, reading.middle, reading.last, reading.f):
            assert value == "" or (value.isascii() and value.replace("-", "").isalnum())


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(max_size=60))
def test_company_domain_is_valid_or_bad_input(text):
    try:
        domain = company_domain(text)
    except BadInput:
        return
    validate_email(f"x@{domain}", check_deliverability=False)
