"""Render results for people (tables) and programs (JSON, CSV safe to open in a spreadsheet)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO, cast

from reachout.errors import BadInput
from reachout.textinput import clean_value, displayable, has_undecodable

# What must never reach a terminal raw: control characters (ESC starts CSI/OSC sequences that move the
# cursor, retitle the window or hide text; BEL rings), bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE
# shows "gpj.exe" as "exe.jpg"; Unicode TR 9 explicit formatting) and line/paragraph separators.
# Tabs and line breaks stay: they are the output's own layout.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)


def terminal_text(text: str) -> str:
    """TEXT safe to show on a terminal: control and bidi characters escaped as Python writes them
    (ESC as \\x1b, U+202E as \\u202e), undecodable bytes as U+FFFD; every human-readable output
    (tables, notices, headers, Markdown) goes through it. Inside a JSON string the \\u escapes mean
    the same characters, so JSON stays valid."""
    text = displayable(text)
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def summarised(notices: Sequence[str], *, per_kind: int = 3) -> list[str]:
    """NOTICES for a person to read: of each kind (the words before the first address, name or
    number: "No format explains", "Ignored line"), the first PER_KIND, then how many more there are.
    1,250 unexplained known addresses are four lines, not 1,250; JSON keeps every notice."""
    groups: dict[str, list[str]] = {}
    for notice in notices:
        groups.setdefault(_notice_kind(notice), []).append(notice)
    out: list[str] = []
    for kind, items in groups.items():
        out += items[:per_kind]
        if len(items) > per_kind:
            what = f"{kind!r} notices" if kind else "notices like these"
            out.append(f"… and {len(items) - per_kind:,} more {what} (--format json lists them all).")
    return out


def _notice_kind(notice: str) -> str:
    words: list[str] = []
    for word in notice.split():
        if any(ch in word for ch in "@.'\"0123456789:,;(") or len(words) == 4:
            break
        words.append(word)
    return " ".join(words)


# OWASP CSV-injection guidance: a cell starting with one of these is read as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def neutralise_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet shows as text, never evaluates (OWASP: prefix a quote)."""
    text = "" if value is None else displayable(str(value))
    if text.startswith(_FORMULA_STARTS) or (text and ord(text[0]) < 32):
        return "'" + text
    return text


def write_csv(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], stream: TextIO, *, header: bool = True
) -> None:
    """Write ROWS as CSV with only COLUMNS, every cell neutralised."""
    writer = csv.writer(stream, lineterminator="\n")
    # csv quotes a cell holding "\n" (the line terminator) but not a bare "\r", which RFC 4180
    # readers (Python's csv, spreadsheets) take for a line break: such rows are quoted whole.
    quoted = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_ALL)
    if header:
        writer.writerow(columns)
    for row in rows:
        cells = [neutralise_cell(_flatten(row.get(col))) for col in columns]
        (quoted if any("\r" in cell for cell in cells) else writer).writerow(cells)


