"""The wheel ships patterns/ and the installed CLI works from outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )
    return next(out.glob("reachout-*.whl"))


@pytest.mark.slow
def test_wheel_contains_the_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for data in ["formats.toml", "names.toml", "role_inboxes.toml"]:
        assert f"reachout/patterns/{data}" in names
    assert "reachout/py.typed" in names


@pytest.mark.slow
def test_installed_cli_runs_outside_the_source_tree(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    site = next((env_dir / "lib").glob("python3*/site-packages"))
    # The test environment has every dependency: borrow them (a plain path entry, so its editable
    # reachout is not seen), and install only the wheel.
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(site), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH"}}
    env["REACHOUT_HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "reachout", "guess", "Jane Doe", "example.com",
         "--top", "1", "--format", "csv", "--no-roles"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[1].startswith("jane.doe@example.com,personal,")
    located = subprocess.run(
        [str(env_dir / "bin" / "python"), "-c", "import reachout.data as d; print(d.bundled_dir())"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
    )
    assert str(site) in located.stdout
