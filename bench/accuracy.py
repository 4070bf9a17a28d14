"""How often the guesser's first (and first three) candidates are right, and how honest its confidences are.

Leave-one-out over generated staff directories: for each person, `guess(name, domain, known=…)` with 0, 1
and 3 other people's real addresses from the same domain. Prints top-1/top-3 per culture and overall, and
a reliability table with the expected calibration error (ECE) over each guess's top five candidates.

The corpus (documented in docs/accuracy.md): Faker's locales give realistic names; each domain draws a
format from the published shares (patterns/formats.toml's common formats), a naming convention as its
country writes names (Spain and Latin America: given name + two surnames, the first used alone, 15 % of
domains use both or the second; Portugal and Brazil: the last surname; Japan: family name first; Germany:
ä → ae at 80 % of domains), and
exceptions as real directories have them (30 % of domains mix in a second format for a fifth to a third
of their people; 2 % typos, 2 % digits, 3 % aliases no format explains; 15 % of Spanish people listed
with one surname). Addresses are built from the generator's own name parts, never by reachout's name reader.
Caveat: a generated corpus shows what the model gets right on the conventions it was built to know; the
real-directory checks outside this repository are the measure that counts.

    python bench/accuracy.py [--domains 12] [--people 20] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass

from anyascii import anyascii

# (culture, Faker locale, TLD, custom)
CULTURES = [
    ("es", "es_ES", "es", "spanish"), ("mx", "es_MX", "com.mx", "spanish"), ("co", "es_CO", "co", "spanish"),
    ("ca", "es_ES", "cat", "spanish"), ("br", "pt_BR", "com.br", "portuguese"),
    ("pt", "pt_PT", "pt", "portuguese"), ("de", "de_DE", "de", "german"), ("nl", "nl_NL", "nl", "plain"),
    ("fr", "fr_FR", "fr", "plain"), ("it", "it_IT", "it", "plain"), ("pl", "pl_PL", "pl", "plain"),
    ("tr", "tr_TR", "com.tr", "plain"), ("gb", "en_GB", "co.uk", "plain"), ("us", "en_US", "com", "plain"),
    ("cn", "zh_CN", "cn", "chinese"), ("jp", "ja_JP", "co.jp", "japanese"), ("in", "hi_IN", "in", "plain"),
    ("ar", "ar_AA", "com", "plain"),
]
# The common formats and their published shares (patterns/formats.toml), plus the two-surname ones
# Spanish domains use.
FORMATS = [("{first}.{last}", 0.40), ("{f}{last}", 0.30), ("{first}", 0.12), ("{first}{l}", 0.04),
           ("{first}{last}", 0.04), ("{last}.{first}", 0.03), ("{first}_{last}", 0.03), ("{f}.{last}", 0.04)]
SPANISH_FORMATS = [("{first}.{last}", 0.45), ("{f}{last}", 0.25), ("{f}{last}{l2}", 0.10),
                   ("{first}.{last}.{last2}", 0.05), ("{first}", 0.05), ("{f}{last}{last2}", 0.05),
                   ("{first}.{last}-{last2}", 0.05)]


@dataclass
class Person:
    name: str
    first: str
    middle: str
    last: str
    last2: str = ""


def _fold(text: str, expand: bool = False) -> str:
    text = text.lower()
    if expand:
        for a, b in {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}.items():
            text = text.replace(a, b)
    return "".join(ch for ch in anyascii(text).lower() if ch.isalnum())


def _people(fake, custom: str, rng: random.Random, count: int) -> list[Person]:
    out = []
    while len(out) < count:
        if custom == "chinese":
            given, family = fake.first_romanized_name(), fake.last_romanized_name()
            name = f"{given} {family}" if rng.random() < 0.7 else f"{family} {given}"
            out.append(Person(name, given, "", family))
            continue
        if custom == "japanese":
            given, family = fake.first_romanized_name(), fake.last_romanized_name()
            out.append(Person(f"{family} {given}", given, "", family))
            continue
        given = fake.first_name()
        family = fake.last_name()
        if custom in {"spanish", "portuguese"}:
            second = fake.last_name()
            if custom == "portuguese" and rng.random() < 0.5:
                out.append(Person(f"{given} {family}", given, "", family))
                continue
            if custom == "spanish" and rng.random() < 0.25:  # a compound given name
                given = f"{given} {fake.first_name()}"
            out.append(Person(f"{given} {family} {second}", given, "", family, second))
            continue
        middle = fake.first_name() if rng.random() < 0.1 else ""
        name = " ".join(p for p in (given, middle, family) if p)
        out.append(Person(name, given, middle, family))
    return out


def _address(person: Person, template: str, domain: str, convention: dict[str, str]) -> str:
    from reachout.guessing import NameReading, compile_template

    expand = convention.get("umlauts") == "expanded"
    givens = person.first.split()
    first = _fold(givens[0], expand) if convention.get("given") != "joined" else _fold(person.first, expand)
    last, last2 = _fold(person.last, expand), _fold(person.last2, expand)
    if convention.get("surnames") == "last" and last2:
        last, last2 = last2, ""
    joined = convention.get("given") == "joined"
    middle = "" if joined else _fold(person.middle or " ".join(givens[1:]), expand)
    reading = NameReading(first, middle, last, first[:1], 1.0, last2=last2)
    local = compile_template(template).render(reading) or first
    return f"{local}@{domain}"


def _directory(culture: tuple[str, str, str, str], index: int, people: int, rng: random.Random):
    from faker import Faker

    label, locale, tld, custom = culture
    fake = Faker(locale)
    fake.seed_instance(rng.randrange(1 << 30))
    domain = f"org{index}-{label}.{tld}"
    table = SPANISH_FORMATS if custom == "spanish" else FORMATS
    template = rng.choices([t for t, _ in table], [w for _, w in table])[0]
    second = rng.choices([t for t, _ in table], [w for _, w in table])[0]
    convention: dict = {}
    if custom == "spanish":
        convention["surnames"] = "first" if rng.random() < 0.85 else "last"
        convention["given"] = "joined" if rng.random() < 0.3 else "first"
    if custom == "portuguese":
        convention["surnames"] = "last"
    if custom == "german":
        convention["umlauts"] = "expanded" if rng.random() < 0.8 else "plain"
    # About 70 % of domains give nearly everyone one format; the rest mix in a second (old accounts,
    # acquisitions) for a fifth to a third of their people.
    second_share = 0.03 if rng.random() < 0.7 else rng.uniform(0.2, 0.35)
    rows = []
    used: set[str] = set()
    for person in _people(fake, custom, rng, people):
        chosen = second if rng.random() < second_share else template
        if custom == "spanish" and person.last2 and rng.random() < 0.15:  # listed with one surname
            person = Person(f"{person.first} {person.last}", person.first, "", person.last)
        address = _address(person, chosen, domain, convention)
        local, _, at = address.partition("@")
        roll = rng.random()
        if roll < 0.02 and len(local) > 5:  # a typo in the published address
            i = rng.randrange(1, len(local) - 1)
            local = local[:i] + rng.choice("aeiou") + local[i + 1 :]
        elif roll < 0.04:  # a namesake's or a re-hire's digit
            local += str(rng.randint(1, 9))
        elif roll < 0.07:  # an alias no format explains (a nickname, a legacy handle)
            local = _fold(person.first)[:3] + _fold(person.last)[:2] + str(rng.randint(10, 99))
        if local in used:
            local += "2"
        used.add(local)
        rows.append((person.name, f"{local}@{at}"))
    return label, domain, rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--domains", type=int, default=6, help="domains per culture")
    parser.add_argument("--people", type=int, default=15, help="people per domain")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--patterns", help="a patterns/ folder to measure instead of the bundled one")
    args = parser.parse_args()

    from reachout.guessing import guess

    rng = random.Random(args.seed)
    hits: dict[tuple[str, int], list[tuple[bool, bool]]] = defaultdict(list)
    calibration: list[tuple[float, bool]] = []
    started = time.perf_counter()
    for culture in CULTURES:
        for index in range(args.domains):
            label, domain, rows = _directory(culture, index, args.people, rng)
            for i, (name, address) in enumerate(rows):
                others = rows[:i] + rows[i + 1 :]
                for k in (0, 1, 3):
                    known = rng.sample(others, k)
                    try:
                        result = guess(name, domain, known=known, roles=False, top=5, patterns=args.patterns)
                    except Exception:  # a name the guesser refuses is a miss, as a user would see it
                        hits[label, k].append((False, False))
                        continue
                    ranked = [c.address for c in result.personal]
                    hits[label, k].append((ranked[:1] == [address], address in ranked[:3]))
                    calibration += [(c.confidence, c.address == address) for c in result.personal[:5]]
    elapsed = time.perf_counter() - started
    _report(hits, calibration)
    print(f"\n{sum(len(v) for v in hits.values()):,} guesses in {elapsed:.1f} s")
    return 0


def _rate(values: list[tuple[bool, bool]], which: int) -> str:
    return f"{100 * sum(v[which] for v in values) / len(values):5.1f}" if values else "    -"


def _report(
    hits: dict[tuple[str, int], list[tuple[bool, bool]]], calibration: list[tuple[float, bool]]
) -> None:
    labels = sorted({label for label, _ in hits}, key=[c[0] for c in CULTURES].index)
    print("culture  top-1 %: 0 known  1 known  3 known   top-3 %: 0 known  3 known")
    for label in [*labels, "all"]:
        rows = {k: [h for (lab, kk), v in hits.items() if kk == k and label in (lab, "all") for h in v]
                for k in (0, 1, 3)}
        print(f"{label:8} {'':9}{_rate(rows[0], 0)}    {_rate(rows[1], 0)}    {_rate(rows[3], 0)}"
              f"   {'':9}{_rate(rows[0], 1)}    {_rate(rows[3], 1)}")
    print("\nReliability over each guess's top five candidates:")
    print("stated      candidates  right %")
    ece = 0.0
    for low in [i / 10 for i in range(10)]:
        in_bin = [(conf, right) for conf, right in calibration
                  if low <= conf < low + 0.1 or (low == 0.9 and conf == 1)]
        if not in_bin:
            continue
        inside = [right for _, right in in_bin]
        stated = sum(conf for conf, _ in in_bin) / len(in_bin)
        right = sum(inside) / len(inside)
        ece += len(inside) / len(calibration) * abs(stated - right)
        print(f"{low:.0%}–{low + 0.1:.0%}   {len(inside):10,}   {100 * right:6.1f}  "
              f"(stated {100 * stated:.1f})")
    print(f"expected calibration error (ECE): {ece:.3f}  (goal ≤ 0.03: ratio {ece / 0.03:.2f})")


if __name__ == "__main__":
    sys.exit(main())