def _flatten(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return "; ".join(str(_flatten(item)) for item in value)
    if isinstance(value, float):
        return f"{value:.3f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def write_file(data: bytes, path: str | Path) -> None:
    """Replace PATH with DATA atomically (the old file stays whole if writing fails), or a one-line
    error naming the path."""
    from reachout.atomicfile import write_atomic

    target = Path(path)
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise _cannot_write(target, exc) from None


@contextlib.contextmanager
def output_file(path: str | os.PathLike[str], fmt: str) -> Iterator[TextIO]:
    """A text file for a command's output in FMT that replaces PATH when the block ends cleanly
    (atomically, readable by its owner only: reachout.atomicfile) and is removed, PATH untouched,
    when the block raises (an error, Ctrl-C). A CSV starts with a byte-order mark: Excel reads a
    CSV as UTF-8 only then. A missing folder, a folder or file that cannot be written, or a write
    that fails (a full disk) is BadInput naming PATH; the block's own errors pass through as they
    are."""
    from reachout.atomicfile import atomic_open

    target = Path(path)
    if not target.parent.is_dir():
        # mkstemp would say only "No such file or directory": name the folder that is missing.
        raise BadInput(f"Cannot write {target}: the folder {target.parent} does not exist; create it "
                       "first, or pick a path in an existing folder.")
    step = "open"
    try:
        with atomic_open(target, encoding="utf-8-sig" if fmt == "csv" else "utf-8",
                         newline="" if fmt == "csv" else None) as stream:
            step = "write"
            yield cast(TextIO, _WriteGuard(stream, target))
            step = "close"
    except OSError as exc:
        if step == "write":  # not the file's: the block's own (its writes are guarded)
            raise
        raise _cannot_write(target, exc) from None


class _WriteGuard:
    """STREAM whose failing writes (a full disk) are BadInput naming PATH, told apart from any
    other OSError of the code that writes to it."""

    def __init__(self, stream: TextIO, path: Path) -> None:
        self._stream, self._path = stream, path

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except OSError as exc:
            raise _cannot_write(self._path, exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise _cannot_write(self._path, exc) from None

    def isatty(self) -> bool:
        return False


def _cannot_write(path: Path, exc: OSError) -> BadInput:
    return BadInput(f"Cannot write {path}: {exc.strerror or exc}; pick a writable path.")


def to_json(value: Any) -> str:
    """Pretty, stable JSON (keys in the order the dataclasses define them)."""
    # Undecodable input bytes are shown as U+FFFD: the output is always valid UTF-8.
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return json.dumps(clean_value(value), indent=2, ensure_ascii=False) if has_undecodable(text) else text


# JSON leaves these raw inside strings, but many line readers (Python's splitlines, JavaScript before
# ES2019) end a line at them: a JSON-lines record must hold no line break but its own.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def to_json_line(value: Any) -> str:
    """One JSON-lines record (no newline): compact, UTF-8, no character a reader takes for a break."""
    text = json.dumps(value, ensure_ascii=False)
    if has_undecodable(text):
        text = json.dumps(clean_value(value), ensure_ascii=False)
    return text.translate(_LINE_BREAKS)


# A cut column keeps at least this many characters; narrower than that, the table is left to wrap.
_MIN_CUT = 24


def render_table(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], *, width: int | None = None,
) -> str:
    """A plain-text table with a header row, columns padded to their widest cell.

    WIDTH (a terminal's): the last column's cells are cut with "…" so each line fits, when that
    leaves the column at least a few words; None never cuts."""
    cells = [[str(_flatten(row.get(col)) if row.get(col) is not None else "") for col in columns]
             for row in rows]
    cells = [[_single_line(cell) for cell in line] for line in cells]
    widths = [max([len(col)] + [len(line[i]) for line in cells]) for i, col in enumerate(columns)]
    if width is not None and columns:
        room = width - sum(widths[:-1]) - 2 * (len(columns) - 1)
        if _MIN_CUT <= room < widths[-1]:
            for line in cells:
                if len(line[-1]) > room:
                    line[-1] = line[-1][: room - 1].rstrip() + "…"
            widths[-1] = max([len(columns[-1])] + [len(line[-1]) for line in cells])
    out = io.StringIO()
    out.write("  ".join(col.ljust(w) for col, w in zip(columns, widths, strict=True)).rstrip() + "\n")
    for line in cells:
        out.write("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n")
    return out.getvalue()


def _single_line(text: str) -> str:
    # A cell is one line: its breaks and tabs become spaces, then the rest is made terminal-safe.
    return terminal_text(text.translate(_CELL_SPACES))


_CELL_SPACES = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


class RecordWriter:
    """Writes results as they come: a JSON array or CSV rows streamed to STREAM one record at a time,
    or a table (which needs every row for its column widths) at close(). ROW turns a result into its
    table and CSV cells; JSON takes the result's to_dict()."""

    def __init__(
        self, fmt: str, stream: TextIO, *, row: Callable[[Any], Mapping[str, Any]],
        table_columns: Sequence[str], csv_columns: Sequence[str], width: int | None = None,
    ) -> None:
        self.fmt, self.stream, self.row, self.width = fmt, stream, row, width
        self.table_columns, self.csv_columns = table_columns, csv_columns
        self.count = 0
        self.rows: list[Mapping[str, Any]] = []
        if fmt == "csv":
            write_csv([], csv_columns, stream)
        elif fmt == "json":
            stream.write("[")

    def add(self, result: Any) -> None:
        if self.fmt == "csv":
            write_csv([self.row(result)], self.csv_columns, self.stream, header=False)
        elif self.fmt == "json":
            text = to_json(result.to_dict())
            self.stream.write(("," if self.count else "") + "\n  " + text.replace("\n", "\n  "))
        else:
            self.rows.append(self.row(result))
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.stream.write("\n]\n" if self.count else "]\n")
        elif self.fmt == "table":
            self.stream.write(render_table(self.rows, self.table_columns, width=self.width))
        self.stream.flush()
