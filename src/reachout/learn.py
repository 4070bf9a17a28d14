"""Learn a domain's address format from addresses known to belong to named people there.

The model, in plain words: the shares of formats among a domain's people follow a Dirichlet
distribution whose mean is the published share of each format and whose weight (``concentration`` in
formats.toml) is worth a fraction of one address. Known addresses update it by Bayes' rule: one example
moves the ranking a lot, alternatives keep some weight, and a domain where two formats are seen keeps
both in proportion. Addresses no listed format explains are searched for a format that nobody lists: a
constant prefix or suffix (first.last.mp@), a cut surname (jsmit@ for Smithson), trailing digits
(jsmith2@).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reachout.errors import BadInput
from reachout.names import NameParts, conventions_of, parse_name
from reachout.patterns import Format, FormatTable, compile_template

# A format nobody lists starts from this share of the listed format it was derived from.
_NOVEL_PRIOR_FACTOR = 0.05
_MAX_AFFIX = 8
_AFFIX = re.compile(r"^[._-]?[a-z0-9]{1,8}$|^[a-z0-9]{1,8}[._-]?$")
_NAME_ADDR = re.compile(r"^\s*(?P<name>.*?)\s*<\s*(?P<address>[^<>\s]+)\s*>\s*$")


@dataclass(frozen=True, slots=True)
class KnownAddress:
    """A person's name and an address known to be theirs."""

    name: str
    address: str

    @property
    def local(self) -> str:
        return self.address.rsplit("@", 1)[0]

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1]


@dataclass(frozen=True, slots=True)
class Explanation:
    """How one known address is explained: by which format and with what likelihood."""

    template: str
    likelihood: float
    note: str = ""


@dataclass
class FormatScore:
    """A format's probability of being used by the next person at the domain."""

    pattern: str
    probability: float
    prior: float
    support: list[str] = field(default_factory=list)
    listed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "pattern": self.pattern,
            "probability": round(self.probability, 4),
            "prior": round(self.prior, 4),
            "support": list(self.support),
            "listed": self.listed,
        }


@dataclass
class DomainFormat:
    """What a domain's known addresses say about its format."""

    domain: str
    formats: list[FormatScore]
    known: list[dict[str, Any]] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    conventions: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def evidence(self) -> int:
        return sum(1 for k in self.known if k["patterns"])

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "evidence": self.evidence,
            # The long tail of formats nobody at the domain uses is noise in a report.
            "formats": [f.to_dict() for f in self.formats if f.probability >= 0.001 or f.support],
            "known": self.known,
            "conventions": {
                dimension: {option: round(count, 3) for option, count in options.items()}
                for dimension, options in self.conventions.items()
            },
            "notices": list(self.notices),
        }


# --- reading known addresses ------------------------------------------------------------------------


def parse_known(text: str, *, allow_private: bool = False) -> KnownAddress:
    """Read 'Alice Smith <asmith@acme.com>' (or 'Alice Smith, asmith@acme.com') into a KnownAddress."""
    text = (text or "").strip()
    match = _NAME_ADDR.match(text)
    if match:
        name, address = match["name"].strip(" \"'"), match["address"]
    elif "," in text:
        name, _, address = text.rpartition(",")
        name = name.strip(" \"'")
    else:
        raise BadInput(
            f"Known address {text!r} is not of the form 'Alice Smith <asmith@acme.com>'; "
            "give the person's name and the address."
        )
    address = normalize_address(address.strip(), allow_private=allow_private)
    return KnownAddress(name=name.strip(), address=address)


