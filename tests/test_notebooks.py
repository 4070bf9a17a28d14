"""The notebooks run top to bottom against the local DNS, SMTP and HTTP servers (nbclient)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["find-a-recruiter", "company-brief", "target-list"]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def target_nsd(tmp_path_factory):
    """NSD serving the fictional target list's `example.` zone."""
    from tests.servers.dns import NsdServer, start_or_fail
    from tests.servers.target_world import zones

    server = start_or_fail(NsdServer(zones(), tmp_path_factory.mktemp("target-nsd")))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def demo_smtp():
    """aiosmtpd playing every demo mail server: the test world's and the target list's."""
    from tests.servers import target_world, world
    from tests.servers.smtp import SmtpServer

    base, targets = world.behaviour(), target_world.behaviour()
    base.users |= targets.users | {"maria.garcia@acme.test"}
    base.catch_all |= targets.catch_all
    base.greylist |= targets.greylist
    server = SmtpServer(base).start()
    yield server
    server.stop()


@pytest.fixture
def demo_env(site, nameserver, target_nsd, demo_smtp, tmp_path, monkeypatch):
    """The environment the notebook kernel inherits: every lookup goes to a local server."""
    hosts = ["acme.test", "plain.test"]
    environment = {
        "REACHOUT_NAMESERVER": nameserver,
        "REACHOUT_RESOLVE": ",".join(site.resolve(*hosts)),
        "REACHOUT_RESOLVE_ONLY": "1",  # the kernel is not guarded like this process: refuse the rest
        "REACHOUT_ALLOW_PRIVATE": "1",
        "REACHOUT_DEMO_COMPANY": "acme.test",
        "REACHOUT_DEMO_KNOWN": "Jane Doe <jane.doe@acme.test>;Tom O'Brien <tom.obrien@acme.test>",
        "REACHOUT_DEMO_SMTP": "1",
        "REACHOUT_DEMO_SMTP_PORT": str(demo_smtp.port),
        "REACHOUT_DEMO_BRIEF_COMPANY": site.url("acme.test"),
        "REACHOUT_DEMO_TARGETS": str(NOTEBOOKS / "data" / "target-list.csv"),
        "REACHOUT_DEMO_NAMESERVER": target_nsd.nameserver,
        "REACHOUT_DEMO_WORKDIR": str(tmp_path / "work"),
        "REACHOUT_DEMO_SHORTLIST": ",".join(site.url(h) for h in hosts),
        "JUPYTER_PLATFORM_DIRS": "1",
        "MPLBACKEND": "module://matplotlib_inline.backend_inline",
    }
    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return environment


def execute(name: str):
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


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
def test_find_a_recruiter(demo_env):
    notebook = execute("find-a-recruiter")
    text = text_of(notebook)
    assert "Read as: maria / garcia" in text
    assert "{first}.{last}" in text
    assert "maria.garcia@acme.test" in text
    assert "smtp: deliverable" in text
    assert images_in(notebook) == 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_company_brief(demo_env):
    notebook = execute("company-brief")
    text = text_of(notebook)
    assert "# Acme Anvils — company brief" in text
    assert "founded: sources disagree" in text
    assert "Congratulate them on" in text
    assert images_in(notebook) == 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_target_list(demo_env):
    notebook = execute("target-list")
    text = text_of(notebook)
    assert "200 of 200 rows" in text
    assert "resumed 200 rows, processed 0 new ones" in text
    assert "domains taught their format" in text
    assert images_in(notebook) == 4


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
