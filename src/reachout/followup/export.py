"""Follow-ups as rows for a spreadsheet (CSV, every cell neutralised) or a program (JSON Lines)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TextIO

from reachout.output import to_json_line, write_csv

if TYPE_CHECKING:
    from reachout.followup.results import FollowUp

FORMATS = ("csv", "jsonl")
# One flat row per follow-up: what a spreadsheet needs to plan the week (`due --json` has the rest).
CSV_COLUMNS = (
    "id",
    "status",
    "due_on",
    "deadline_on",
    "due_at",
    "deadline_at",
    "to_name",
    "to_email",
    "to_role",
    "company",
    "role",
    "application_id",
    "rule",
    "title",
    "stage",
    "event_id",
    "default_timing",
    "note",
    "hint",
    "advice",
    "source",
)


def flat_row(item: FollowUp) -> dict[str, Any]:
    """ITEM as one flat row (CSV_COLUMNS): the recipient split into name, address and role."""
    data = item.to_dict()
    to = data.pop("to") or {}
    data.pop("cancelled_by", None)
    return {
        **data,
        "to_name": to.get("name"),
        "to_email": to.get("email"),
        "to_role": to.get("role"),
    }


def write_rows(items: Sequence[FollowUp], fmt: str, stream: TextIO) -> None:
    """Write ITEMS to STREAM as CSV (header, then one neutralised row each) or JSON Lines (each
    follow-up's full `to_dict()`, the schema `due --json` prints, one object a line)."""
    if fmt == "csv":
        write_csv((flat_row(item) for item in items), CSV_COLUMNS, stream)
    elif fmt == "jsonl":
        for item in items:
            stream.write(to_json_line(item.to_dict()) + "\n")
    else:
        raise ValueError(f"unknown export format {fmt!r}")
