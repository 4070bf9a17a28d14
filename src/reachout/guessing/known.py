"""Addresses known to be people's: read from what a user gives ('Alice Smith <asmith@acme.com>', a
file, a spreadsheet) and syntax-checked with email-validator."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass

from reachout.errors import BadInput

_NAME_ADDR = re.compile(r"^\s*(?P<name>.*?)\s*<\s*(?P<address>[^<>\s]+)\s*>\s*$")


@dataclass(frozen=True)
class KnownAddress:
    """A person's name and an address known to be theirs; WEIGHT is how much it counts when a domain's
    format is learnt (1 for one the user gives; less for one gathered from public evidence)."""

    name: str
    address: str
    weight: float = 1.0
    source: str = "given"  # "given" (the user), "site" (a saved brief) or an evidence source's name

    @property
    def local(self) -> str:
        return self.address.rsplit("@", 1)[0]

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1]


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
    return KnownAddress(name=_name(name), address=address)


def _name(text: str) -> str:
    """A known person's name as read: no soft hyphens or zero-width characters inside its words."""
    from reachout.textinput import without_format_characters

    return without_format_characters(text).strip()


# What the learner reads at most: a domain's format is plain from far fewer known addresses, and
# each costs time in proportion to its name's readings (2,000 of 20 words took 25 s).
MAX_KNOWN = 100
MAX_NAME_WORDS = 10  # a "name" of more words is a headline or a list, not a person's name


def read_known(
    items: Iterable[KnownAddress | str | tuple[str, str]], *, allow_private: bool = False
) -> tuple[list[KnownAddress], list[str]]:
    """KnownAddress records from ITEMS, and a notice for each one that could not be read (a malformed
    known address is that address's problem, never the guess's). Each address is read once, and at
    most MAX_KNOWN of them (see for_learning)."""
    given = list(items)
    distinct = list(dict.fromkeys(given))  # 10,000 copies of one line are read once, not checked 10,000 times
    pairs, notices = _read_each(distinct, allow_private)
    kept, said = for_learning(pairs, repeated=len(given) - len(distinct))
    return kept, notices + said


def for_learning(pairs: list[KnownAddress], *, repeated: int = 0) -> tuple[list[KnownAddress], list[str]]:
    """PAIRS as the learner should see them, and notices saying what was left out: each address once
    (the first name given for it), names of at most MAX_NAME_WORDS words, and at most MAX_KNOWN
    addresses, those with the fewest name words first (a short name tells formats apart best: 'Ann
    Lee' has two readings, a long one dozens), in the order given otherwise. REPEATED counts copies
    dropped before PAIRS were read."""
    notices: list[str] = []
    seen: set[str] = set()
    unique = []
    for pair in pairs:
        if pair.address not in seen:
            seen.add(pair.address)
            unique.append(pair)
    repeated += len(pairs) - len(unique)
    if repeated:
        notices.append(f"{repeated:,} known address(es) were given more than once; each was read once.")
    named = [p for p in unique if len(p.name.split()) <= MAX_NAME_WORDS]
    if len(named) < len(unique):
        notices.append(f"Ignored {len(unique) - len(named):,} known address(es) whose names have more "
                       f"than {MAX_NAME_WORDS} words: that is no person's name.")
    if len(named) > MAX_KNOWN:
        kept = set(map(id, sorted(named, key=lambda p: len(p.name.split()))[:MAX_KNOWN]))
        notices.append(f"Read {MAX_KNOWN} of the {len(named):,} known addresses (those with the "
                       f"shortest names: they tell formats apart best); the other "
                       f"{len(named) - MAX_KNOWN:,} were left out.")
        named = [p for p in named if id(p) in kept]
    return named, notices


def _read_each(
    items: Iterable[KnownAddress | str | tuple[str, str]], allow_private: bool
) -> tuple[list[KnownAddress], list[str]]:
    pairs, notices = [], []
    for item in items:
        try:
            if isinstance(item, KnownAddress):
                pairs.append(item)
            elif isinstance(item, str):
                pairs.append(parse_known(item, allow_private=allow_private))
            else:
                address = normalize_address(item[1], allow_private=allow_private)
                pairs.append(KnownAddress(_name(item[0]), address))
        except BadInput as exc:
            notices.append(f"Ignored a known address: {exc}")
    return pairs, notices


def normalize_address(address: str, *, allow_private: bool = False) -> str:
    """Syntax-check ADDRESS with email-validator; return it with a lower-cased local part.

    ALLOW_PRIVATE accepts special-use domains (.test, .local…), as `guess --allow-private` does.
    """
    from email_validator import EmailNotValidError, validate_email

    from reachout.domains import is_reserved, validate_domain
    from reachout.textinput import displayable, undecodable

    problem = undecodable(address)
    if problem:  # "x\udc80@acme.com" must not become "x?@acme.com", a valid but other address
        raise BadInput(f"{displayable(address)!r} is not a valid e-mail address: {problem}; give it "
                       "in UTF-8.")
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


def read_known_file(
    text: str, *, allow_private: bool = False, notices: list[str] | None = None
) -> list[KnownAddress]:
    """Known addresses from a file: one 'Name <address>' per line, or a table (CSV, semicolon or tab
    separated) whose header names an email column and a name (or first and last name) column, as
    `reachout batch` recognises them ("Full Name", "E-mail Address", "Surname"…).

    With NOTICES, a line that cannot be read is reported there and skipped; without, it raises BadInput.
    """
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
        return _known_from_table(lines, roles, delimiter, allow_private, notices)
    if notices is None:
        return [parse_known(line, allow_private=allow_private) for line in lines]
    pairs, problems = read_known(lines, allow_private=allow_private)
    notices += problems
    return pairs


def read_known_path(path: str, *, allow_private: bool = False, notices: list[str] | None = None
                    ) -> list[KnownAddress]:
    """read_known_file() of the file at PATH ("-": stdin), read as UTF-8."""
    from reachout.textinput import read_user_file

    return read_known_file(read_user_file(path), allow_private=allow_private, notices=notices)


def _known_from_table(
    lines: list[str], roles: dict[str, int], delimiter: str, allow_private: bool, notices: list[str] | None
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
        try:
            if not name or not address:
                raise BadInput(f"Line {number} of the known-addresses file needs both a name and an email.")
            known.append(KnownAddress(_name(name), normalize_address(address, allow_private=allow_private)))
        except BadInput as exc:
            if notices is None:
                raise
            notices.append(f"Ignored line {number} of the known-addresses file: {exc}")
    return known
