"""What a batch produces: one RowResult per input row, a BatchSummary per run, and their CSV form."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

# ok: done; no_mail: the domain takes no mail; bad_input: the row cannot be used as given;
# review: the company's name matched several companies, or one without enough confidence (the row's
# error lists the choices; add a domain to the row); failed: a lookup failed for a transient reason
# (--retry-failed redoes it); error: an unexpected error.
ROW_STATUSES = ("ok", "no_mail", "bad_input", "review", "failed", "error")
# Excel refuses cells longer than 32,767 characters; the JSONL output keeps them whole.
MAX_CSV_CELL = 32_000


@dataclass
class RowResult:
    """Everything found for one input row; `to_dict()` is one JSONL line."""

    row: int
    line: int
    input: dict[str, str]
    status: str = "ok"
    error: str = ""
    retriable: bool = False
    retry_after_wait: bool = False  # only a wait helps (greylisting), not an immediate retry
    company: str = ""
    domain: str | None = None
    domain_source: str = ""  # input, or where a looked-up name's website came from (wikidata…)
    domain_confidence: float | None = None  # for a looked-up name: how sure (0–1)
    name: str = ""
    title: str = ""
    known_email: str = ""
    mail: dict[str, Any] | None = None
    candidates: list[dict[str, Any]] = field(default_factory=list)
    inboxes: list[dict[str, Any]] = field(default_factory=list)
    learned: dict[str, Any] | None = None
    brief: dict[str, Any] | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "line": self.line,
            "status": self.status,
            "error": self.error,
            "retriable": self.retriable,
            "retry_after_wait": self.retry_after_wait,
            "input": dict(self.input),
            "company": self.company,
            "domain": self.domain,
            "domain_source": self.domain_source,
            "domain_confidence": self.domain_confidence,
            "name": self.name,
            "title": self.title,
            "known_email": self.known_email,
            "mail": self.mail,
            "candidates": list(self.candidates),
            "inboxes": list(self.inboxes),
            "learned": self.learned,
            "brief": self.brief,
            "notes": list(self.notes),
        }


@dataclass
class BatchSummary:
    """How a run went: rows by status, domains by provider, errors, speed, and where things are."""

    input: str
    output: str | None
    state: str
    total_rows: int
    done: int = 0
    processed: int = 0
    resumed: int = 0
    retried: int = 0
    domains: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_mail_status: dict[str, int] = field(default_factory=dict)
    by_provider: dict[str, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    retriable: int = 0
    retriable_after_wait: int = 0  # of `retriable`: greylisted, redone only after retry_after
    retry_after: float = 0.0
    elapsed: float = 0.0
    interrupted: bool = False
    notices: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.done >= self.total_rows and not self.interrupted

    @property
    def rate(self) -> float:
        return self.processed / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "output": self.output,
            "state": self.state,
            "total_rows": self.total_rows,
            "done": self.done,
            "processed": self.processed,
            "resumed": self.resumed,
            "retried": self.retried,
            "complete": self.complete,
            "interrupted": self.interrupted,
            "domains": self.domains,
            "by_status": dict(self.by_status),
            "by_mail_status": dict(self.by_mail_status),
            "by_provider": dict(self.by_provider),
            "errors": dict(self.errors),
            "retriable": self.retriable,
            "retriable_after_wait": self.retriable_after_wait,
            "retry_after": self.retry_after,
            "elapsed": round(self.elapsed, 3),
            "rate": round(self.rate, 1),
            "notices": list(self.notices),
        }

    def render(self) -> str:
        """The summary table printed on stderr at the end of a run."""
        from reachout.output import render_table

        lines = [
            f"{self.done:,} of {self.total_rows:,} rows done ({self.processed:,} this run in "
            f"{self.elapsed:.1f} s, {self.rate:,.0f} rows/s; {self.resumed:,} from an earlier run); "
            f"{self.domains:,} domains."
        ]

        def table(title: str, counts: Mapping[str, int], limit: int = 10) -> None:
            if not counts:
                return
            items = list(counts.items())
            rows = [{title: k, "rows": f"{v:,}"} for k, v in items[:limit]]
            if len(items) > limit:
                rows.append({title: f"({len(items) - limit} more)",
                             "rows": f"{sum(v for _, v in items[limit:]):,}"})
            lines.append("")
            lines.append(render_table(rows, [title, "rows"]).rstrip("\n"))

        table("status", self.by_status)
        table("mail", self.by_mail_status)
        table("provider", self.by_provider)
        table("error", {_shorten(k, 100): v for k, v in self.errors.items()}, limit=5)
        return "\n".join(lines) + "\n"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# --- the CSV form -----------------------------------------------------------------------------------

BASE_COLUMNS = ["row", "status", "error", "domain", "domain_source", "domain_confidence", "mail_status",
                "accepts_mail", "provider", "mx"]
LEARNED_COLUMNS = ["learned_format", "learned_probability", "learned_from"]
BRIEF_COLUMNS = ["brief_file", "brief_about", "brief_open_roles", "brief_people", "brief_error"]


def csv_columns(header: list[str], *, top: int, verify: bool, brief: bool) -> tuple[list[str], list[str]]:
    """(output column names, the input header they echo first); input names that clash get '(input)'."""
    ours = list(BASE_COLUMNS)
    for i in range(1, top + 1):
        ours += [f"email_{i}", f"confidence_{i}"] + ([f"verdict_{i}"] if verify else [])
    ours += [*LEARNED_COLUMNS, "inboxes"]
    if brief:
        ours += BRIEF_COLUMNS
    taken = set(ours)
    echoed = [f"{name} (input)" if name in taken else name for name in header]
    return echoed + ours, header


def csv_rows(results: Iterable[Mapping[str, Any]], header: list[str], *, top: int, verify: bool,
             brief: bool) -> Iterator[dict[str, Any]]:
    """Each result flattened to the CSV columns (cells are neutralised when written)."""
    columns, _ = csv_columns(header, top=top, verify=verify, brief=brief)
    echo_names = columns[: len(header)]
    for result in results:
        out: dict[str, Any] = {}
        cells = result.get("input") or {}
        for out_name, in_name in zip(echo_names, header, strict=True):
            out[out_name] = _cap(cells.get(in_name, ""))
        mail = result.get("mail") or {}
        out.update({
            "row": result["row"],
            "status": result["status"],
            "error": _cap(result.get("error") or ""),
            "domain": result.get("domain") or "",
            "domain_source": result.get("domain_source") or "",
            "domain_confidence": (f"{result['domain_confidence']:.1%}"
                                  if result.get("domain_confidence") is not None else ""),
            "mail_status": mail.get("status", ""),
            "accepts_mail": mail.get("accepts_mail"),
            "provider": mail.get("provider") or "",
            "mx": "; ".join(f"{m['preference']} {m['host']}" for m in mail.get("mx") or []),
        })
        for i, candidate in enumerate((result.get("candidates") or [])[:top], start=1):
            out[f"email_{i}"] = candidate["address"]
            out[f"confidence_{i}"] = f"{candidate['confidence']:.1%}"
            if verify:
                out[f"verdict_{i}"] = (candidate.get("verification") or {}).get("verdict", "")
        learned = result.get("learned")
        if learned and learned.get("formats"):
            best = learned["formats"][0]
            out["learned_format"] = best["pattern"]
            out["learned_probability"] = f"{best['probability']:.0%}"
            out["learned_from"] = learned.get("evidence", 0)
        inboxes = result.get("inboxes") or []
        out["inboxes"] = "; ".join(
            box["address"] + (f" ({box['verification']['verdict']})" if box.get("verification") else "")
            for box in inboxes
        )
        info = result.get("brief") or {}
        if brief:
            out["brief_file"] = info.get("file", "") or ""
            out["brief_about"] = _cap(info.get("about", "") or "")
            out["brief_open_roles"] = info.get("open_roles", "")
            out["brief_people"] = info.get("people", "")
            out["brief_error"] = _cap(info.get("error", "") or "")  # never in a content column
        yield out


def write_csv_rows(results: Iterable[Mapping[str, Any]], header: list[str], stream: TextIO, *, top: int,
                   verify: bool, brief: bool) -> None:
    """Write RESULTS as CSV, every cell neutralised against formula injection (OWASP)."""
    import csv

    from reachout.output import neutralise_cell

    columns, _ = csv_columns(header, top=top, verify=verify, brief=brief)
    # RFC 4180 line ends (CRLF); it also makes the csv module quote a cell holding a lone CR.
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([neutralise_cell(name) for name in columns])
    for row in csv_rows(results, header, top=top, verify=verify, brief=brief):
        writer.writerow([neutralise_cell(_plain(row.get(name))) for name in columns])


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _cap(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_CSV_CELL:
        return value[:MAX_CSV_CELL] + f"…[{len(value) - MAX_CSV_CELL:,} more characters in the JSONL output]"
    return value
