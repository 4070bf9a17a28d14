"""The public API's names stay where users find them, whichever module owns them inside."""

from __future__ import annotations

import importlib
import inspect

import pytest

import reachout

PUBLIC = [
    "AddressReport", "BatchSummary", "Brief", "Candidate", "DomainCandidate", "DomainMatch", "DomainReport",
    "Evidence", "find_evidence",
    "Guess", "KnownAddress", "NameParts", "RowResult", "Tracker", "USER_AGENT", "VerifiedGuess",
    "__version__", "build_brief", "check_domain", "check_domains", "find_domain", "guess",
    "infer_domain_format", "iter_results", "load_saved_brief", "parse_name", "run_batch", "verify_address",
    "verify_addresses", "verify_guess",
]


def test_the_public_names_are_pinned():
    assert sorted(reachout.__all__) == sorted(PUBLIC)


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_resolves_and_is_documented(name):
    value = getattr(reachout, name)
    if callable(value):
        assert inspect.getdoc(value), f"reachout.{name} has no docstring"


def test_the_guessing_package_does_not_shadow_the_guess_function():
    importlib.import_module("reachout.guessing")
    assert callable(reachout.guess)
    assert reachout.guess("Jane Doe", "example.com").personal[0].address == "jane.doe@example.com"


def test_no_module_imports_a_private_name_from_another_package():
    """`from reachout.X import _name` across packages couples what should not be (CONVENTIONS.md)."""
    import ast
    from pathlib import Path

    root = Path(reachout.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        here = ".".join(path.relative_to(root.parent).with_suffix("").parts)
        package = here.rsplit(".", 1)[0] if path.name != "__init__.py" else here
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("reachout"):
                other = node.module if node.module != "reachout" else "reachout"
                owner = other.rsplit(".", 1)[0] if other.count(".") > 1 else other
                if owner == package or other.startswith(package + ".") or package.startswith(other):
                    continue
                offenders += [f"{here}: from {node.module} import {a.name}" for a in node.names
                              if a.name.startswith("_") and not a.name.startswith("__")]
    assert offenders == []