def normalize_address(address: str, *, allow_private: bool = False) -> str:
    """Syntax-check ADDRESS with email-validator; return it with a lower-cased local part.

    ALLOW_PRIVATE accepts special-use domains (.test, .local…), as `guess --allow-private` does.
    """
    from email_validator import EmailNotValidError, validate_email

    from reachout.domains import is_reserved, validate_domain

    local, at, domain = address.rpartition("@")
    if allow_private and at and local and is_reserved(domain):
        # email-validator refuses these names outright: check the local part against a stand-in
        # domain, and the domain with our own rules.
        checked = normalize_address(f"{local}@example.com")
        return f"{checked.rpartition('@')[0]}@{validate_domain(domain, allow_private=True)}"
    try:
        valid = validate_email(address, check_deliverability=False)
    except EmailNotValidError as exc:
        raise BadInput(f"{address!r} is not a valid e-mail address: {exc}") from None
    return f"{valid.local_part.lower()}@{valid.domain.lower()}"


def read_known_file(text: str, *, allow_private: bool = False) -> list[KnownAddress]:
    """Known addresses from a file: one 'Name <address>' per line, or a table (CSV, semicolon or tab
    separated) whose header names an email column and a name (or first and last name) column, as
    `reachout batch` recognises them ("Full Name", "E-mail Address", "Surname"…)."""
    from reachout.batch.reader import recognise_columns

    lines = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return []
    delimiter = max(",;\t|", key=lines[0].count)
    try:
        header = next(csv.reader([lines[0]], delimiter=delimiter))
    except csv.Error:  # a line too long or too odd for CSV: then it is no header
        header = []
    roles = recognise_columns(header)
    if "email" in roles and ("name" in roles or "first_name" in roles or "last_name" in roles):
        return _known_from_table(lines, roles, delimiter, allow_private)
    return [parse_known(line, allow_private=allow_private) for line in lines]


def _known_from_table(
    lines: list[str], roles: dict[str, int], delimiter: str, allow_private: bool
) -> list[KnownAddress]:
    def cell(row: list[str], role: str) -> str:
        index = roles.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    known = []
    rows = csv.reader(io.StringIO("\n".join(lines[1:])), delimiter=delimiter)
    try:
        numbered = list(enumerate(rows, start=2))
    except csv.Error as exc:
        raise BadInput(
            f"The known-addresses file is not readable as CSV ({exc}); check its quoting, or give "
            "one 'Name <address>' per line."
        ) from None
    for number, row in numbered:
        name = cell(row, "name") or " ".join(filter(None, [cell(row, "first_name"), cell(row, "last_name")]))
        address = cell(row, "email")
        if not name or not address:
            raise BadInput(f"Line {number} of the known-addresses file needs both a name and an email.")
        known.append(KnownAddress(name=name, address=normalize_address(address, allow_private=allow_private)))
    return known


# --- explaining one address -------------------------------------------------------------------------


def explain(local: str, name: NameParts, table: FormatTable) -> list[Explanation]:
    """Every format that renders NAME as LOCAL, with the likelihood of that rendering."""
    found = _explain_listed(local, name, table.formats)
    if found:
        return found
    stripped = local.rstrip("0123456789")
    if stripped != local and stripped:
        found = _explain_listed(stripped, name, table.formats)
        if found:
            return [Explanation(e.template, e.likelihood, "trailing digits: likely a namesake")
                    for e in found]
    return _explain_novel(local, name, table)


def _explain_listed(local: str, name: NameParts, formats: Iterable[Format]) -> list[Explanation]:
    found = []
    for fmt in formats:
        likelihood = sum(r.weight for r in name.readings if fmt.render(r) == local)
        if likelihood > 0:
            found.append(Explanation(fmt.template, likelihood))
    return found


def _explain_novel(local: str, name: NameParts, table: FormatTable) -> list[Explanation]:
    """Formats nobody lists: a listed one with a constant prefix/suffix, or with a cut name part."""
    found: dict[str, Explanation] = {}
    # Formats that spell this person alike ({first}.{last} and {first}.{m}.{last} without a middle
    # name) would give one novel format under several names: keep the most common one's.
    seen: set[tuple[int, str]] = set()
    for fmt in sorted(table.formats, key=lambda f: (-f.prior, f.template)):
        for index, reading in enumerate(name.readings):
            rendered = fmt.render(reading)
            if not rendered or len(rendered) < 2 or (index, rendered) in seen:
                continue
            seen.add((index, rendered))
            for template, note in _affixed(local, rendered, fmt.template):
                _add(found, template, reading.weight, note)
            for template, note in _truncated(local, fmt, reading):
                _add(found, template, reading.weight, note)
    return list(found.values())


