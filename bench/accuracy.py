"""How often the guesser's first (and first three) candidates are right, and how honest its confidences are.

Leave-one-out over generated staff directories: for each person, `guess(name, domain, known=…)` with 0, 1
and 3 other people's real addresses from the same domain. Two sets are reported apart, as the held-out
real-directory checks are (issue 23): a *company* set (company domains, mostly English and European
staff names with some from elsewhere) and a *mixed* set (universities, parliaments, newsrooms of 21
countries, each writing its own country's names). For each: top-1/top-3 at 0, 1 and 3 known, the share of
targets right with no known address that one known address makes wrong, the single-format ceiling (how
often the domain's main format alone is right), and a reliability table with the expected calibration
error (ECE) over each guess's top five candidates.

The corpus. Faker's locales give realistic names. Addresses are built from the generator's own name parts,
never by reachout's name reader. Every rate below is stated in RATES and documented in docs/accuracy.md;
they are the reachout authors' estimates of what real directories carry, set so that the corpus shows what
the held-out real directories showed (single-format ceiling ≈ 60 % on company domains and ≈ 69 % on the
mixed set; a third of company failures with three known addresses that all disagree; addresses in a
format of their own, numbers and nicknames among the rest). They were fixed before reachout was tuned
on this corpus, and are not tuned to its results. The main formats' shares (FORMATS) follow the same
reading of the held-out figures as patterns/formats.toml's priors (first.last about twice flast), so the
results with nothing known partly test the priors against that reading.

Caveat: a generated corpus shows what the model gets right on the conventions it was built to know; the
real-directory checks outside this repository are the measure that counts.

    python bench/accuracy.py [--set company|mixed|both] [--quick] [--domains N] [--people N] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from dataclasses import dataclass, field, replace

from anyascii import anyascii

# (culture, Faker locale, TLD, custom)
CULTURES = [
    ("es", "es_ES", "es", "spanish"), ("mx", "es_MX", "com.mx", "spanish"), ("co", "es_CO", "co", "spanish"),
    ("ca", "es_ES", "cat", "spanish"), ("br", "pt_BR", "com.br", "portuguese"),
    ("pt", "pt_PT", "pt", "portuguese"), ("de", "de_DE", "de", "german"), ("nl", "nl_NL", "nl", "plain"),
    ("fr", "fr_FR", "fr", "plain"), ("it", "it_IT", "it", "plain"), ("pl", "pl_PL", "pl", "plain"),
    ("tr", "tr_TR", "com.tr", "plain"), ("gb", "en_GB", "co.uk", "plain"), ("us", "en_US", "com", "plain"),
    ("cn", "zh_CN", "cn", "chinese"), ("jp", "ja_JP", "co.jp", "japanese"), ("in", "hi_IN", "in", "plain"),
    ("ar", "ar_AA", "com", "plain"), ("vn", "vi_VN", "vn", "vietnamese"), ("ru", "ru_RU", "ru", "russian"),
    ("hu", "hu_HU", "hu", "hungarian"),
]
BY_LABEL = {c[0]: c for c in CULTURES}
# Cultures added after the corpus was first drawn. Their directories draw from a generator of their own
# and come after the others, and they are not drawn as other domains' foreign staff, so that adding one
# leaves every other directory, and the known addresses sampled there, as they were.
ADDED = ("vn", "ru", "hu")
FOREIGN = [c for c in CULTURES if c[0] not in ADDED]
# Company staff: mostly English and European names, some from elsewhere (the held-out company set's mix).
COMPANY_STAFF = {"us": 0.34, "gb": 0.18, "de": 0.08, "fr": 0.07, "it": 0.04, "nl": 0.04, "pl": 0.03,
                 "es": 0.06, "in": 0.06, "cn": 0.06, "br": 0.02, "tr": 0.02}
# The common formats and their shares as a domain's main format: first.last about twice as common as
# flast, as the held-out real-directory checks imply (with nothing known, top-1 35 % and top-3 60 % on
# company domains, where the published vendor tables say 36 % and 34 %), plus the two-surname ones
# Spanish domains use.
FORMATS = [("{first}.{last}", 0.46), ("{f}{last}", 0.22), ("{first}", 0.10), ("{first}{l}", 0.03),
           ("{first}{last}", 0.05), ("{last}.{first}", 0.03), ("{first}_{last}", 0.03), ("{f}.{last}", 0.05),
           ("{last}{f}", 0.01), ("{first}-{last}", 0.01), ("{f}{m}{last}", 0.01)]
SPANISH_FORMATS = [("{first}.{last}", 0.45), ("{f}{last}", 0.25), ("{f}{last}{l2}", 0.10),
                   ("{first}.{last}.{last2}", 0.05), ("{first}", 0.05), ("{f}{last}{last2}", 0.05),
                   ("{first}.{last}-{last2}", 0.05)]
# Vietnamese organisations: the given name with the initials of the family and middle names (annv for
# Nguyen Van An) beside first.last, and at some universities the family and middle names whole
# (an.nguyenvan, nguyenvanan). The reachout authors' estimates, as formats.toml's vietnamese column is:
# the bench therefore tests the reader and the rendering of these formats, not their shares.
VIETNAMESE_FORMATS = [("{first}{l}{mi}", 0.35), ("{first}.{last}", 0.25), ("{first}{last}", 0.10),
                      ("{first}.{last}{middle}", 0.08), ("{first}", 0.06), ("{f}{last}", 0.05),
                      ("{last}{middle}{first}", 0.04), ("{last}.{first}", 0.04), ("{first}_{last}", 0.03)]
# How a Vietnamese directory writes its own names: family name first with diacritics (Nguyễn Văn An),
# the same without them, given name first as its English pages may (An Van Nguyen), the family name in
# capitals (NGUYỄN Văn An). The reachout authors' estimates.
VIETNAMESE_WRITTEN = [("vietnamese", 0.80), ("ascii", 0.10), ("given first", 0.05), ("capitals", 0.05)]
# Formats a mixed domain's minority uses besides the common ones: old 8-letter mailboxes, surname alone.
MINORITY_FORMATS = [("{last}", 0.25), ("{f}{last:7}", 0.15), ("{f}{last:4}", 0.05), ("{first}{last}", 0.15),
                    ("{f}{m}{last}", 0.15), ("{first}.{m}.{last}", 0.10), ("{last}{f}", 0.15)]

# What real directories carry, per set (see the module docstring and docs/accuracy.md).
RATES = {
    "company": {
        "mixed_domain": 0.50,      # domains whose people follow two to three formats (acquisitions, eras)
        "main_share": (0.40, 0.75),  # at a mixed domain, the main format's share of people
        "custom_rule": 0.20,       # domains where one naming custom has a format of its own
        "variant": 0.04,           # a collision variant of the main format (fi+last, a second initial)
        "number": 0.04,            # a namesake's or re-hire's number (flast2, first.last.4)
        "nickname": 0.06,          # an address made of the person's nickname, if they have a usual one
        "alias": 0.08,             # an address no format explains (a legacy handle, a role-like alias)
        "typo": 0.01,              # a typo in the published address
        "one_surname": 0.15,       # Spanish people listed with one surname
        "nickname_domain": 0.05,   # domains whose people go by their usual short forms (bob.smith@)
        "titled": 0.03,            # people listed with titles or degrees (Dr. Jane Doe, Jane Doe, PhD)
        "listing": 0.03,           # domains whose directory lists everyone family name first (LISTINGS)
    },
    "mixed": {
        "mixed_domain": 0.40, "main_share": (0.45, 0.85), "custom_rule": 0.25, "variant": 0.03,
        "number": 0.03, "nickname": 0.03, "alias": 0.07, "typo": 0.01, "one_surname": 0.15,
        "foreign": 0.10,           # staff whose names come from another culture
        "nickname_domain": 0.05,
        "catalan_domain": 0.30,    # .cat domains that write Castilian given names in Catalan (jordi@)
        "titled": 0.15,            # universities' and parliaments' listings: Prof. Dr., MP, Doç. Dr.
        "listing": 0.25,           # official lists: Doe, Jane; DOE Jane; Doe Jane (LISTINGS)
    },
}
# Usual short forms (both the bench's and a real directory's: bob.smith@ for Robert Smith).
NICKNAMES = {
    "robert": "bob", "william": "bill", "richard": "rick", "james": "jim", "michael": "mike", "thomas": "tom",
    "christopher": "chris", "daniel": "dan", "matthew": "matt", "joseph": "joe", "david": "dave",
    "edward": "ed", "philip": "phil", "anthony": "tony", "jennifer": "jen", "elizabeth": "liz",
    "katherine": "kate", "margaret": "maggie", "patricia": "pat", "alexander": "alex", "benjamin": "ben",
    "samuel": "sam", "nicholas": "nick", "jonathan": "jon", "ignacio": "nacho", "francisco": "paco",
    "andrew": "andy", "steven": "steve", "stephen": "steve", "timothy": "tim", "kenneth": "ken",
    "ronald": "ron", "donald": "don", "gregory": "greg", "jeffrey": "jeff", "susan": "sue",
    "rebecca": "becky", "victoria": "vicky", "jessica": "jess", "charles": "charlie", "johannes": "hannes",
    "alejandro": "alex", "manuel": "manolo", "giuseppe": "peppe", "guillermo": "memo",
}
# Titles, honours and degrees directories print around a name, per culture (before, after): the address
# has none of them.
TITLED = {
    "de": (["Dr.", "Prof. Dr.", "Dr. rer. nat.", "Prof. Dr.-Ing.", "Dipl.-Ing."], [", MdB"]),
    "gb": (["Dr", "Prof", "Sir", "Dame", "Rt Hon"], ["MP", "OBE", "FRS"]),
    "us": (["Dr.", "Prof."], [", PhD", ", MD", "Jr."]),
    "es": (["Dr.", "Dra.", "D.", "Dña."], []), "mx": (["Lic.", "Ing.", "Dr."], []),
    "co": (["Dr.", "Ing."], []), "ca": (["Dr.", "Dra."], []),
    "it": (["Dott.", "Dott.ssa", "Prof.", "Ing."], []),
    "fr": (["Pr", "Dr", "Mme"], []), "pl": (["dr", "dr hab.", "prof. dr hab.", "mgr inż."], []),
    "nl": (["dr.", "prof. dr.", "ir.", "drs."], []), "pt": (["Dr.", "Dra.", "Prof."], []),
    "br": (["Dr.", "Dra.", "Prof."], []), "tr": (["Dr.", "Prof. Dr.", "Doç. Dr.", "Arş. Gör."], []),
    "in": (["Dr.", "Prof."], []), "cn": (["Dr."], []), "jp": (["Dr."], []), "ar": (["Dr."], []),
}
# Castilian given names and their Catalan forms (a Catalan-writing domain's Jorge is jordi@).
CATALAN = {
    "jorge": "jordi", "juan": "joan", "jose": "josep", "alberto": "albert", "pedro": "pere", "pablo": "pau",
    "miguel": "miquel", "sergio": "sergi", "enrique": "enric", "antonio": "antoni", "francisco": "francesc",
    "jaime": "jaume", "luis": "lluis", "ana": "anna", "rosa": "roser", "carlos": "carles", "andres": "andreu",
    "eduardo": "eduard", "esteban": "esteve", "javier": "xavier", "manuel": "manel", "joaquin": "joaquim",
    "vicente": "vicent", "ignacio": "ignasi", "lorenzo": "llorenc", "dolores": "dolors", "elena": "helena",
    "beatriz": "beatriu", "catalina": "caterina", "margarita": "margarida", "mercedes": "merce",
    "angeles": "angels", "jesus": "jesus", "ramon": "ramon", "felipe": "felip", "guillermo": "guillem",
}


@dataclass
class Person:
    name: str
    first: str
    middle: str
    last: str
    last2: str = ""
    custom: str = "plain"  # the naming custom: "east asian", "two surnames" or "plain"


def _fold(text: str, expand: bool = False) -> str:
    text = text.lower()
    if expand:
        for a, b in {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}.items():
            text = text.replace(a, b)
    return "".join(ch for ch in anyascii(text).lower() if ch.isalnum())


def _person(fake, custom: str, rng: random.Random) -> Person:
    if custom == "chinese":
        given, family = fake.first_romanized_name(), fake.last_romanized_name()
        name = f"{given} {family}" if rng.random() < 0.7 else f"{family} {given}"
        return Person(name, given, "", family, custom="east asian")
    if custom == "japanese":
        given, family = fake.first_romanized_name(), fake.last_romanized_name()
        return Person(f"{family} {given}", given, "", family, custom="east asian")
    if custom == "vietnamese":
        return _vietnamese(fake, rng)
    if custom == "russian":
        return _russian(fake, rng)
    if custom == "hungarian":
        return _hungarian(fake, rng)
    given = fake.first_name()
    family = fake.last_name()
    if custom in {"spanish", "portuguese"}:
        second = fake.last_name()
        if custom == "portuguese" and rng.random() < 0.5:
            return Person(f"{given} {family}", given, "", family)
        if custom == "spanish" and rng.random() < 0.25:  # a compound given name
            given = f"{given} {fake.first_name()}"
        return Person(f"{given} {family} {second}", given, "", family, second, custom="two surnames")
    middle = fake.first_name() if rng.random() < 0.1 else ""
    name = " ".join(p for p in (given, middle, family) if p)
    return Person(name, given, middle, family)


# How Russian directories write names: family name, given name, patronymic (as official lists do), given
# name, patronymic, family name, or given and family name alone; in Cyrillic or transliterated. The
# reachout authors' estimates.
RUSSIAN_WRITTEN = [("family first", 0.5), ("given first", 0.25), ("no patronymic", 0.25)]
# Hungarian directories write the family name first; English pages the other way round (estimates).
HUNGARIAN_WRITTEN = [("family first", 0.85), ("given first", 0.15)]


def _russian(fake, rng: random.Random) -> Person:
    """A Russian name from ru_RU's lists, with a patronymic of the same gender (Petrov Ivan Ivanovich)."""
    male = rng.random() < 0.5
    given = (fake.first_name_male if male else fake.first_name_female)()
    patronymic = (fake.middle_name_male if male else fake.middle_name_female)()
    family = (fake.last_name_male if male else fake.last_name_female)()
    name = {"family first": f"{family} {given} {patronymic}", "given first": f"{given} {patronymic} {family}",
            "no patronymic": f"{given} {family}"}[_draw(rng, RUSSIAN_WRITTEN)]
    return Person(anyascii(name) if rng.random() < 0.5 else name, given, patronymic, family)


