"""What reachout understood of a name: its readings (ways to spell it in an address), each with a
weight and the naming conventions it follows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NameReading:
    """One way the parts of a name may be spelt in an address, and how likely it is."""

    first: str
    middle: str
    last: str
    f: str
    weight: float
    notes: tuple[str, ...] = ()
    last2: str = ""  # the second of two surnames (García López → lopez), else ""
    last_initial: str = ""  # the surname's initial when only that is known ("Priya R.")
    conventions: tuple[tuple[str, str], ...] = ()  # (dimension, option) pairs this reading follows
    middle_initials: str = ""  # each middle name's initial (Thi Thu → tt), when there are several

    @property
    def m(self) -> str:
        return self.middle[:1]

    @property
    def mi(self) -> str:
        """Every middle name's initial (Le Thi Thu Trang's tt): Vietnamese addresses write them all."""
        return (self.middle_initials or self.middle[:1]) if self.middle else ""

    @property
    def l(self) -> str:  # noqa: E743 - the template field is called {l}
        return self.last[:1] or self.last_initial

    @property
    def l2(self) -> str:
        return self.last2[:1]

    def reweighted(self, weight: float) -> NameReading:
        """This reading with WEIGHT: dataclasses.replace(self, weight=WEIGHT) at half its cost (every
        guess renormalises its readings twice)."""
        return NameReading(self.first, self.middle, self.last, self.f, weight, self.notes, self.last2,
                           self.last_initial, self.conventions, self.middle_initials)

    def to_dict(self) -> dict[str, Any]:
        return {
            "first": self.first,
            "middle": self.middle,
            "last": self.last,
            "last2": self.last2,
            "weight": round(self.weight, 4),
            "notes": list(self.notes),
            "conventions": dict(self.conventions),
        }


@dataclass(frozen=True)
class NameParts:
    """What reachout understood of a name, and the readings its addresses are built from."""

    original: str
    given: str
    middle: str
    family: str
    title: str = ""
    suffix: str = ""
    nicknames: tuple[str, ...] = ()
    readings: tuple[NameReading, ...] = field(default=(), repr=False)
    notes: tuple[str, ...] = ()
    gaps: tuple[str, ...] = ()  # of NOTES, the parts the name lacks that formats need (no given name)

    @property
    def best(self) -> NameReading:
        return self.readings[0]

    def to_dict(self) -> dict[str, Any]:
        return {
            "original": self.original,
            "given": self.given,
            "middle": self.middle,
            "family": self.family,
            "title": self.title,
            "suffix": self.suffix,
            "nicknames": list(self.nicknames),
            "first": self.best.first,
            "last": self.best.last,
            "notes": list(self.notes),
            "readings": [reading.to_dict() for reading in self.readings],
        }