def _add(found: dict[str, Explanation], template: str, weight: float, note: str) -> None:
    old = found.get(template)
    found[template] = Explanation(template, weight + (old.likelihood if old else 0.0), note)


def _affixed(local: str, rendered: str, template: str) -> list[tuple[str, str]]:
    out = []
    if local.startswith(rendered) and local != rendered:
        rest = local[len(rendered) :]
        if len(rest) <= _MAX_AFFIX and _AFFIX.match(rest) and not rest.strip("._-").isdigit():
            out.append((template + rest, f"constant suffix {rest!r}"))
    if local.endswith(rendered) and local != rendered:
        rest = local[: -len(rendered)]
        if len(rest) <= _MAX_AFFIX and _AFFIX.match(rest) and not rest.strip("._-").isdigit():
            out.append((rest + template, f"constant prefix {rest!r}"))
    return out


def _truncated(local: str, fmt: Format, reading: Any) -> list[tuple[str, str]]:
    """{f}{last} seen as jsmit for Smithson: the surname (or given name) cut to a fixed length."""
    out = []
    for field_name in ("last", "first"):
        value = getattr(reading, field_name)
        marker = "{" + field_name + "}"
        if marker not in fmt.template or len(value) < 3:
            continue
        for cut in range(len(value) - 1, 1, -1):
            template = fmt.template.replace(marker, f"{{{field_name}:{cut}}}", 1)
            if compile_template(template).render(reading) == local:
                out.append((template, f"{field_name} name cut to {cut} letters"))
                break
    return out


# --- the posterior ----------------------------------------------------------------------------------


def infer_domain_format(
    domain: str,
    known: Sequence[KnownAddress | tuple[str, str]],
    *,
    table: FormatTable | None = None,
    size: str | None = None,
    patterns: str | None = None,
) -> DomainFormat:
    """Posterior probabilities of DOMAIN's formats given KNOWN (name, address) pairs."""
    from reachout.patterns import load_formats

    table = table or load_formats(size, patterns)
    domain = domain.lower()
    notices: list[str] = []
    explained: list[tuple[KnownAddress, list[Explanation]]] = []
    known_rows: list[dict[str, Any]] = []
    conventions: dict[str, dict[str, float]] = {}
    for item in known:
        pair = item if isinstance(item, KnownAddress) else KnownAddress(item[0], normalize_address(item[1]))
        if pair.domain != domain:
            notices.append(f"Ignored {pair.address}: it is not at {domain}.")
            continue
        try:
            name = parse_name(pair.name, domain=domain, patterns=patterns)
        except BadInput as exc:
            notices.append(f"Ignored {pair.address}: {exc}")
            continue
        explanations = explain(pair.local, name, table)
        known_rows.append({
            "name": pair.name,
            "address": pair.address,
            "patterns": sorted({e.template for e in explanations}),
            "notes": sorted({e.note for e in explanations if e.note}),
        })
        if explanations:
            explained.append((pair, explanations))
            _count_conventions(conventions, pair.local, name, explanations, table)
        else:
            notices.append(f"No format explains {pair.address} for {pair.name!r}; it was not used.")
    scores = _posterior(table, explained)
    return DomainFormat(
        domain=domain, formats=scores, known=known_rows, notices=notices, conventions=conventions
    )