def _hungarian(fake, rng: random.Random) -> Person:
    """A Hungarian name from hu_HU's lists, written family name first as at home (Nagy János)."""
    given, family = fake.first_name(), fake.last_name()
    first_family = _draw(rng, HUNGARIAN_WRITTEN) == "family first"
    return Person(f"{family} {given}" if first_family else f"{given} {family}", given, "", family)


def _vietnamese(fake, rng: random.Random) -> Person:
    """A Vietnamese name from vi_VN's lists (its name() writes them given name first, and its first_name()
    is English): family name, one or two middle names (none for some), given name."""
    family = fake.last_name()
    given = rng.choice([fake.first_name_male, fake.first_name_female, fake.first_name_unisex])()
    roll = rng.random()
    middle = "" if roll < 0.05 else fake.middle_name()
    if roll >= 0.85:
        middle += " " + fake.middle_name()
    written = _draw(rng, VIETNAMESE_WRITTEN)
    if written == "given first":
        name = anyascii(" ".join(p for p in (given, middle, family) if p))
    else:
        first = family.upper() if written == "capitals" else family
        name = " ".join(p for p in (first, middle, given) if p)
        name = anyascii(name) if written == "ascii" else name
    return Person(name, given, middle, family, custom="vietnamese")


def _local(person: Person, template: str, convention: dict[str, str], forms: dict[str, str] | None = None
           ) -> str:
    """PERSON's address in TEMPLATE under the domain's CONVENTION, each given name word written in its
    FORMS (a nickname, a Catalan form) where it has one."""
    from reachout.guessing import NameReading, compile_template

    expand = convention.get("umlauts") == "expanded"
    givens = [(forms or {}).get(_fold(word, expand), _fold(word, expand)) for word in person.first.split()]
    first = givens[0] if convention.get("given") != "joined" else "".join(givens)
    last, last2 = _fold(person.last, expand), _fold(person.last2, expand)
    if convention.get("surnames") == "last" and last2:
        last, last2 = last2, ""
    joined = convention.get("given") == "joined"
    middles = [] if joined else [_fold(word, expand) for word in (person.middle.split() or givens[1:])]
    middle, initials = "".join(middles), "".join(word[:1] for word in middles)
    reading = NameReading(first, middle, last, first[:1], 1.0, last2=last2, middle_initials=initials)
    return compile_template(template).render(reading) or first


