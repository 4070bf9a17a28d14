"""How a domain's naming conventions are learned: per option, a shift of the log-odds each known person's
name alone gave it, fitted to how far their addresses departed from that (learn._log_odds_shift)."""

from __future__ import annotations

import json
import math
import re
import shutil

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import reachout
from reachout.cli import cli
from reachout.data import bundled_dir
from reachout.guessing import parse_known
from reachout.guessing.learn import _log_odds_shift, infer_domain_format, reading_weights
from reachout.guessing.names import parse_name


def top(name: str, domain: str, known: list[str], n: int = 1) -> list[str]:
    return [c.address for c in reachout.guess(name, domain, known=known, roles=False).personal[:n]]


def share(name: str, domain: str, known: list[str], dimension: str, option: str) -> float:
    """The weight of NAME's readings with OPTION in DIMENSION at DOMAIN once KNOWN are learned."""
    parts = parse_name(name, domain=domain, complete=True)
    shifts = infer_domain_format(domain, [parse_known(k) for k in known]).shifts if known else {}
    weights = reading_weights(parts.readings, shifts)
    return sum(w for w, r in zip(weights, parts.readings, strict=True)
               if (dimension, option) in r.conventions)


def test_confirmations_that_were_near_certain_by_name_hardly_move_a_convention():
    # Colleagues whose names could only be given name first confirm that order; Li Dongwei (a
    # two-syllable given name after a Chinese family name) stays family name first, as his name says.
    given_first = ["Wei Zhang <zhangw@acme.example>", "Jun Chen <chenj@acme.example>",
                   "Ming Wang <wangm@acme.example>"]
    # (Counting each as a full vote took his 73 % down to 57 %; Wei Zhang might be Zhang Wei, so a little.)
    alone = share("Li Dongwei", "acme.example", [], "order", "family first")
    assert share("Li Dongwei", "acme.example", given_first, "order", "family first") > alone - 0.1
    assert top("Li Dongwei", "acme.example", given_first)[0].startswith("li")
    # Obvious compound given names written by their first word say nothing of whether Vicente is a
    # surname: Pedro Vicente Pascuet keeps Vicente as his first surname.
    compound = ["Jorge Luis Ferrándiz <jorge.ferrandiz@uni.example.es>",
                "Ana Belén Sotillos <ana.sotillos@uni.example.es>",
                "Juan Carlos Morante <juan.morante@uni.example.es>"]
    assert top("Pedro Vicente Pascuet", "uni.example.es", compound) == ["pedro.vicente@uni.example.es"]


def test_one_address_in_an_option_its_name_made_unlikely_lifts_it_strongly():
    # Alberto (Catalan form at 3 % by name at a .es domain) written albert@: the next Castilian name's
    # Catalan form is lifted more than tenfold, to about a coin toss (one colleague's habit may be theirs
    # alone); three such colleagues make it likely.
    known = ["Alberto Solanes Pomar <albert.solanes@uni.example.es>"]
    before = share("Jorge Puigvert Masdeu", "uni.example.es", [], "given form (castilian)", "catalan")
    after = share("Jorge Puigvert Masdeu", "uni.example.es", known, "given form (castilian)", "catalan")
    assert before < 0.05 and 10 * before < after < 0.6
    assert set(top("Jorge Puigvert Masdeu", "uni.example.es", known, n=2)) == {
        "jorge.puigvert@uni.example.es", "jordi.puigvert@uni.example.es"}


def test_a_domain_of_three_catalan_forms_writes_a_castilian_name_in_catalan():
    known = ["Alberto Solanes Pomar <albert.solanes@uni.example.es>",
             "Juan Ferrándiz Vidal <joan.ferrandiz@uni.example.es>",
             "Pedro Morante Gil <pere.morante@uni.example.es>"]
    assert top("Jorge Puigvert Masdeu", "uni.example.es", known) == ["jordi.puigvert@uni.example.es"]
    # A Catalan name there stays Catalan.
    assert top("Jordi Puigvert Masdeu", "uni.example.es", known) == ["jordi.puigvert@uni.example.es"]


def test_a_domain_that_writes_nicknames_writes_the_next_full_name_as_a_nickname():
    short = ["Thomas Wrexley <tom.wrexley@acme.example>", "Richard Ambley <rick.ambley@acme.example>",
             "Daniel Coverton <dan.coverton@acme.example>"]
    assert top("Michael Pellbury", "acme.example", short) == ["mike.pellbury@acme.example"]
    # One colleague whose nickname is written keeps a full name first: it may be that person's habit.
    assert top("Michael Pellbury", "acme.example", short[:1]) == ["michael.pellbury@acme.example"]
    assert top("Michael Pellbury", "acme.example", []) == ["michael.pellbury@acme.example"]


def log_posterior(shift: float, trials: list[tuple[float, float, float]], spread: float) -> float:
    """The log-posterior _log_odds_shift maximises, written out: binomial trials with soft counts."""
    total = -shift**2 / (2 * spread**2)
    for count, had, p in trials:
        logit = math.log(p / (1 - p)) + shift
        # log q = -log(1 + e^-logit), log(1 - q) = -log(1 + e^logit), without rounding q to 1
        total -= count * math.log1p(math.exp(-logit)) + (had - count) * math.log1p(math.exp(logit))
    return total


trial = st.tuples(st.floats(0, 1), st.floats(0.05, 1), st.floats(0.001, 0.999)).map(
    lambda t: (t[0] * t[1], t[1], t[2]))  # a count never exceeds how much of the address had the choice


