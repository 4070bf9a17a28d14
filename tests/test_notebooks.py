"""The notebooks run top to bottom against the local DNS, SMTP and HTTP servers (nbclient)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["find-a-recruiter", "company-brief", "target-list"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The servers `python -m notebooks.demo` starts (NSD, aiosmtpd, the fixture web server)."""
    from notebooks.demo import DemoServers
    from tests.servers.dns import ServerMissing

    servers = DemoServers(tmp_path_factory.mktemp("demo"))
    try:
        servers.start()
    except ServerMissing as exc:
        pytest.fail(str(exc))
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    """One REACHOUT_DEMO_HOME for every notebook of the module, as a reader running them one after
    another has: each notebook must still keep to its own user directory under it."""
    return tmp_path_factory.mktemp("homes")


@pytest.fixture
def demo_env(demo, demo_home, monkeypatch):
    """The environment the notebook kernel inherits: the demo command's, every lookup local."""
    environment = demo.environment(demo_home)
    environment["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    # One shared user directory, as a reader has: a notebook that did not set its own would see
    # what another saved there (the brief that made both recruiter bars 57.4 %).
    monkeypatch.setenv("REACHOUT_HOME", str(demo_home / "shared"))
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return environment


def execute(name: str):
    from notebooks.demo import execute as run_notebook

    return run_notebook(name)


def text_of(notebook) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(output.get("text", ""))
            parts.append(output.get("data", {}).get("text/markdown", ""))
    return "".join(parts)


def images_in(notebook) -> int:
    return sum("image/png" in output.get("data", {})
               for cell in notebook.cells for output in cell.get("outputs", []))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_company_brief(demo_env):
    notebook = execute("company-brief")
    text = text_of(notebook)
    assert "# Acme Anvils — company brief" in text
    assert "founded: sources disagree" in text
    assert "Congratulate them on" in text
    assert images_in(notebook) == 1
    # Saved in the notebook's own user directory, not one the other notebooks share.
    assert (demo_env["REACHOUT_DEMO_HOME"] and
            list((Path(demo_env["REACHOUT_DEMO_HOME"]) / "company-brief").rglob("acme.test*.json")))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_find_a_recruiter(demo_env):
    # A reader's shared user directory holds Acme's brief (company-brief saved it, with addresses
    # found on Acme's site): this notebook must not learn from it, or its two sets of bars match.
    import shutil

    saved = Path(demo_env["REACHOUT_DEMO_HOME"]) / "company-brief"
    if not list(saved.rglob("acme.test*.json")):
        execute("company-brief")
    shutil.copytree(saved, Path(os.environ["REACHOUT_HOME"]), dirs_exist_ok=True)
    assert list(Path(os.environ["REACHOUT_HOME"]).rglob("acme.test*.json"))
    notebook = execute("find-a-recruiter")
    text = text_of(notebook)
    assert "Read as: maria / garcia" in text
    assert "{first}.{last}" in text
    assert "maria.garcia@acme.test" in text
    assert "smtp: deliverable" in text
    assert images_in(notebook) == 1
    # Run after company-brief (which saved Acme's brief, with its site's addresses), the two sets of
    # bars still differ: the name alone gives {first}.{last} about a third, the known addresses most.
    before, after = [float(line.split()[1].rstrip("%")) for line in text.splitlines()
                     if line.startswith("maria.garcia@acme.test")][:2]
    assert before < 50 < 70 < after, (before, after)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_target_list(demo_env):
    notebook = execute("target-list")
    text = text_of(notebook)
    assert "200 of 200 rows" in text
    assert "resumed 200 rows, processed 0 new ones" in text
    assert "domains taught their format" in text
    assert images_in(notebook) == 4
    # The "failed" rows are explained, and the shortlist comes from the list that was loaded.
    assert "failed: 2 rows. the mail server could not be asked just now" in text
    assert "Greylisted" in text
    shortlist = next(line for line in text.splitlines() if line.startswith("shortlist: "))
    listed = (NOTEBOOKS / "data" / "target-list.csv").read_text(encoding="utf-8")
    domains = [part.split("(")[1].rstrip(")") for part in shortlist[len("shortlist: "):].split(", ")]
    assert len(domains) == 3 and all(domain in listed for domain in domains)
    dated = re.search(r"^(\d+) dated roles$", text, re.MULTILINE)
    assert dated and int(dated.group(1)) >= 3


def test_notebooks_are_stored_without_outputs():
    for name in NAMES:
        data = json.loads((NOTEBOOKS / f"{name}.ipynb").read_text(encoding="utf-8"))
        for cell in data["cells"]:
            assert not cell.get("outputs"), f"{name}: clear the outputs before committing"
            assert cell.get("execution_count") is None, name


def test_target_list_matches_its_generator():
    from tests.servers.target_world import CSV_PATH, csv_text

    assert CSV_PATH.read_text(encoding="utf-8") == csv_text(), (
        "notebooks/data/target-list.csv is stale: run python -m tests.servers.target_world"
    )