def _variant(person: Person, template: str, convention: dict[str, str], rng: random.Random) -> str | None:
    """How a namesake's clash is resolved in the person's own format: two letters of the given name or a
    second initial for an initial ({first:2}{last}, {f}{m}{last}), a middle initial between given name
    and surname (john.a.smith); None for a format without either."""
    if not person.middle:
        person = replace(person, middle=rng.choice("abcdeghjklmnprst"))
    if "{f}" in template:
        return _local(person, template.replace("{f}", rng.choice(["{first:2}", "{f}{m}"]), 1), convention)
    for sep in (".", "_", ""):
        if f"{{first}}{sep}{{last}}" in template:
            return _local(person, template.replace("{first}" + sep, "{first}" + sep + "{m}" + sep, 1),
                          convention)
    return None


def _titled(person: Person, culture: str, rate: float, rng: random.Random) -> Person:
    """PERSON as a directory may list them, with a title or degree at RATE (a generator of its own keeps
    the corpus the same draw with or without it)."""
    before, after = TITLED.get(culture, ([], []))
    if rng.random() >= rate or not before + after:
        return person
    if after and (not before or rng.random() < 0.4):
        suffix = rng.choice(after)
        return replace(person, name=person.name + ("" if suffix.startswith(",") else " ") + suffix)
    return replace(person, name=f"{rng.choice(before)} {person.name}")