@given(st.lists(trial, min_size=1, max_size=8), st.floats(0.5, 5))
def test_the_shift_is_the_most_probable_one(trials, spread):
    shift = _log_odds_shift(trials, spread)
    # Brute force: no shift on a fine grid around it, nor far from it, is more probable.
    best = log_posterior(shift, trials, spread)
    for other in [shift + step / 1000 for step in range(-50, 51)] + [x / 2 for x in range(-60, 61)]:
        assert log_posterior(other, trials, spread) <= best + 1e-9


def test_shifts_follow_the_departure_from_what_the_names_said():
    # Addresses that do exactly what the names predicted move nothing.
    assert _log_odds_shift([(0.3, 1.0, 0.3), (0.8, 1.0, 0.8)], 2.5) == pytest.approx(0, abs=1e-6)
    # Two confirmations of what each name made 99 % likely: the rival option is barely moved (x0.9).
    assert math.exp(_log_odds_shift([(0.0, 1.0, 0.01)] * 2, 2.5)) == pytest.approx(0.9, abs=0.02)
    # The same two addresses against a 50/50 name are real evidence.
    assert _log_odds_shift([(0.0, 1.0, 0.5)] * 2, 2.5) < -1
    # More addresses that depart move it further; a wider prior lets them.
    one, three = (_log_odds_shift([(1.0, 1.0, 0.03)] * n, 2.5) for n in (1, 3))
    assert 0 < one < three and _log_odds_shift([(1.0, 1.0, 0.03)], 4) > one
    # An address counted only in part (a typo, gathered evidence) counts in part.
    assert 0 < _log_odds_shift([(0.3, 0.3, 0.03)], 2.5) < one


def guess_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["guess", *args, "--no-roles", "--top", "3", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_cli_compound_given_names_say_nothing_of_a_middle_word_that_may_be_a_surname():
    known = ["Jorge Luis Ferrándiz <jorge.ferrandiz@uni.example.es>",
             "Ana Belén Sotillos <ana.sotillos@uni.example.es>",
             "Juan Carlos Morante <juan.morante@uni.example.es>"]
    options = [option for k in known for option in ("--known", k)]
    answer = guess_json("Pedro Vicente Pascuet", "uni.example.es", *options)
    assert answer["candidates"][0]["address"] == "pedro.vicente@uni.example.es"
    # What the colleagues did is still reported: each wrote the first word of a compound given name.
    assert answer["learned"]["conventions"]["given"]["first word"] > 2.9


def test_cli_convention_spread_comes_from_the_patterns_folder(tmp_path):
    # A narrow prior (a user who trusts names over colleagues): one Alberto written albert@ at a .cat
    # domain no longer makes a Jorge jordi@.
    mine = tmp_path / "patterns"
    shutil.copytree(bundled_dir(), mine)
    formats = mine / "formats.toml"
    narrowed = re.sub(r"(?m)^convention_spread = .*$", "convention_spread = 0.5", formats.read_text())
    assert narrowed != formats.read_text()
    formats.write_text(narrowed)
    args = ["Jorge Puigvert Masdeu", "uni.example.cat", "--known",
            "Alberto Solanes Pomar <albert.solanes@uni.example.cat>"]
    assert guess_json(*args)["candidates"][0]["address"] == "jordi.puigvert@uni.example.cat"
    narrow = guess_json(*args, "--patterns", str(mine))
    assert narrow["candidates"][0]["address"] == "jorge.puigvert@uni.example.cat"


def test_a_directory_that_writes_everyone_family_name_first_is_learned_as_the_directorys():
    # Official lists write everyone family name first with nothing to mark it (Quarlini Oona). Whether a
    # name says so itself (Pauline is a given name) or not (Luce is on no list), the directory's habit
    # decides once three colleagues show it; a Jane Doe there keeps her order as likely as not, and a
    # directory of given-name-first colleagues changes nothing.
    listed = ["Quarlini Pauline <pquarlini@org.example.it>", "Vettori Henri <hvettori@org.example.it>",
              "Brandi Susanne <sbrandi@org.example.it>"]
    assert infer_domain_format("org.example.it", [parse_known(k) for k in listed]).listed_order > 0.5
    assert top("Pottalo Luce", "org.example.it", listed) == ["lpottalo@org.example.it"]
    assert top("Pottalo Luce", "org.example.it", []) != ["lpottalo@org.example.it"]
    assert top("Jane Doe", "org.example.it", listed, 2) == ["jdoe@org.example.it", "djane@org.example.it"]
    given_first = ["Pauline Quarlini <pquarlini@org.example.it>", "Henri Vettori <hvettori@org.example.it>"]
    assert infer_domain_format("org.example.it", [parse_known(k) for k in given_first]).listed_order < 0.01
    assert top("Pottalo Luce", "org.example.it", given_first) == ["pluce@org.example.it"]


def test_a_directory_order_with_a_name_that_is_certainly_family_name_first_stays_finite():
    from reachout.guessing.readings import NameReading

    # A reading the name made certain and its rival of no weight: the directory's mix divides by the
    # rival's share, which must never be zero.
    readings = [NameReading("wei", "", "zhang", "w", 1.0, conventions=(("order", "family first"),)),
                NameReading("zhang", "", "wei", "z", 0.0, conventions=(("order", "given first"),))]
    weights = reading_weights(readings, {}, 0.6)
    assert weights[0] == pytest.approx(1.0) and weights[1] == pytest.approx(0.0)
