"""Guessing a person's work address: names (readings by naming convention), formats, learning a
domain's format and conventions from known addresses, and ranking the candidates.

Named ``guessing`` rather than ``guess`` so that ``reachout.guess`` stays the function.
"""

from __future__ import annotations

from reachout.guessing.formats import Format, FormatTable, compile_template, is_valid_local_part, load_formats
from reachout.guessing.known import (
    KnownAddress,
    normalize_address,
    parse_known,
    read_known,
    read_known_file,
    read_known_path,
)
from reachout.guessing.learn import DomainFormat, FormatScore, infer_domain_format
from reachout.guessing.names import NameParts, NameReading, clear_caches, parse_name
from reachout.guessing.rank import Candidate, Guess, guess, load_role_inboxes, role_candidates

__all__ = [
    "Candidate",
    "DomainFormat",
    "Format",
    "FormatScore",
    "FormatTable",
    "Guess",
    "KnownAddress",
    "NameParts",
    "NameReading",
    "clear_caches",
    "compile_template",
    "guess",
    "infer_domain_format",
    "is_valid_local_part",
    "load_formats",
    "load_role_inboxes",
    "normalize_address",
    "parse_known",
    "parse_name",
    "read_known",
    "read_known_file",
    "read_known_path",
    "role_candidates",
]