# How a directory that lists people family name first writes them: sorted with a comma (Doe, Jane), the
# family name in capitals (DOE Jane, as French and EU lists do), or family name first with nothing to mark
# it (Doe Jane, as Italian, Polish and Spanish official lists and parliaments do). The reachout authors'
# estimates; names of the East Asian, Vietnamese, Russian and Hungarian customs keep their own forms.
LISTINGS = [("sorted", 0.4), ("capitals", 0.3), ("family first", 0.3)]


def _listing(domain: str, rate: float) -> str | None:
    """How DOMAIN's directory lists names, from a generator of its own (the corpus stays the same draw)."""
    rng = random.Random(f"{domain}-listing")
    return _draw(rng, LISTINGS) if rng.random() < rate else None


def _listed_as(person: Person, listing: str | None) -> Person:
    """PERSON as a directory of LISTING writes them (their address stays what it was)."""
    if listing is None or person.custom not in {"plain", "two surnames"}:
        return person
    given = " ".join(p for p in (person.first, person.middle) if p)
    family = " ".join(p for p in (person.last, person.last2) if p)
    name = {"sorted": f"{family}, {given}", "capitals": f"{family.upper()} {given}",
            "family first": f"{family} {given}"}[listing]
    return replace(person, name=name)


def _draw(rng: random.Random, table: list[tuple[str, float]], exclude: tuple[str, ...] = ()) -> str:
    options = [(t, w) for t, w in table if t not in exclude]
    return rng.choices([t for t, _ in options], [w for _, w in options])[0]


