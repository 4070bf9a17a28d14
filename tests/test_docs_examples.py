"""The docs build fails on a failing example: docs/examples.py's checks, and every page's shown output.

`cog --check` compares a page with a fresh run of its examples, so a failure that repeats itself passes
it; these tests pin the checks that stop such a page (an unexpected exit code, a traceback, the loopback
guard's message, a link to nowhere, a loopback URL) and run them over what README.md and docs/ show.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _examples():
    spec = importlib.util.spec_from_file_location("docs_examples", ROOT / "docs" / "examples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ex = _examples()


@pytest.mark.parametrize(
    "shown",
    [
        "Traceback (most recent call last):\n  File \"x.py\", line 1",
        "Error: internal error (KeyError: 'x'); this is a bug in reachout",
        "failed  company name not looked up (Wikidata search: cannot resolve www.wikidata.org: "
        "a docs example tried to resolve 'www.wikidata.org' through the system resolver)",
        "- **Mail provider:** self-hosted ([source](#))",
        "- **Sends mail through:** Personio ([source]())",
        "ask where the team is growing. ([source](http://127.0.0.1/greenhouse/v1/boards/x/jobs))",
        "see http://127.0.0.1:8080/",
        "see https://localhost/robots.txt",
        "see http://[::1]:53/",
    ],
)
def test_a_page_may_not_show_what_only_a_broken_example_prints(shown):
    with pytest.raises(ex.ExampleFailed):
        ex.check_shown(f"$ reachout something\n{shown}", "test")


@pytest.mark.parametrize(
    "shown",
    [
        "- **Website:** http://kessel.test/ ([source](http://kessel.test/))",
        "jane.doe@example.com  31.6%  {first}.{last}",
        "S: 220 mx.example.net ESMTP   -- connect 127.0.0.1:25",  # an address, not a URL
        "[linkedin](https://de.linkedin.com/company/kesselwerk) http://localhost.example.com/",
        "Error: 'localhost' has no top-level domain; pass a domain such as example.com",
    ],
)
def test_ordinary_output_passes(shown):
    assert ex.check_shown(shown) == shown


def test_an_unexpected_exit_code_fails_the_example():
    with pytest.raises(ex.ExampleFailed, match=r"mark it with examples\.failing"):
        ex.check_exit("reachout guess x localhost", 1, 0, None, "$ reachout guess x localhost\nError: …")


def test_an_error_example_must_fail_as_marked():
    command = ex.failing("reachout guess x localhost")
    assert ex.expected_exit(command) == 1 and ex.expected_exit("reachout guess x a.com") == 0
    ex.check_exit(command, 1, ex.expected_exit(command), None, "")
    with pytest.raises(ex.ExampleFailed, match="should fail with exit code 1"):
        ex.check_exit(command, 0, ex.expected_exit(command), None, "")
    with pytest.raises(ex.ExampleFailed, match="should fail with exit code 2"):
        ex.check_exit(command, 1, 2, None, "")
    with pytest.raises(ValueError):
        ex.failing("reachout guess x a.com", exit_code=0)


def test_an_exception_fails_the_example_even_when_a_failure_is_expected():
    with pytest.raises(ex.ExampleFailed, match="raised KeyError"):
        ex.check_exit(ex.failing("reachout x"), 1, 1, KeyError("x"), "")


def _cog(tmp_path: Path, block: str, *options: str) -> tuple[subprocess.CompletedProcess[str], str]:
    page = tmp_path / "page.md"
    page.write_text(
        "<!-- [[[cog\n"
        f"import sys; sys.path.insert(0, {str(ROOT / 'docs')!r}); import examples as ex\n"
        f"{block}\n"
        "]]] -->\n<!-- [[[end]]] -->\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, "-m", "cogapp", *options, str(page)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, check=False)
    return done, page.read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_docs_build_stops_on_an_unmarked_failure(tmp_path):
    done, page = _cog(tmp_path, """ex.console(ex.run('reachout guess "Jane Doe" localhost'))""", "-r")
    assert done.returncode != 0
    assert "exited 1, but the page says it should succeed" in done.stderr + done.stdout
    assert "```console" not in page  # nothing was written


@pytest.mark.slow
def test_the_docs_build_shows_a_marked_failure(tmp_path):
    done, page = _cog(tmp_path, """ex.console(ex.session([ex.failing('reachout guess "Jane Doe" localhost'),
                        'reachout guess "Jane Doe" example.com --top 1 --no-roles']))""", "-r")
    assert done.returncode == 0, done.stderr
    assert "Error: 'localhost' has no top-level domain" in page
    assert "jane.doe@example.com" in page


@pytest.mark.slow
def test_a_session_runs_file_commands_for_real(tmp_path):
    block = """ex.console(ex.session(['cat a.csv', 'wc -l a.csv'], files={'a.csv': 'x\\ny\\n'}))"""
    done, page = _cog(tmp_path, block, "-r")
    assert done.returncode == 0, done.stderr
    assert "$ cat a.csv\nx\ny\n$ wc -l a.csv\n2 a.csv" in page
    done, _ = _cog(tmp_path, """ex.console(ex.session(['curl http://example.com/']))""", "-r")
    assert done.returncode != 0 and "sessions run reachout and" in done.stderr + done.stdout


def _generated(page: Path) -> list[str]:
    """What PAGE's cog blocks produced: the text between `]]] -->` and `[[[end]]]`."""
    text = page.read_text(encoding="utf-8")
    return re.findall(r"\]\]\] -->\n(.*?)<!-- \[\[\[end\]\]\] -->", text, re.DOTALL)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_page_shows_a_broken_example(page):
    for output in _generated(page):
        ex.check_shown(output, page.name)


@pytest.mark.slow
def test_a_python_example_shows_what_it_prints_and_fails_the_build_when_it_raises(tmp_path):
    block = 'ex.python("""\nimport reachout.paths\nprint(reachout.paths.user_dir().name[:14])\n""")'
    done, page = _cog(tmp_path, block, "-r")
    assert done.returncode == 0, done.stderr
    assert "```python\nimport reachout.paths\n" in page and "```text\nreachout-docs-\n```" in page
    done, _ = _cog(tmp_path, 'ex.python("raise KeyError(1)")', "-r")
    assert done.returncode != 0 and "the Python example raised KeyError" in done.stderr + done.stdout
