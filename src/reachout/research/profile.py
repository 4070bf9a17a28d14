"""The company at a glance in its own words (type, size, base, work mode, founding, offerings,
mission, funding), who hires, and the tech stack its job posts name. Phrases: research.toml
[glance]; tools and languages: techstack.toml."""

from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from reachout.data import load_toml
from reachout.research.site import Page, looks_like_name, page_text, settings

# schema.org @type → organisation type (read before the page's words).
SCHEMA_TYPES = {
    "ngo": "Non-profit",
    "collegeoruniversity": "University",
    "educationalorganization": "Educational organisation",
    "governmentorganization": "Public body",
    "fundingagency": "Public body",
    "researchorganization": "Research organisation",
    "corporation": "Company",
    "localbusiness": "Company",
    "onlinebusiness": "Company",
    "onlinestore": "Company",
    "cooperative": "Cooperative",
}


@dataclass
class Said:
    """One thing the company says about itself: a fact key, its value and the sentence."""

    key: str
    value: str
    quote: str | None = None


def sentences(lines: list[str]) -> list[str]:
    """The sentences of a page's lines (a line ends a sentence too)."""
    out: list[str] = []
    for line in lines:
        for part in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9ÀÁÉÍÓÚÄÖÜ¿¡“\"])", line):
            part = part.strip()
            if 3 <= len(part) <= 600:
                out.append(part)
    return out


@functools.lru_cache(maxsize=1)
def _glance() -> dict[str, Any]:
    g = settings()["glance"]

    def rx(items: list[str]) -> list[re.Pattern[str]]:
        return [re.compile(x, re.I) for x in items]

    return {
        "org_type": [(label, rx(items)) for label, items in g["org_type"].items()],
        "work_mode": [(label, re.compile(x, re.I)) for label, x in g["work_mode"]],
        "employees": rx(g["employees"]),
        "headquarters": [re.compile(x) for x in g["headquarters"]],
        "founded": rx(g["founded"]),
        "mission": rx(g["mission"]),
        "funding": [(label, re.compile(x)) for label, x in g["funding"]],
        "hiring_titles": re.compile(g["hiring_titles"], re.I),
        "hiring_manager": [re.compile(x) for x in g["hiring_manager"]],
    }


def work_mode(text: str) -> tuple[str, str] | None:
    """(Fully remote | Hybrid | Remote | On-site, the sentence that says so) for TEXT."""
    for sentence in sentences(text.split("\n")):
        for label, pattern in _glance()["work_mode"]:
            if pattern.search(sentence):
                return label, sentence
    return None


# Pages where the organisation speaks about itself.
SELF_PAGES = frozenset({"home", "about", "mission", "team", "careers"})
# "X is a non-profit that…", "X ist ein…", "X es una…", "X est une…": a sentence saying what X is.
_DEFINES = re.compile(r"^[^\W_][^.]{1,60}? (?:is|are|ist|sind|es|son|est|sont|is een) (?:a|an|the|"
                      r"ein|eine|una|un|une|el|la|een)\b")
_PEOPLE_CONTEXT = re.compile(
    r"\b(team|we are|we're|employ|staff|colleagues|strong|work(?:ing)? (?:at|for|here|across)|"
    r"somos|equipo|wir sind|nous sommes|our people)\b",
    re.I,
)