@dataclass
class Domain:
    name: str
    label: str  # the culture of the domain (mixed set) or "company"
    rows: list[tuple[str, str]]  # (name, address) per person
    main_right: int  # how many people's address is the main format's: the single-format ceiling
    kinds: tuple[str, ...] = ()  # "mixed formats", "custom format": what the domain carries
    how: dict[str, str] = field(default_factory=dict)  # address → "main format", "alias", "number"…
    titled: set[str] = field(default_factory=set)  # the names listed with a title or degree
    family_first: set[str] = field(default_factory=set)  # the names a LISTINGS directory wrote so


def _directory(set_name: str, label: str, index: int, people: int, rng: random.Random) -> Domain:
    from faker import Faker

    rates = RATES[set_name]
    if set_name == "company":
        custom, tld = "plain", "com"
    else:
        _, _, tld, custom = BY_LABEL[label]
    fakers: dict[str, Faker] = {}

    def faker(culture: str) -> Faker:
        if culture not in fakers:
            fakers[culture] = Faker(BY_LABEL[culture][1])
            fakers[culture].seed_instance(rng.randrange(1 << 30))
        return fakers[culture]

    domain = f"org{index}-{label}.{tld}"
    table = {"spanish": SPANISH_FORMATS, "vietnamese": VIETNAMESE_FORMATS}.get(custom, FORMATS)
    main = _draw(rng, table)
    # The other formats a mixed domain's people follow, and their shares.
    shares = [(main, 0.97)]
    others = [_draw(rng, table + MINORITY_FORMATS, (main,))]
    kinds = []
    if rng.random() < rates["mixed_domain"]:
        kinds.append("mixed formats")
        main_share = rng.uniform(*rates["main_share"])
        if rng.random() < 0.5:
            others.append(_draw(rng, table + MINORITY_FORMATS, (main, others[0])))
        split = [rng.random() + 0.3 for _ in others]
        rest = [(t, (1 - main_share) * s / sum(split)) for t, s in zip(others, split, strict=True)]
        shares = [(main, main_share), *rest]
    else:
        shares.append((others[0], 0.03))
    # A format of one naming custom's own: East Asian staff write lastfirst, two-surname staff add both.
    rule: tuple[str, str] | None = None
    if rng.random() < rates["custom_rule"]:
        kinds.append("custom format")
        rule = rng.choice([("east asian", "{last}{first}"), ("two surnames", "{f}{last}{l2}"),
                           ("east asian", "{first}{last}"), ("two surnames", "{first}.{last}.{last2}")])
    convention: dict = {}
    if custom == "spanish":
        convention["surnames"] = "first" if rng.random() < 0.85 else "last"
        convention["given"] = "joined" if rng.random() < 0.3 else "first"
    if custom == "portuguese":
        convention["surnames"] = "last"
    if custom == "german":
        convention["umlauts"] = "expanded" if rng.random() < 0.8 else "plain"
    # Given names the domain writes in another form: everyone's usual short form, or at a .cat domain
    # the Catalan form of its own country's Castilian names.
    forms: dict[str, str] = {}
    if rng.random() < rates["nickname_domain"]:
        forms = NICKNAMES
    elif label == "ca" and rng.random() < rates.get("catalan_domain", 0):
        forms = CATALAN
    if forms:
        kinds.append("given forms")
    dotted_numbers = rng.random() < 0.3  # first.last.4 rather than flast2
    rows = []
    hows: dict[str, str] = {}
    titled: set[str] = set()
    family_first: set[str] = set()
    listing = _listing(domain, rates.get("listing", 0.0))
    used: set[str] = set()
    main_right = 0
    for _ in range(people):
        if set_name == "company":
            culture = _draw(rng, list(COMPANY_STAFF.items()))
        elif rng.random() < rates["foreign"]:
            culture = rng.choice(FOREIGN)[0]
        else:
            culture = label
        person_custom = BY_LABEL[culture][3]
        person = _person(faker(culture), person_custom, rng)
        if person.last2 and rng.random() < rates["one_surname"]:  # listed with one surname
            person = replace(person, name=f"{person.first} {person.last}", last2="", custom="plain")
        listed = _titled(person, culture, rates["titled"], random.Random(f"{domain}-{person.name}"))
        if listed is not person:
            titled.add(listed.name)
        # Dr. Jane Doe stays so: a title before "Doe, Jane" reads oddly.
        person = listed if listed is not person else _listed_as(listed, listing)
        if person.name != listed.name:
            family_first.add(person.name)
        chosen = rng.choices([t for t, _ in shares], [w for _, w in shares])[0]
        if rule and person.custom == rule[0]:
            chosen = rule[1]
        # The domain's conventions are its own country's; a foreign name keeps the plain ones.
        own = convention if person_custom == custom else {}
        own_forms = forms if forms is NICKNAMES or person_custom == custom else {}
        local = _local(person, chosen, own, own_forms)
        main_local = _local(person, rule[1] if rule and person.custom == rule[0] else main, own, own_forms)
        how = "custom format" if rule and person.custom == rule[0] else (
            "main format" if chosen == main else "minority format")
        roll = rng.random()
        cuts = [rates[k] for k in ("variant", "number", "nickname", "alias", "typo")]
        if roll < cuts[0]:
            local, how = _variant(person, chosen, own, rng) or local + "1", "variant"
        elif (roll := roll - cuts[0]) < cuts[1]:
            local += ("." if dotted_numbers and "." in local else "") + str(rng.randint(2, 9))
            how = "number"
        elif (roll := roll - cuts[1]) < cuts[2]:
            nickname = _local(person, chosen, own, NICKNAMES)
            how = "nickname" if nickname != local else how
            local = nickname
        elif (roll := roll - cuts[2]) < cuts[3]:  # a legacy handle
            local = _fold(person.first)[:3] + _fold(person.last)[:2] + str(rng.randint(10, 99))
            how = "alias"
        elif (roll := roll - cuts[3]) < cuts[4] and len(local) > 5:
            i = rng.randrange(1, len(local) - 1)
            local = local[:i] + rng.choice("aeiou") + local[i + 1 :]
            how = "typo"
        if local in used:  # a namesake got it first
            local += "2"
            how = "number"
        used.add(local)
        main_right += local == main_local
        rows.append((person.name, f"{local}@{domain}"))
        hows[f"{local}@{domain}"] = how
    return Domain(domain, label, rows, main_right, tuple(kinds), hows, titled, family_first)


