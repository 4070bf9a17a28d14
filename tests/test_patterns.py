"""Address formats: the data file, rendering, and its fallbacks."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reachout.names import NameReading, parse_name
from reachout.patterns import compile_adder, compile_template, is_valid_local_part, load_formats

from reachout.errors import DataError

JANE_Q = parse_name("Jane Quinn Doe").best
JANE = parse_name("Jane Doe").best


def test_formats_file_has_the_common_formats_and_priors_sum_to_one():
    table = load_formats()
    templates = {f.template for f in table.formats}
    assert len(templates) >= 30
    for needed in ["{first}.{last}", "{f}{last}", "{first}", "{first}{last}", "{first}_{last}",
                   "{first}-{last}", "{last}.{first}", "{f}.{last}", "{first}{l}", "{last}{f}",
                   "{last}", "{f}{m}{last}", "{first}.{m}.{last}"]:
        assert needed in templates
    assert sum(f.prior for f in table.formats) == pytest.approx(1)
    assert 0 < table.unlisted < 0.3


def test_size_priors_follow_the_published_finding():
    small, large = load_formats("small").priors, load_formats("large").priors
    assert max(small, key=small.get) == "{first}"
    assert max(large, key=large.get) == "{first}.{last}"


@pytest.mark.parametrize(
    ("template", "with_middle", "without_middle"),
    [
        ("{first}.{last}", "jane.doe", "jane.doe"),
        ("{f}{last}", "jdoe", "jdoe"),
        ("{f}{m}{last}", "jqdoe", "jdoe"),
        ("{first}.{m}.{last}", "jane.q.doe", "jane.doe"),
        ("{first}.{middle}.{last}", "jane.quinn.doe", "jane.doe"),
        ("{last}{f}{m}", "doejq", "doej"),
        ("{f}{last:2}", "jdo", "jdo"),
        ("{first}.{last}.mp", "jane.doe.mp", "jane.doe.mp"),
        ("x-{first}", "x-jane", "x-jane"),
        ("{first:3}{last:3}", "jandoe", "jandoe"),
    ],
)
def test_render(template, with_middle, without_middle):
    fmt = compile_template(template)
    assert fmt.render(JANE_Q) == with_middle
    assert fmt.render(JANE) == without_middle


def test_missing_required_part_renders_nothing():
    madonna = parse_name("Madonna").best
    assert compile_template("{first}.{last}").render(madonna) is None
    assert compile_template("{first}").render(madonna) == "madonna"


@pytest.mark.parametrize("bad", ["first.last", "{first", "{nickname}.{last}", "{first}}"])
def test_bad_templates_are_rejected(bad):
    with pytest.raises(DataError):
        compile_template(bad)


def test_local_part_check():
    assert is_valid_local_part("jane.doe")
    for bad in ["", ".jane", "jane.", "jane..doe", "a" * 65, "jane doe"]:
        assert not is_valid_local_part(bad)


def test_user_patterns_folder(tmp_path):
    (tmp_path / "formats.toml").write_text(
        'unlisted = 0.2\nconcentration = 0.5\n[[format]]\ntemplate = "{last}{first}"\nprior = 1\n'
    )
    table = load_formats(None, str(tmp_path))
    assert [f.template for f in table.formats] == ["{last}{first}"]
    assert table.unlisted == 0.2


def test_malformed_patterns_file_is_a_data_error(tmp_path):
    (tmp_path / "formats.toml").write_text("this is = not [toml")
    with pytest.raises(DataError, match="not valid TOML"):
        load_formats(None, str(tmp_path))


# --- the guesser's compiled inner loop ------------------------------------------------------------

# Parts as the name parser makes them, plus what it never makes (edge hyphens, dots, long parts),
# which the compiled code must send down its exact path.
_part = st.one_of(
    st.from_regex(r"[a-z0-9]{0,12}(-[a-z0-9]{1,6})?", fullmatch=True),
    st.text(alphabet="ab-._", max_size=6),
    st.from_regex(r"[a-z]{30,70}", fullmatch=True),
)
_templates = st.lists(
    st.sampled_from([
        "{first}.{last}", "{f}{last}", "{first}", "{first}{l}", "{f}{m}{last}", "{first}.{m}.{last}",
        "{first}.{middle}.{last}", "{f}{last:7}", "{last:7}{f}", "{first:3}{last:3}", "{last}",
        "{first}.{last}.mp", "x-{first}", "{m}{first}", "{first}{last:1}{m}", "{first}{first}",
        "{f}_{l}", "{last}-{first}",
    ]),
    min_size=1, max_size=12, unique=True,
)


@settings(max_examples=int(os.environ.get("REACHOUT_HYPOTHESIS_EXAMPLES", 300)), deadline=None)
@given(_templates, _part, _part, _part, _part, st.floats(0.01, 1.0))
def test_compiled_adder_equals_rendering_each_format(templates, first, middle, last, f, weight):
    reading = NameReading(first, middle, last, f, weight)
    masses = tuple(sorted((1 / (i + 2) for i in range(len(templates))), reverse=True))
    add = compile_adder(tuple(templates), masses)
    totals: dict[str, float] = {"jane.doe": 0.25}
    seen: dict[str, int] = {"jane.doe": 7}
    again: list[tuple[str, int]] = []
    add(reading, weight, totals, seen, again, 1 << 16)

    expected = [compile_template(t).render(reading) for t in templates]
    reference, first_seen, later = {"jane.doe": 0.25}, {"jane.doe": 7}, []
    for i, (local, mass) in enumerate(zip(expected, masses, strict=True)):
        if local is None:
            continue
        if local in reference:
            later.append((local, (1 << 16) + i))
        else:
            first_seen[local] = (1 << 16) + i
        reference[local] = reference.get(local, 0.0) + mass * weight
    assert totals == reference  # the same sums, added in the same order
    assert seen == first_seen
    assert again == later


def test_guess_benchmark_runs_and_reports_its_ratio():
    """bench/guess.py is how issue 2's speed goal is measured: it must keep running (no timing here)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "guess.py"
    done = subprocess.run([sys.executable, str(script), "--names", "200"], capture_output=True, text=True,
                          timeout=120, check=True)
    assert "names/s per core" in done.stdout
    assert "goal 20,000 names/s: ratio" in done.stdout