def _count_conventions(
    counts: dict[str, dict[str, float]],
    local: str,
    name: NameParts,
    explanations: list[Explanation],
    table: FormatTable,
) -> None:
    """Add one known address's spelling conventions (umlauts, particles…) to COUNTS.

    The address counts once, shared among the readings of the name that produce it, in proportion to
    the reading's weight times the prior of the formats that do.
    """
    priors = table.priors
    stripped = local.rstrip("0123456789")
    responsibility = []
    for reading in name.readings:
        mass = sum(
            priors.get(e.template, _NOVEL_PRIOR_FACTOR * 0.01)
            for e in explanations
            if compile_template(e.template).render(reading) in {local, stripped}
        )
        responsibility.append(reading.weight * mass)
    total = sum(responsibility)
    if not total:
        return
    for reading, share in zip(name.readings, responsibility, strict=True):
        for dimension, option in conventions_of(reading).items():
            options = counts.setdefault(dimension, {})
            options[option] = options.get(option, 0.0) + share / total


def apply_conventions(name: NameParts, conventions: dict[str, dict[str, float]]) -> NameParts:
    """Reweight NAME's readings by the spelling conventions a domain's known addresses show.

    Per dimension, the share of an option becomes (prior + count) / (1 + total): the name's own
    prior share counts as one address, so one example shifts it strongly without making it certain.
    """
    if not conventions:
        return name
    tags = [conventions_of(r) for r in name.readings]
    factors = [1.0] * len(name.readings)
    for dimension, counts in conventions.items():
        prior: dict[str, float] = {}
        for reading, tag in zip(name.readings, tags, strict=True):
            if dimension in tag:
                prior[tag[dimension]] = prior.get(tag[dimension], 0.0) + reading.weight
        if len(prior) < 2:
            continue
        seen = sum(counts.values())
        for i, tag in enumerate(tags):
            option = tag.get(dimension)
            if option is not None and prior[option] > 0:
                factors[i] *= (prior[option] + counts.get(option, 0.0)) / (1 + seen) / prior[option]
    weights = [r.weight * f for r, f in zip(name.readings, factors, strict=True)]
    total = sum(weights)
    readings = sorted(
        (replace(r, weight=w / total) for r, w in zip(name.readings, weights, strict=True)),
        key=lambda r: (-r.weight, r.first, r.middle, r.last, r.f),
    )
    return replace(name, readings=tuple(readings))


def _posterior(
    table: FormatTable, explained: list[tuple[KnownAddress, list[Explanation]]]
) -> list[FormatScore]:
    priors = {fmt.template: fmt.prior for fmt in table.formats}
    listed = set(priors)
    for _, explanations in explained:
        for e in explanations:
            if e.template not in priors:
                base = max((f.prior for f in table.formats if e.template.startswith(f.template)
                            or e.template.endswith(f.template)), default=min(priors.values()))
                priors[e.template] = base * _NOVEL_PRIOR_FACTOR
    total = sum(priors.values())
    priors = {t: p / total for t, p in priors.items()}
    predictive = _dirichlet_predictive(priors, explained, table.concentration)
    support: dict[str, list[str]] = {}
    for pair, explanations in explained:
        for e in explanations:
            support.setdefault(e.template, []).append(pair.address)
    scores = [
        FormatScore(pattern=t, probability=p, prior=priors[t], support=support.get(t, []),
                    listed=t in listed)
        for t, p in predictive.items()
    ]
    scores.sort(key=lambda s: (-s.probability, s.pattern))
    return scores


def _dirichlet_predictive(
    priors: dict[str, float],
    explained: list[tuple[KnownAddress, list[Explanation]]],
    concentration: float,
) -> dict[str, float]:
    """P(next person's format | known addresses) under a Dirichlet prior of mean PRIORS.

    Each known address counts once, shared among the formats that explain it in proportion to how
    likely each is to have produced it (a few EM rounds, since that depends on the estimate itself).
    """
    theta = dict(priors)
    total = len(explained)
    for _ in range(8 if explained else 0):
        counts = dict.fromkeys(priors, 0.0)
        for _, explanations in explained:
            weights = {e.template: theta[e.template] * e.likelihood for e in explanations}
            norm = sum(weights.values())
            for template, weight in weights.items():
                counts[template] += weight / norm
        theta = {t: (concentration * priors[t] + counts[t]) / (concentration + total) for t in priors}
    return theta