@dataclass
class Outcome:
    domain: str
    label: str
    kinds: tuple[str, ...]
    first_known: str  # how the one known address was made ("main format", "alias"…)
    target: str  # how the target's own address was made
    right: dict[int, tuple[bool, bool]]  # known count → (top-1 right, top-3 right)
    titled: bool = False  # the target's name was listed with a title or degree
    family_first: bool = False  # the target's name was listed family name first (LISTINGS)


def _measure(domains: list[Domain], rng: random.Random, patterns: str | None
             ) -> tuple[list[Outcome], list[tuple[float, bool]]]:
    from reachout.guessing import guess

    outcomes: list[Outcome] = []
    calibration: list[tuple[float, bool]] = []
    for domain in domains:
        for i, (name, address) in enumerate(domain.rows):
            others = domain.rows[:i] + domain.rows[i + 1 :]
            three = rng.sample(others, 3)
            right = {}
            for k in (0, 1, 3):
                try:
                    result = guess(name, domain.name, known=three[:k], roles=False, top=5, patterns=patterns)
                except Exception:  # a name the guesser refuses is a miss, as a user would see it
                    right[k] = (False, False)
                    continue
                ranked = [c.address for c in result.personal]
                right[k] = (ranked[:1] == [address], address in ranked[:3])
                calibration += [(c.confidence, c.address == address) for c in result.personal[:5]]
            outcomes.append(Outcome(domain.name, domain.label, domain.kinds, domain.how[three[0][1]],
                                    domain.how[address], right, name in domain.titled,
                                    name in domain.family_first))
    return outcomes, calibration


