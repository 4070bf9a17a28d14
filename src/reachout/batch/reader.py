"""Read a batch input lazily: CSV with a header, JSON lines, or a plain list of domains, in any encoding.

Columns are recognised by common names whatever their case or punctuation ("Company Name",
"company_name", "COMPANY"). Rows are yielded one at a time, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from reachout.errors import BadInput
from reachout.textinput import displayable, without_format_characters

# Spreadsheets cap a cell at 32,767 characters; a name or a domain is never longer than a few hundred.
MAX_FIELD = 1_000
# The csv module refuses fields over 128 KiB by default; a huge cell should be one bad row, not a crash.
_CSV_FIELD_LIMIT = 256 * 1024 * 1024
_CHUNK = 1 << 20

# Recognised columns: the role a column plays, by its header with case and punctuation dropped.
COLUMN_ALIASES: dict[str, frozenset[str]] = {
    "company": frozenset({
        "company", "companyname", "organisation", "organization", "org", "organisationname",
        "organizationname", "employer", "account", "accountname", "firm", "business", "businessname",
    }),
    "domain": frozenset({"domain", "companydomain", "emaildomain", "maildomain", "domainname"}),
    "website": frozenset({
        "website", "url", "web", "site", "homepage", "companywebsite", "companyurl", "websiteurl",
        "weburl", "webaddress", "companysite",
    }),
    "name": frozenset({"name", "fullname", "person", "contact", "contactname", "personname"}),
    "first_name": frozenset({"firstname", "first", "givenname", "forename"}),
    "last_name": frozenset({"lastname", "last", "surname", "familyname"}),
    "title": frozenset({"title", "jobtitle", "position", "role", "jobrole"}),
    "email": frozenset({
        "knownemail", "email", "emailaddress", "mail", "workemail", "knownaddress", "address",
        "emails", "knownemailaddress",
    }),
}
_ALIAS_TO_ROLE = {alias: role for role, aliases in COLUMN_ALIASES.items() for alias in aliases}
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))


def header_key(text: str) -> str:
    """A header cell reduced to what identifies it: lower-case letters and digits."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def recognise_columns(header: list[str]) -> dict[str, int]:
    """Which column plays which role (company, domain, website, name…); the first of each wins."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        role = _ALIAS_TO_ROLE.get(header_key(cell))
        if role and role not in roles:
            roles[role] = index
    return roles


@dataclass
class InputRow:
    """One data row: its ordinal (0-based, empty lines not counted), first line, cells and roles."""

    index: int
    line: int
    cells: dict[str, str]
    company: str = ""
    domain: str = ""
    website: str = ""
    name: str = ""
    title: str = ""
    email: str = ""
    oversized: list[tuple[str, int]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "line": self.line, "cells": dict(self.cells)}


@dataclass
class InputFile:
    """A batch input on disk (stdin and Python rows are spooled to a temporary file first)."""

    path: Path
    display: str
    encoding: str
    kind: str  # "csv", "jsonl" or "list"
    header: list[str]
    columns: dict[str, int]
    delimiter: str = ","
    sha256: str = ""
    size: int = 0
    temporary: bool = False

    def close(self) -> None:
        if self.temporary:
            self.path.unlink(missing_ok=True)

    def open_text(self) -> io.TextIOWrapper:
        # newline="" lets the csv module see quoted line breaks inside cells (RFC 4180).
        return open(self.path, encoding=self.encoding, errors="strict", newline="")

    def rows(self) -> Iterator[InputRow]:
        """Every data row in input order, lazily; empty lines are skipped."""
        with self.open_text() as stream:
            try:
                yield from self._rows(stream)
            except UnicodeError as exc:
                raise decode_error(self.path, self.display, self.encoding, exc) from None
            except csv.Error as exc:
                raise BadInput(f"{self.display} is not readable as CSV ({exc}); check its quoting.") from None

    def _rows(self, stream: io.TextIOWrapper) -> Iterator[InputRow]:
        index = 0
        if self.kind == "list":
            for number, raw in enumerate(stream, start=1):
                text = raw.strip().lstrip("\ufeff")
                if not text or text.startswith("#"):
                    continue
                row = InputRow(index, number, {"input": text}, domain=text)
                _check_sizes(row, {"domain": text})
                yield row
                index += 1
            return
        if self.kind == "jsonl":
            for number, raw in enumerate(stream, start=1):
                text = raw.strip().lstrip("\ufeff")
                if not text:
                    continue
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as exc:
                    value = {"input": text, "_error": f"line {number} is not JSON: {exc.msg}"}
                except RecursionError:  # [[[[…]]]] thousands deep: one bad row, not a crash
                    value = {"input": text[:1000], "_error": f"line {number} is nested too deeply"}
                if not isinstance(value, dict):
                    value = {"input": text, "_error": f"line {number} is not a JSON object"}
                cells = {_cell_text(k): _cell_text(v) for k, v in value.items()}
                yield self._row(index, number, cells)
                index += 1
            return
        csv.field_size_limit(_CSV_FIELD_LIMIT)
        reader = csv.reader(stream, delimiter=self.delimiter)
        next(reader, None)  # the header
        previous = reader.line_num
        for record in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            cells = {name: (record[i] if i < len(record) else "") for i, name in enumerate(self.header)}
            for extra, value in enumerate(record[len(self.header):], start=len(self.header) + 1):
                cells[f"column {extra}"] = value
            yield self._row(index, start, cells)
            index += 1

    def _row(self, index: int, line: int, cells: dict[str, str]) -> InputRow:
        by_role: dict[str, str] = {}
        if self.kind == "jsonl":
            for key, value in cells.items():
                role = _ALIAS_TO_ROLE.get(header_key(key))
                if role and role not in by_role:
                    by_role[role] = value
        else:
            names = list(cells)
            for role, position in self.columns.items():
                by_role[role] = cells.get(self.header[position], "") if position < len(names) else ""
        stripped = {role: value.strip() for role, value in by_role.items()}
        for role in ("name", "first_name", "last_name"):  # a soft hyphen must not split a name
            if role in stripped:
                stripped[role] = without_format_characters(stripped[role])
        name = stripped.get("name", "")
        if not name and (stripped.get("first_name") or stripped.get("last_name")):
            name = f"{stripped.get('first_name', '')} {stripped.get('last_name', '')}".strip()
        row = InputRow(
            index, line, cells, company=stripped.get("company", ""), domain=stripped.get("domain", ""),
            website=stripped.get("website", ""), name=name, title=stripped.get("title", ""),
            email=stripped.get("email", ""),
        )
        _check_sizes(row, {**stripped, "name": name})
        return row


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    # JSON may spell a lone surrogate ("\ud800"), which no UTF-8 file or database can hold: it
    # becomes U+FFFD, which the row's checks then refuse (never "?", which reads as a character).
    return displayable(text)


_ROLE_FIELDS = ("company", "domain", "website", "name", "title", "email")


def _check_sizes(row: InputRow, values: Mapping[str, str]) -> None:
    """Note cells too long to be a name or a domain, and do not use them."""
    for role, value in values.items():
        if len(value) > MAX_FIELD:
            row.oversized.append((role, len(value)))
            if role in _ROLE_FIELDS:
                setattr(row, role, "")


def decode_error(path: Path, display: str, encoding: str, exc: UnicodeError) -> BadInput:
    """A one-line error naming the line, the byte and the --encoding that would read the file."""
    line, byte = _locate_bad_byte(path, encoding)
    start = getattr(exc, "start", None)
    where = (
        f"line {line}, byte 0x{byte:02X}" if line and byte is not None
        else f"line {line}" if line else f"byte {start}" if start is not None else "start"
    )
    suggestion = _suggest_encoding(path)
    name = "UTF-8" if encoding.replace("-sig", "") in {"utf-8", "utf8"} else encoding
    return BadInput(
        f"{display} is not valid {name} ({where}); pass --encoding {suggestion} if it came from "
        "Excel or an older Windows program (or the file's real encoding), or save it as UTF-8."
    )


def _locate_bad_byte(path: Path, encoding: str) -> tuple[int, int | None]:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        return 0, None
    with open(path, "rb") as stream:
        for number, raw in enumerate(stream, start=1):
            try:
                decoder.decode(raw)
            except UnicodeDecodeError as exc:
                return number, raw[exc.start] if exc.start < len(raw) else None
            except UnicodeError:  # utf-16 without a BOM, punycode: no byte position
                return number, None
    return 0, None


def _suggest_encoding(path: Path) -> str:
    with open(path, "rb") as stream:
        sample = stream.read(_CHUNK)
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin-1"
    return "cp1252"


def _check_encoding(encoding: str) -> str:
    try:
        info = codecs.lookup(encoding)
    except LookupError:
        info = None
    # base64, rot13, zlib… are codecs too, but not text encodings a CSV can be saved in.
    if info is None or not getattr(info, "_is_text_encoding", True):
        what = "Unknown encoding" if info is None else "Not a text encoding:"
        raise BadInput(
            f"{what} {encoding!r}; pass one Python knows, such as utf-8, cp1252, latin-1 or utf-16."
        )
    return info.name


def spool_stream(stream: BinaryIO, directory: str | None = None) -> Path:
    """Copy a byte stream (stdin) to a temporary file, chunk by chunk, so it can be read twice."""
    handle, name = tempfile.mkstemp(prefix="reachout-batch-", suffix=".input", dir=directory)
    with os.fdopen(handle, "wb") as out:
        shutil.copyfileobj(stream, out, _CHUNK)
    return Path(name)


def spool_rows(rows: Iterable[Any], directory: str | None = None) -> Path:
    """Python rows (dicts, or strings taken as domains) as a temporary JSON-lines file."""
    handle, name = tempfile.mkstemp(prefix="reachout-batch-", suffix=".jsonl", dir=directory)
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        for row in rows:
            if isinstance(row, str):
                row = {"domain": row}
            elif not isinstance(row, Mapping):
                raise BadInput(
                    "Rows must be dicts (company, domain, name…) or domain strings, "
                    f"not {type(row).__name__}."
                )
            # ASCII escapes: a lone surrogate in a str survives to the reader, which replaces it.
            out.write(json.dumps(dict(row), ensure_ascii=True, default=str) + "\n")
    return Path(name)


def open_input(source: str | os.PathLike[str] | Iterable[Any], *, encoding: str | None = None) -> InputFile:
    """Open SOURCE (a path, "-" for stdin, or Python rows) and find its kind, header and columns."""
    temporary = False
    if isinstance(source, str | os.PathLike):
        text = os.fspath(source)
        if text == "-":
            path, display, temporary = spool_stream(sys.stdin.buffer), "standard input", True
        else:
            path, display = Path(text), text
            try:
                is_file, is_dir, exists = path.is_file(), path.is_dir(), path.exists()
            except (OSError, ValueError):  # a name too long for the file system, a NUL byte
                is_file = is_dir = exists = False
            if is_dir:
                raise BadInput(
                    f"{text!r} is a directory; pass a CSV file or a list of domains, or - for stdin."
                )
            if not exists:
                raise BadInput(
                    f"Cannot read {text!r}: no such file; pass a CSV or a list of domains, "
                    "or - for stdin."
                )
            if not is_file:  # a pipe such as <(command): read it once, as stdin is
                try:
                    with open(path, "rb") as stream:
                        path, temporary = spool_stream(stream), True
                except OSError as exc:
                    raise BadInput(f"Cannot read {text!r}: {exc.strerror or exc}.") from None
    else:
        path, display, temporary = spool_rows(source), "the rows given", True
        encoding = "utf-8"
    try:
        return _inspect(path, display, encoding, temporary)
    except OSError as exc:
        if temporary:
            path.unlink(missing_ok=True)
        raise BadInput(
            f"Cannot read {display!r}: {exc.strerror or exc}; pass a CSV or a list of domains, "
            "or - for stdin."
        ) from None
    except BaseException:
        if temporary:
            path.unlink(missing_ok=True)
        raise


def _inspect(path: Path, display: str, encoding: str | None, temporary: bool) -> InputFile:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as stream:
        head = stream.read(4)
        stream.seek(0)
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    if encoding:
        chosen = _check_encoding(encoding)
        if chosen == "utf-8":
            chosen = "utf-8-sig"  # a BOM is never data
    else:
        chosen = next((name for bom, name in _BOMS if head.startswith(bom)), "utf-8-sig")
        if chosen == "utf-8-sig" and len(head) == 4 and head[1] == head[3] == 0 and head[0] and head[2]:
            raise BadInput(
                f"{display} looks like UTF-16 without a byte-order mark; pass --encoding utf-16-le "
                "(or save it as UTF-8)."
            )
        if chosen == "utf-8-sig" and len(head) == 4 and head[0] == head[2] == 0 and head[1] and head[3]:
            raise BadInput(
                f"{display} looks like UTF-16 without a byte-order mark; pass --encoding utf-16-be "
                "(or save it as UTF-8)."
            )
    info = InputFile(path, display, chosen, "list", [], {}, sha256=digest.hexdigest(), size=size,
                     temporary=temporary)
    first = _first_line(info)
    if first is None:
        raise BadInput(f"{display} is empty; give a CSV with a header row or a list of domains, one a line.")
    if first.lstrip().startswith("{"):
        info.kind = "jsonl"
        return info
    delimiter = max(",;\t|", key=first.count)
    if first.count(delimiter) == 0:
        delimiter = ","
    csv.field_size_limit(_CSV_FIELD_LIMIT)  # a 1 MB first cell is a bad row, not a crash
    header = next(csv.reader([first], delimiter=delimiter))
    header = [cell.strip().lstrip("\ufeff") for cell in header]
    columns = recognise_columns(header)
    if columns:
        info.kind, info.header, info.columns, info.delimiter = "csv", _unique(header), columns, delimiter
    return info


def _unique(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for position, cell in enumerate(header, start=1):
        name = cell or f"column {position}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


def _first_line(info: InputFile) -> str | None:
    with info.open_text() as stream:
        try:
            for raw in stream:
                if raw.strip().lstrip("\ufeff"):
                    return raw.rstrip("\r\n").lstrip("\ufeff")
        except UnicodeError as exc:
            raise decode_error(info.path, info.display, info.encoding, exc) from None
    return None
