"""Legal notices: a German `Impressum` (TMG/DDG § 5), a French `Mentions légales` (LCEN art. 6),
an English `Imprint` / `Legal notice`. These pages must name the legal entity, its address and its
register entry, which makes them the most reliable source of those facts on a European site."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

LEGAL_FORMS = (
    r"GmbH\s*&\s*Co\.\s*KGaA|GmbH\s*&\s*Co\.\s*KG|gGmbH|GmbH|UG\s*\(haftungsbeschränkt\)|AG|SE|KGaA|"
    r"KG|OHG|e\.\s?V\.|eG|SASU|SAS|SARL|EURL|SA|SCOP|SCI|Ltd\.?|Limited|LLC|LLP|Inc\.?|plc|"
    r"B\.V\.|N\.V\.|S\.L\.|S\.A\.|S\.p\.A\.|S\.r\.l\.|AB|ApS|A/S|Oy"
)
_FORM = re.compile(rf"(?<![\w&])(?:{LEGAL_FORMS})(?![\w&])")
# The entity's name: capitalised words (joined by a few lower-case particles) right before a form.
_WORD = r"[A-ZÀ-Þ0-9][\w&'’.\-]*"
_NAMED = re.compile(
    rf"(?<![\w&])({_WORD}(?:\s+(?:{_WORD}|&|und|et|de|des|der|du|la|le|von|van))*?)\s*,?\s+"
    rf"((?:{LEGAL_FORMS}))(?![\w&])"
)
_LABEL = re.compile(
    r"^\s*(?:raison sociale|dénomination(?: sociale)?|société|firma|firmenname|anbieter|"
    r"betreiber|herausgeber|éditeur(?: du site)?|company(?: name)?|name|angaben gemäß[^:]*|"
    r"informations légales|legal entity)\s*:\s*",
    re.IGNORECASE,
)
_POSTCODE = re.compile(
    r"(?:^|,\s*)(?:[A-Z]{1,2}-)?\d{4,5}\s+[A-ZÄÖÜÉÈ][\w\-.' ]+|"
    r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b",  # a UK postcode (LS11 5PS)
    re.UNICODE,
)
# Companies House: "Registered in England and Wales, company number 01234567" (Companies Act 2006
# s. 82 and the Company Registration Regulations put it on websites).
_UK_NUMBER = re.compile(
    r"(?:registered in (?P<place>England(?:\s+(?:and|&)\s+Wales)?|Wales|Scotland|"
    r"Northern Ireland)\b[^.\n]{0,40}?)?\b(?:company|registration|registered)\s+"
    r"(?:no\.?|number|num\.?)\s*:?\s*(?P<number>(?:SC|NI|OC|SO)?\d{6,8})\b",
    re.IGNORECASE,
)
# A street word with a house number after it on its line, or a French "12 rue …". Read by
# has_street in two linear steps: one pattern "word .*? digit" tried from every street word of a
# long line without digits would be quadratic.
_STREET_WORD = re.compile(
    r"(?:straße|strasse|weg|platz|allee|gasse|ring|damm|ufer|chaussee|markt|rue|avenue|"
    r"boulevard|bd|place|chemin|quai|allée|impasse|cours|road|street|lane)\b|str\.",
    re.IGNORECASE,
)
_STREET_FIRST = re.compile(
    r"^\d+[a-z]?,?\s+(?:bis\s+)?(?:rue|avenue|boulevard|bd|place|chemin|quai|allée|impasse|cours)",
    re.IGNORECASE,
)


def has_street(text: str) -> bool:
    """True when TEXT names a street: a street word followed by a number on its line."""
    if _STREET_FIRST.match(text):
        return True
    for line in text.splitlines():
        word = _STREET_WORD.search(line)
        if word and re.search(r"\d", line[word.end():]):
            return True
    return False


_ADDRESS_LABEL = re.compile(
    # A strong label may follow other text on its line ("… company number 123. Registered office:
    # …"); a plain one (Adresse, Anschrift, Address) must start the line.
    r"^(?:.*?\b(?:siège social|sitz der gesellschaft|registered office(?: address)?)|"
    r"\s*(?:siège|adresse|anschrift|sitz|address))\s*(?::|is at|is|at)?\s*",
    re.IGNORECASE,
)
# `\s*+` (possessive, Python 3.11): a run of spaces between optional parts is taken once, never
# re-split between them (cubic on "SIREN" and a long run of spaces).
_HR_NUMBER = re.compile(r"\b(HR[AB]|GnR|VR|PR)\s*+:?\s*+(?:Nr\.?\s*+)?(\d+(?:\s?[A-Z]{1,2}\b)?)")
# A court's or city's name is at most 60 characters: an unbounded lazy name tried from each
# "Amtsgericht" or "RCS" of a long text would be quadratic.
_COURT = re.compile(r"\b(Amtsgericht\s+[A-ZÄÖÜ][\w\-äöüß. ]{0,60}?[\wäöüß])(?=\s*(?:,|;|\(|$|HR|\n))")
_FN = re.compile(r"\bFN\s*(\d{1,6}\s?[a-z])\b")
_AT_COURT = re.compile(r"\b((?:Handels|Landes)gericht\s+[A-ZÄÖÜ][\w\-äöüß]+)")
_CHE = re.compile(r"\bCHE-\d{3}\.\d{3}\.\d{3}\b")
_RCS = re.compile(r"\bRCS\s+(?:de\s+)?([A-ZÉ][\w\-éè ]{0,60}?)\s+(?:[AB]\s+)?(\d{3}\s?\d{3}\s?\d{3})\b")
_SIREN = re.compile(r"\b(SIRE[NT])\s*+(?:n°|no\.?|:)?\s*+:?\s*+(\d{3}\s?\d{3}\s?\d{3}(?:\s?\d{5})?)\b")
_VAT = re.compile(
    r"(?i:USt-?Id(?:Nr|-Nr)?\.?|Umsatzsteuer-Identifikationsnummer|VAT(?:\s+(?:ID|No\.?|number))?|"
    r"TVA(?:\s+intracommunautaire)?|N°\s*TVA|numéro de TVA(?:\s+intracommunautaire)?)"
    r"[^:\n]{0,60}?:?\s*+([A-Z]{2}\s?[0-9A-Z]{2}[0-9 ]{6,14}\d)\b"
)
_DIRECTOR = re.compile(
    r"^\s*(vertretungsberechtigte[rn]?\s+geschäftsführer(?:in)?|geschäftsführer(?:in|innen)?|"
    r"geschäftsführung|vertreten durch(?: die geschäftsführer(?:in)?)?|vorstand|"
    r"directeur de (?:la )?publication|directrice de (?:la )?publication|"
    r"représentant légal|président(?:e)?|gérant(?:e)?|managing directors?|"
    r"responsable de (?:la )?publication)\s*[:\-–]?\s*(.*)$",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"^(?:(?:Dr|Prof|M|Mme|Mr|Mrs|Ms|Herr|Frau)\.?\s+)*([A-ZÄÖÜÉ][\w'’.\-]+(?:\s+"
    r"(?:[A-ZÄÖÜÉ][\w'’.\-]+|von|van|de|der|du|la|le)){1,3})$"
)


@dataclass
class LegalNotice:
    """Facts a legal notice states, each as printed on the page."""

    legal_name: str | None = None
    address: str | None = None
    register: list[str] = field(default_factory=list)
    vat_id: str | None = None
    directors: list[tuple[str, str]] = field(default_factory=list)  # (name, title as printed)

    def facts(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.legal_name:
            out["legal_name"] = self.legal_name
        if self.address:
            out["address"] = self.address
        if self.register:
            out["register"] = self.register
        if self.vat_id:
            out["vat_id"] = self.vat_id
        # A French publication director is named for the press law, not as the one who runs it.
        managing = [name for name, title in self.directors if "publication" not in title.lower()]
        if managing:
            out["managing_directors"] = managing
        return out


def parse_notice(lines: list[str], *, footer: bool = False) -> LegalNotice:
    """What a legal-notice page's text LINES (one block or <br> per line) state.

    FOOTER: LINES are any page's (a home page's footer): only what is unmistakable there, a register
    entry, a VAT ID and a registered office labelled as such; no name, no directors.
    """
    lines = [re.sub(r"\s+", " ", line).strip() for line in lines]
    lines = [line for line in lines if line]
    notice = LegalNotice()
    name_at = -1
    for index, line in enumerate([] if footer else lines):
        if len(line) > 300:
            continue
        text = _LABEL.sub("", line)
        match = _NAMED.search(text)
        if match and not _DIRECTOR.match(text):
            name = f"{match[1]} {match[2]}".strip(" ,;:")
            if 3 < len(name) <= 90 and not re.search(r"\b(?:HR[AB]|RCS|capital)\b", name):
                notice.legal_name, name_at = name, index
                break
    notice.address = _address(lines, name_at, labelled_only=footer)
    joined = "\n".join(lines)
    for match in _HR_NUMBER.finditer(joined):
        start = joined.rfind("\n", 0, match.start())
        end = joined.find("\n", match.end())
        # The court is named on the lines before, or after the number on its own line.
        courts = _COURT.findall(joined[max(0, start - 200) : match.start()]) or _COURT.findall(
            joined[match.end() : end if end >= 0 else len(joined)]
        )
        entry = f"{match[1]} {match[2]}".strip()
        notice.register.append(f"{courts[-1]}, {entry}" if courts else entry)
    # Austria's Firmenbuch (FN 123456a) and Switzerland's company number (CHE-123.456.789).
    for match in _FN.finditer(joined):
        near = joined[max(0, match.start() - 200) : match.end() + 200]
        court = _AT_COURT.search(near)
        notice.register.append(f"{court[1]}, FN {match[1]}" if court else f"FN {match[1]}")
    for match in _CHE.finditer(joined):
        notice.register.append(f"UID {match[0]}")
    for match in _RCS.finditer(joined):
        notice.register.append(f"RCS {match[1].strip()} {match[2]}")
    for match in _UK_NUMBER.finditer(joined):
        place = re.sub(r"\s+", " ", match["place"] or "")
        notice.register.append(
            f"Company number {match['number']}" + (f" ({place})" if place else "")
        )
    if not any(r.startswith("RCS") for r in notice.register):
        for match in _SIREN.finditer(joined):
            notice.register.append(f"{match[1]} {match[2]}")
    notice.register = list(dict.fromkeys(notice.register))
    vat = _VAT.search(joined)
    if vat:
        notice.vat_id = re.sub(r"\s+", "", vat[1]).upper()
    for index, line in enumerate([] if footer else lines):
        match = _DIRECTOR.match(line)
        if not match:
            continue
        title = match[1].strip()
        rest = match[2].strip() or (lines[index + 1] if index + 1 < len(lines) else "")
        for part in re.split(r",|;|(?<!\s)\s+(?:und|et|and|&)\s+", rest):
            person = _PERSON.match(part.strip())
            if person and not _FORM.search(part) and len(person[1]) <= 60:
                notice.directors.append((person[1], _title(title)))
    return notice


def _title(label: str) -> str:
    """`Vertreten durch die Geschäftsführer` → `Geschäftsführer`: the role, not the phrasing."""
    label = re.sub(
        r"^(?:vertreten durch(?: die| den)?|vertretungsberechtigte[rn]?)\s+", "", label, flags=re.I
    ).strip()
    label = re.sub(r"^geschäftsführer(?:in|innen)?$|^geschäftsführung$", "Geschäftsführer", label, flags=re.I)
    return (label[:1].upper() + label[1:]) or "Geschäftsführer"


def _address(lines: list[str], name_at: int, *, labelled_only: bool = False) -> str | None:
    order = list(range(max(name_at, 0), len(lines))) + list(range(0, max(name_at, 0)))
    for index in order:
        line = lines[index]
        if len(line) > 160:
            continue
        labelled = _ADDRESS_LABEL.match(line)
        if labelled_only and not labelled:
            continue
        body = _ADDRESS_LABEL.sub("", line, count=1)
        postcode = _POSTCODE.search(body)
        if postcode and (has_street(body) or labelled):
            return body[: postcode.end()].strip(" ,.;")
        if labelled_only:
            continue
        if _POSTCODE.match(body) and index > 0 and has_street(lines[index - 1]):
            street = _ADDRESS_LABEL.sub("", lines[index - 1])
            return f"{street.strip(' ,')}, {body.strip(' ,')}"
    return None