def _pct(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):5.1f}" if values else "    -"


def _intervals(outcomes: list[Outcome], rounds: int = 400) -> str:
    """The 95 % bootstrap interval's half-width of the headline figures, resampling whole domains: people
    at one domain share its format, so the domains, not the guesses, are the sample."""
    by_domain: dict[str, list[Outcome]] = {}
    for o in outcomes:
        by_domain.setdefault(o.domain, []).append(o)
    groups = list(by_domain.values())
    rng = random.Random(0)
    figures: list[list[float]] = [[] for _ in range(4)]
    for _ in range(rounds):
        sample = [o for group in rng.choices(groups, k=len(groups)) for o in group]
        for k, column in zip((0, 1, 3), figures, strict=False):
            column.append(sum(o.right[k][0] for o in sample) / len(sample))
        right_at_0 = [o for o in sample if o.right[0][0]]
        figures[3].append(sum(not o.right[1][0] for o in right_at_0) / max(1, len(right_at_0)))
    half = [100 * (sorted(c)[int(0.975 * rounds)] - sorted(c)[int(0.025 * rounds)]) / 2 for c in figures]
    return (f"95 % interval over domains: top-1 at 0 / 1 / 3 known ±{half[0]:.1f} / ±{half[1]:.1f} / "
            f"±{half[2]:.1f} points; right at 0, wrong at 1 ±{half[3]:.1f}")