def said_on(page: Page, kind: str) -> list[Said]:
    """What PAGE (a page of role KIND: home, about, mission, careers, team, products…) says
    about the company, each with the sentence that says it."""
    g = _glance()
    out: list[Said] = []
    said = sentences(page.lines)
    for schema_type in page.org_types:
        label = SCHEMA_TYPES.get(schema_type)
        if label:
            out.append(Said("org_type", label))
            break
    if page.organization.get("nonprofit_status"):
        out.append(Said("org_type", "Non-profit"))
    for key in ("parent", "funder", "sponsor"):
        for who in page.organization.get(key, []):
            label = {"parent": "Parent", "funder": "Funded by", "sponsor": "Sponsor"}[key]
            out.append(Said("funding", f"{label}: {who}"))
    for name in page.organization.get("industry", []):
        out.append(Said("industry", name))
    # A press release or a blog post speaks of partners and customers too ("partners with Leeds
    # College of Art", "funded by the EU"): what the company is, is read where it says so itself.
    own = kind in SELF_PAGES
    for sentence in said if own or kind == "job" else []:
        for label, patterns in g["org_type"] if own else []:
            if any(p.search(sentence) for p in patterns):
                # "Company" and "University" are common words: only in "X is a …" sentences.
                if label == "Non-profit" or _DEFINES.search(sentence):
                    out.append(Said("org_type", label, sentence))
                break
        for pattern in g["employees"] if own else []:
            match = pattern.search(sentence)
            if not match:
                continue
            number = re.sub(r"[\s,.]", "", match.group("n"))
            unit = match.group(0).lower()
            people_word = re.search(r"\b(people|personas)\b", unit)
            if not number.isdigit() or not 2 <= int(number) <= 1_000_000:
                continue
            if people_word and not _PEOPLE_CONTEXT.search(sentence):
                continue  # "used by 2,000 people" is not a head count
            # The year the count is for ("In 2024 we were 24"), not the founding year beside it.
            founding = {m.group(0) for p in g["founded"] for m in p.finditer(sentence)}
            year = next((y for y in re.finditer(r"\b(?:19|20)\d\d\b", sentence)
                         if not any(y.group(0) in f for f in founding)), None)
            value = f"{int(number):,}" + ("+" if "+" in match.group(0) else "")
            out.append(Said("employees", value + (f" ({year.group(0)})" if year else ""),
                            sentence))
            break
        for pattern in g["headquarters"] if own and kind != "careers" else []:
            match = pattern.search(sentence)
            if match:
                place = match.group("place").rstrip(".,")
                out.append(Said("headquarters", place, sentence))
                break
        for pattern in g["founded"] if own else []:
            match = pattern.search(sentence)
            if match:
                year = next(v for k, v in match.groupdict().items() if v and k.startswith("year"))
                out.append(Said("founded", year, sentence))
                break
        if (
            kind in {"about", "home"}
            and _DEFINES.search(sentence)
            and 40 <= len(sentence) <= 400
            and not any(pattern.search(sentence) for _, pattern in g["funding"])
        ):
            out.append(Said("about_sentence", sentence))  # not "X is a subsidiary of Y"
        if kind in {"about", "mission", "home", "careers"} and any(
            p.search(sentence) for p in g["mission"]
        ) and 40 <= len(sentence) <= 300:
            out.append(Said("mission", sentence, sentence))
        for label, pattern in g["funding"] if own else []:
            match = pattern.search(sentence)
            if match:
                who = re.sub(r"^the ", "", page_text(match.group("who"), 120).rstrip(".,"),
                             flags=re.I)
                out.append(Said("funding", f"{label}: {who}", sentence))
                break
        if kind in {"about", "mission", "careers", "home", "job", "team"}:
            mode = work_mode(sentence)
            if mode:
                out.append(Said("work_mode", mode[0], sentence))
    if kind in {"about", "mission", "home"} and not any(x.key == "mission" for x in out):
        statement = _under_mission_heading(page)
        if statement:
            out.append(Said("mission", statement, statement))
    if kind == "products":
        for level, heading in page.headings:
            if level in (2, 3) and 3 <= len(heading) <= 80 and not _boilerplate(heading):
                out.append(Said("offerings", heading))
    for name in page.offerings:
        out.append(Said("offerings", name))
    return out


def _under_mission_heading(page: Page) -> str | None:
    """The first sentence under a heading that names the mission, vision, purpose or values
    ("Our mission", "Misión", "Leitbild"): what the page states there."""
    from reachout.research.pages import page_roles

    for _, heading in page.headings:
        if len(heading) > 60 or "mission" not in page_roles("", heading):
            continue
        try:
            at = page.lines.index(heading)
        except ValueError:
            continue
        for line in page.lines[at + 1 : at + 4]:
            first = sentences([line])[:1]
            if first and 40 <= len(first[0]) <= 300:
                return first[0]
    return None


def _boilerplate(heading: str) -> bool:
    words = {w.lower() for w in re.findall(r"\w+", heading)}
    stop = {str(w) for w in settings()["people"]["not_name_words"]} | {
        "contact", "faq", "pricing", "testimonials", "clients", "newsletter", "subscribe",
    }
    return len(words) <= 3 and bool(words & stop) and not words - stop


# ------------------------------------------------------------------------------ who hires
def is_hiring_title(title: str) -> bool:
    """A recruiting, talent, people or HR title (any of research.toml's languages)."""
    return bool(_glance()["hiring_titles"].search(title or ""))


def department(title: str, fallback: str | None = None) -> str:
    """The department a title belongs to: People/HR for hiring titles, else the role's team."""
    if is_hiring_title(title):
        return "People / Talent"
    return fallback or "—"


def hiring_manager(text: str) -> tuple[str, str | None] | None:
    """(name, title) of the person a job post says the hire reports to, if it names one."""
    for pattern in _glance()["hiring_manager"]:
        for match in pattern.finditer(text[:20_000]):
            name = match.group("name")
            if looks_like_name(name):
                title = match.groupdict().get("title")
                return name, page_text(title, 80) if title else None
    return None


# ------------------------------------------------------------------------------ tech stack
@functools.lru_cache(maxsize=1)
def _stack() -> list[tuple[str, str, re.Pattern[str]]]:
    data = load_toml("techstack")
    out = []
    for kind in ("languages", "tools"):
        for name, rx in data.get(kind, {}).items():
            out.append((name, kind[:-1], re.compile(rf"(?<![\w.#+-])(?:{rx})(?![\w#+])", re.I)))
    return out


def tech_stack(texts: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """Tools and languages named across job posts TEXTS ((text, source) pairs): each with the
    number of posts naming it and those posts, most named first."""
    from anyascii import anyascii

    counts: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    kinds: dict[str, str] = {}
    for text, source in texts:
        folded = anyascii(text)
        for name, kind, pattern in _stack():
            if pattern.search(folded):
                counts[name] += 1
                kinds[name] = kind
                if source not in where.setdefault(name, []):
                    where[name].append(source)
    return [
        {"name": name, "kind": kinds[name], "posts": n, "sources": where[name][:5]}
        for name, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower()))
    ]
