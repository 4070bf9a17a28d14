"""Address formats: the data file, rendering, and its fallbacks."""

from __future__ import annotations

from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reachout.errors import DataError
from reachout.guessing import NameReading, compile_template, is_valid_local_part, load_formats, parse_name

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
    for good in ["jane.doe", "j", "jane._doe", "jane-.doe", "a" * 64]:
        assert is_valid_local_part(good)
    for bad in ["", ".jane", "jane.", "jane..doe", "a" * 65, "jane doe", "jane\n", "jane-", "Jane"]:
        assert not is_valid_local_part(bad)


def test_user_patterns_folder(tmp_path):
    (tmp_path / "formats.toml").write_text(
        'unlisted = 0.2\nmain_share = 0.5\n[[format]]\ntemplate = "{last}{first}"\nprior = 1\n'
    )
    table = load_formats(None, str(tmp_path))
    assert [f.template for f in table.formats] == ["{last}{first}"]
    assert table.unlisted == 0.2 and table.main_share == ((0.5, 1.0),)


def test_malformed_patterns_file_is_a_data_error(tmp_path):
    (tmp_path / "formats.toml").write_text("this is = not [toml")
    with pytest.raises(DataError, match="not valid TOML"):
        load_formats(None, str(tmp_path))


def test_two_surname_formats_fall_back_for_one_surname():
    garcia = parse_name("Ana García López", domain="example.es").best
    assert compile_template("{f}{last}{l2}").render(garcia) == "agarcial"
    assert compile_template("{f}{l}{last2}").render(garcia) == "aglopez"
    assert compile_template("{f}{last:3}{last2:3}").render(garcia) == "agarlop"
    assert compile_template("{first}.{last}-{last2}").render(garcia) == "ana.garcia-lopez"
    assert compile_template("{first}.{last}-{last2}").render(JANE) == "jane.doe"
    assert compile_template("{f}{last}{l2}").render(JANE) == "jdoe"


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        ["{first}.{last}", "{f}{m}{last}", "{first}.{m}.{last}", "{last:3}{first:3}", "{f}{l}{last2}"]),
    st.from_regex(r"[a-z]{0,8}", fullmatch=True),
    st.from_regex(r"[a-z]{0,8}", fullmatch=True),
    st.from_regex(r"[a-z]{0,8}", fullmatch=True),
)
def test_rendering_gives_a_valid_local_part_or_nothing(template, first, middle, last):
    reading = NameReading(first, middle, last, first[:1], 1.0)
    local = compile_template(template).render(reading)
    assert local is None or is_valid_local_part(local)


def test_guess_benchmark_runs_and_reports_its_ratio():
    """bench/guess.py is how issue 2's speed goal is measured: it must keep running (no timing here)."""
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "guess.py"
    done = subprocess.run([sys.executable, str(script), "--names", "200"], capture_output=True, text=True,
                          timeout=120, check=True)
    assert "names/s per core" in done.stdout
    assert "goal 2,000 names/s: ratio" in done.stdout


def test_accuracy_benchmark_runs_and_reports_calibration():
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "bench" / "accuracy.py"
    out = subprocess.run([sys.executable, str(script), "--domains", "1", "--people", "4"],
                         capture_output=True, text=True, check=True, timeout=300).stdout
    assert "== company set: 1 domains, 4 people" in out and "== mixed set: 21 domains" in out
    assert sum(line.startswith("all ") for line in out.splitlines()) == 2
    assert out.count("right at 0 known, wrong at 1:") == 2
    assert out.count("expected calibration error (ECE):") == 2


@pytest.mark.parametrize("grid", ["[[0.5, 1], [0.9, 0]]", "0.5"])
def test_main_share_grid_from_the_patterns_folder(tmp_path, grid):
    (tmp_path / "formats.toml").write_text(
        f'main_share = {grid}\n[[format]]\ntemplate = "{{first}}.{{last}}"\nprior = 1\n'
    )
    assert load_formats(None, str(tmp_path)).main_share == ((0.5, 1.0),)


@pytest.mark.parametrize("grid", ["[[0, 1]]", "[[1, 1]]", "[[0.5, 0]]", "[[0.5, -1]]", "'x'", "[[inf, 1]]",
                                  "[1, 2]", "-1", "1.5"])
def test_bad_main_share_grid_is_a_data_error(tmp_path, grid):
    (tmp_path / "formats.toml").write_text(
        f'main_share = {grid}\n[[format]]\ntemplate = "{{first}}.{{last}}"\nprior = 1\n'
    )
    with pytest.raises(DataError, match="main_share"):
        load_formats(None, str(tmp_path))


def test_a_minority_temper_of_one_keeps_the_priors(tmp_path):
    (tmp_path / "formats.toml").write_text(
        'minority_temper = 1\n[[format]]\ntemplate = "{first}.{last}"\nprior = 1\n'
    )
    assert load_formats(None, str(tmp_path)).minority_temper == 1.0


@pytest.mark.parametrize(
    "line", ["unlisted = 0", "unlisted = 1.5", "custom_formats = 1", "alias_likelihood = 'x'",
             "minority_temper = 0", "minority_weight = 0", "unlisted_weight = -1", "minority_weight = inf",
             "minority_weight = 1e308", "minority_weight = 1e-320", "alias_likelihood = 1e-320",
             "minority_temper = 1.5", "convention_spread = 0", "convention_spread = 'wide'",
             "convention_spread = nan"]
)
def test_bad_model_constants_are_a_data_error(tmp_path, line):
    (tmp_path / "formats.toml").write_text(
        f'{line}\n[[format]]\ntemplate = "{{first}}.{{last}}"\nprior = 1\n'
    )
    key = line.split()[0]
    with pytest.raises(DataError, match=f"{key} in formats.toml must be a (number between 0 and 1|positive)"):
        load_formats(None, str(tmp_path))


@pytest.mark.parametrize("priors", [("nan", "1"), ("inf", "1"), ("-1", "1"), ("0", "0")])
def test_bad_format_priors_are_a_data_error(tmp_path, priors):
    """A prior TOML reads as a number but no share (nan, inf, below 0, all 0) is the file's fault."""
    (tmp_path / "formats.toml").write_text("".join(
        f'[[format]]\ntemplate = "{template}"\nprior = {prior}\n'
        for template, prior in zip(["{first}.{last}", "{f}{last}"], priors, strict=True)))
    with pytest.raises(DataError, match="prior"):
        load_formats(None, str(tmp_path))


def test_reweighted_reading_keeps_every_other_field():
    values = {f.name: (0.5 if f.name == "weight" else (("x", "y"),) if f.name == "conventions"
                       else ("note",) if f.name == "notes" else f"v-{f.name}") for f in fields(NameReading)}
    reading = NameReading(**values)
    assert reading.reweighted(0.25) == replace(reading, weight=0.25)