def _report(set_name: str, domains: list[Domain], outcomes: list[Outcome],
            calibration: list[tuple[float, bool]], by_label: bool) -> None:
    people = sum(len(d.rows) for d in domains)
    ceiling = sum(d.main_right for d in domains) / people
    print(f"\n== {set_name} set: {len(domains)} domains, {people} people; "
          f"single-format ceiling {100 * ceiling:.1f} %")
    print("group          top-1 %: 0 known  1 known  3 known   top-3 %: 0 known  1 known  3 known")
    labels = sorted({o.label for o in outcomes}, key=lambda x: [c[0] for c in CULTURES].index(x)
                    if x in BY_LABEL else -1) if by_label else []
    for label in [*labels, "all", "mixed formats", "custom format", "given forms", "one format",
                  "custom's own", "titled names", "family first"]:
        rows = [o for o in outcomes if label in (o.label, "all", *o.kinds)
                or (label == "one format" and not o.kinds)
                or (label == "custom's own" and o.target == "custom format")
                or (label == "titled names" and o.titled)
                or (label == "family first" and o.family_first)]
        top1 = [_pct([o.right[k][0] for o in rows]) for k in (0, 1, 3)]
        top3 = [_pct([o.right[k][1] for o in rows]) for k in (0, 1, 3)]
        print(f"{label:14} {'':9}{'    '.join(top1)}   {'':9}{'    '.join(top3)}")
    right_at_0 = [o for o in outcomes if o.right[0][0]]
    lost = [not o.right[1][0] for o in right_at_0]
    print(f"right at 0 known, wrong at 1: {_pct(lost).strip()} % of {len(right_at_0)}  (goal ≤ 8 %: ratio "
          f"{sum(lost) / max(1, len(lost)) / 0.08:.2f})")
    by_how: dict[str, list[bool]] = {}
    for o in right_at_0:
        by_how.setdefault(o.first_known, []).append(not o.right[1][0])
    print("  by the known address: " + ", ".join(
        f"{how} {sum(v)}/{len(v)}" for how, v in sorted(by_how.items(), key=lambda kv: -len(kv[1]))))
    print(_intervals(outcomes))
    print("Reliability over each guess's top five candidates:")
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
    print(f"expected calibration error (ECE): {ece:.3f}  (goal ≤ 0.025: ratio {ece / 0.025:.2f})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["company", "mixed", "both"], default="both")
    parser.add_argument("--domains", type=int, help="company domains (default 150), or domains per culture "
                        "in the mixed set (default 8)")
    parser.add_argument("--people", type=int, default=15, help="people per domain")
    parser.add_argument("--quick", action="store_true", help="a third of the domains, to iterate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--patterns", help="a patterns/ folder to measure instead of the bundled one")
    args = parser.parse_args()

    started = time.perf_counter()
    guesses = 0
    for set_name in ("company", "mixed"):
        if args.set not in (set_name, "both"):
            continue
        rng = random.Random(f"{args.seed}-{set_name}")
        if set_name == "company":
            count = args.domains or (50 if args.quick else 150)
            domains = [_directory(set_name, "company", i, args.people, rng) for i in range(count)]
        else:
            count = args.domains or (3 if args.quick else 8)
            domains = [_directory(set_name, culture[0], i, args.people, rng)
                       for culture in FOREIGN for i in range(count)]
            for label in ADDED:  # after the others, from a generator of their own (see ADDED)
                own = random.Random(f"{args.seed}-{set_name}-{label}")
                domains += [_directory(set_name, label, i, args.people, own) for i in range(count)]
        outcomes, calibration = _measure(domains, rng, args.patterns)
        guesses += 3 * len(outcomes)
        _report(set_name, domains, outcomes, calibration, by_label=set_name == "mixed")
    print(f"\n{guesses:,} guesses in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
