"""The main-format model of guessing/learn.py against a brute-force computation of the model it describes.

The model: a domain's main format F is drawn from the priors, its share s from the `main_share` grid;
each person follows F with chance s, else a minority format drawn from θ ~ Dirichlet(β·minority), where
the minority may also pick F; independently, a person has an alias with a chance drawn from a Beta whose
mean is `unlisted` and whose weight is `unlisted_weight` addresses. The brute force below sums over F,
s, and which of the addresses in F were the minority's, with θ and the alias chance integrated out by
Pólya urns: what the closed forms in _DomainModel approximate (they take every address in F as the main
format's, which the minority's own small weight on F makes a close approximation).
"""

from __future__ import annotations

import itertools
import math

import pytest

from reachout.guessing.formats import FormatTable, compile_template, load_formats
from reachout.guessing.learn import UNLISTED, _DomainModel, _with_unlisted

FL, FLAST, FIRST, LAST = "{first}.{last}", "{f}{last}", "{first}", "{last}"


def small_table(grid=((0.9, 0.5), (0.6, 0.5)), priors=None) -> FormatTable:
    priors = priors or {FL: 0.5, FLAST: 0.3, FIRST: 0.15, LAST: 0.05}
    return FormatTable(formats=tuple(compile_template(t, p) for t, p in priors.items()), unlisted=0.15,
                       main_share=grid, source="test", minority_weight=2.0, minority_temper=0.5,
                       unlisted_weight=3.0)


def model_of(table: FormatTable) -> _DomainModel:
    return _DomainModel.of(_with_unlisted(table.priors, table.unlisted), table)


def polya(sequence: list[str], alpha: dict[str, float]) -> float:
    """P(SEQUENCE) when each item is drawn from θ ~ Dirichlet(ALPHA): a Pólya urn."""
    total, seen, p = sum(alpha.values()), {}, 1.0
    for n, item in enumerate(sequence):
        p *= (alpha.get(item, 0.0) + seen.get(item, 0)) / (total + n)
        seen[item] = seen.get(item, 0) + 1
    return p


def brute_force(model: _DomainModel, sequence: list[str]) -> float:
    """P(SEQUENCE of formats and UNLISTED) under the model, by enumeration."""
    table = model.table
    weight = table.unlisted_weight
    flags = ["alias" if t == UNLISTED else "format" for t in sequence]
    aliases = polya(flags, {"alias": weight * model.unlisted, "format": weight * (1 - model.unlisted)})
    formats = [t for t in sequence if t != UNLISTED]
    alpha = {t: table.minority_weight * m for t, m in model.minority.items()}
    total = 0.0
    for share, chance in table.main_share:
        for main, prior in model.main.items():
            positions = [i for i, t in enumerate(formats) if t == main]
            for by_main in itertools.product([True, False], repeat=len(positions)):
                mains = {i for i, own in zip(positions, by_main, strict=True) if own}
                minority = [t for i, t in enumerate(formats) if i not in mains]
                total += (chance * prior * share ** len(mains) * (1 - share) ** len(minority)
                          * polya(minority, alpha))
    return aliases * total


def counts_of(sequence: list[str]) -> dict[str, float]:
    counts: dict[str, float] = {}
    for t in sequence:
        counts[t] = counts.get(t, 0.0) + 1
    return counts


def seen_of(sequence: list[str]) -> list[tuple[dict[str, float], dict[str, float]]]:
    return [({t: 1.0}, {t: 1.0}) for t in sequence]


SEQUENCES = [[], [FL], [LAST], [FL, FL, FL], [FLAST, LAST, FIRST], [FL, FL, FLAST], [FL, UNLISTED],
             [UNLISTED, UNLISTED, FLAST], [LAST, LAST]]


# Four formats, where the minority's weight on the main format (38 % for first.last) makes the
# approximation the worst it gets; and the shipped table (19 %).
TABLES = [small_table, load_formats]


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("sequence", SEQUENCES)
def test_shares_are_the_models_predictive(sequence, table):
    model = model_of(table())
    share = model.shares(counts_of(sequence))
    before = brute_force(model, sequence)
    for template in [FL, FLAST, FIRST, LAST, UNLISTED]:
        exact = brute_force(model, [*sequence, template]) / before
        assert share(template) == pytest.approx(exact, abs=0.015), template


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("sequence", SEQUENCES)
def test_log_marginal_is_the_models_evidence(sequence, table):
    model = model_of(table())
    exact = math.log(brute_force(model, sequence))
    # Aliases and one address in a format are exact; several in formats within 10 %.
    tolerance = 1e-9 if len([t for t in sequence if t != UNLISTED]) <= 1 else 0.1
    assert model.log_marginal(seen_of(sequence)) == pytest.approx(exact, abs=tolerance)


@pytest.mark.parametrize("counts", [
    {}, {FL: 3.0}, {FL: 0.4, FLAST: 0.35, UNLISTED: 0.25}, {LAST: 2.0, "{zz}{last}": 1.0},
    # The "others" of expectation-maximisation: its own counts taken from the totals, with rounding.
    {FL: -1e-17, FLAST: 1.0 - 1e-16, UNLISTED: -2e-17}, {FL: 3000.0, FLAST: 500.0, UNLISTED: 40.0},
])
@pytest.mark.parametrize("grid", [((0.9, 0.5), (0.6, 0.5)), ((0.8, 1.0),)])
def test_shares_sum_to_one_and_are_finite(counts, grid):
    model = model_of(small_table(grid))
    share = model.shares(counts)
    values = [share(t) for t in [*model.main, UNLISTED]]
    assert all(math.isfinite(v) and v >= 0 for v in values)
    assert sum(values) == pytest.approx(1, abs=1e-12)


def test_a_single_format_table_gives_it_everyone_who_has_no_alias():
    model = model_of(small_table(priors={FL: 1.0}))
    for counts in ({}, {FL: 2.0}, {FL: 1.0, UNLISTED: 1.0}):
        share = model.shares(counts)
        assert share(FL) == pytest.approx(1 - share(UNLISTED))
    assert math.isfinite(model.log_marginal(seen_of([FL, FL, UNLISTED])))
