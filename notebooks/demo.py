"""Run the notebooks offline: start the demo servers on loopback, then open Jupyter (or run them).

    python -m notebooks.demo               # servers, then Jupyter Lab (or Notebook) with the settings
                                           # (other options, e.g. --no-browser --port 8899, go to Jupyter)
    python -m notebooks.demo --execute     # run every notebook headless; figures saved as PNG
    python -m notebooks.demo --print-env   # servers, and the settings to export in your own shell

From the repository root, after `scripts/install-test-deps` (NSD, and the test extras). The servers
are the test suite's own (tests/servers/): NSD answering DNS for the fictional companies, aiosmtpd
playing their mail servers, and a web server with their sites and mock public APIs, all on 127.0.0.1.
Every lookup the notebooks make goes to them; nothing leaves the machine. Ctrl-C stops everything.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["find-a-recruiter", "company-brief", "target-list"]
# The two fixture sites the first notebooks read (tests/fixtures/sites/).
SITE_HOSTS = ["acme.test", "plain.test"]


class DemoServers:
    """The demo's DNS, mail and web servers on 127.0.0.1 (start(), stop(), environment())."""

    def __init__(self, workdir: str | os.PathLike[str] | None = None) -> None:
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="reachout-demo-"))
        if self._own_workdir:
            _lifeline().watch_folder(self.workdir)  # removed even if this process is killed
        self._stops: list[Any] = []
        self.http: Any = None
        self.target_hosts: list[str] = []

    def start(self) -> DemoServers:
        """Start everything; a server that cannot start stops the ones already running."""
        sys.path.insert(0, str(ROOT))  # tests.servers, from a checkout
        from tests.servers import target_world, world
        from tests.servers.dns import NsdServer
        from tests.servers.http import FixtureServer
        from tests.servers.smtp import SmtpServer

        try:
            self.http = self._started(FixtureServer())
            self.target_hosts = target_world.serve_sites(self.http)
            self.world_dns = self._started(NsdServer(world.zones(), self.workdir / "nsd-world"))
            self.target_dns = self._started(
                NsdServer(target_world.zones(), self.workdir / "nsd-targets")
            )
            mail = world.behaviour()
            targets = target_world.behaviour()
            mail.users |= targets.users | {"maria.garcia@acme.test"}
            mail.catch_all |= targets.catch_all
            mail.greylist |= targets.greylist
            self.smtp = self._started(SmtpServer(mail))
        except BaseException:
            self.stop()
            raise
        return self

    def _started(self, server: Any) -> Any:
        server.start()
        self._stops.append(server.stop)
        return server

    def stop(self) -> None:
        """Stop every server this object started, newest first."""
        while self._stops:
            self._stops.pop()()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
            _lifeline().forget_folder(self.workdir)

    def __enter__(self) -> DemoServers:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def environment(self, home: str | os.PathLike[str] | None = None) -> dict[str, str]:
        """The settings the notebooks read: every lookup goes to a local server. HOME is the folder
        under which each notebook makes its own user directory (REACHOUT_HOME)."""
        http = self.http
        env = {
            "REACHOUT_NAMESERVER": self.world_dns.nameserver,
            "REACHOUT_RESOLVE": ",".join(http.resolve(*SITE_HOSTS, *self.target_hosts)),
            # The kernel has no test guard: refuse every name that is not one of the above.
            "REACHOUT_RESOLVE_ONLY": "1",
            "REACHOUT_ALLOW_PRIVATE": "1",
            "REACHOUT_DEMO_HOME": str(Path(home) if home else self.workdir / "homes"),
            "REACHOUT_DEMO_COMPANY": "acme.test",
            "REACHOUT_DEMO_KNOWN": "Jane Doe <jane.doe@acme.test>;Tom O'Brien <tom.obrien@acme.test>",
            "REACHOUT_DEMO_SMTP": "1",
            "REACHOUT_DEMO_SMTP_PORT": str(self.smtp.port),
            "REACHOUT_DEMO_BRIEF_COMPANY": http.url("acme.test"),
            "REACHOUT_DEMO_TARGETS": str(NOTEBOOKS / "data" / "target-list.csv"),
            "REACHOUT_DEMO_NAMESERVER": self.target_dns.nameserver,
            "REACHOUT_DEMO_SITE": f"http://{{host}}:{http.port}/",
            "REACHOUT_DEMO_WORKDIR": str(self.workdir / "target-list"),
            "JUPYTER_PLATFORM_DIRS": "1",
        }
        # Job boards, Wikidata and Wikipedia: the web server's mock APIs.
        for name in ("greenhouse", "lever", "ashby", "workable", "smartrecruiters", "personio",
                     "recruitee", "wikipedia", "wikidata"):
            env[f"REACHOUT_{name.upper()}_URL"] = http.api(name)
        return env


def _lifeline() -> Any:
    """The watcher that ends the servers and removes the folder when this process ends, however
    it ends (tests/servers/lifeline.py)."""
    sys.path.insert(0, str(ROOT))  # tests.servers, from a checkout
    from tests.servers.lifeline import lifeline

    return lifeline()


def execute(name: str, *, timeout: int = 300) -> Any:
    """Run notebook NAME top to bottom in a fresh kernel (it inherits this process's environment)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    return notebook


def save_figures(notebook: Any, name: str, folder: Path) -> list[Path]:
    """Write each figure of an executed notebook as NAME-N.png in FOLDER; return the paths."""
    import base64

    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            png = output.get("data", {}).get("image/png")
            if png:
                path = folder / f"{name}-{len(paths) + 1}.png"
                path.write_bytes(base64.b64decode(png))
                paths.append(path)
    return paths


def _jupyter() -> list[str] | None:
    for app in ("lab", "notebook"):
        probe = subprocess.run([sys.executable, "-m", "jupyter", app, "--version"],
                               capture_output=True, check=False)
        if probe.returncode == 0:
            command = [sys.executable, "-m", "jupyter", app, f"--notebook-dir={NOTEBOOKS}"]
            # Containers and CI machines often run as root; Jupyter refuses that unless told.
            return [*command, "--allow-root"] if hasattr(os, "geteuid") and os.geteuid() == 0 else command
    return None


def _shell_lines(env: dict[str, str]) -> Iterable[str]:
    import shlex

    for key, value in env.items():
        yield f"export {key}={shlex.quote(value)}"


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notebooks.demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--execute", nargs="*", metavar="NAME", choices=NAMES,
                        help="run these notebooks (default: all) headless instead of opening Jupyter")
    parser.add_argument("--figures", type=Path, metavar="DIR",
                        help="--execute: save every figure as PNG here")
    parser.add_argument("--print-env", action="store_true",
                        help="print the settings as shell exports and keep the servers running")
    args, jupyter_args = parser.parse_known_args(argv)
    # `kill PID` and a closed terminal (SIGHUP) stop the demo as Ctrl-C does: Jupyter first, then
    # the servers. A kill -9 cannot be caught: the lifeline watcher ends the servers then.
    signal.signal(signal.SIGTERM, _interrupt)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, _interrupt)

    with DemoServers() as servers:
        env = servers.environment()
        os.environ.update(env)
        if args.execute is not None:
            for name in args.execute or NAMES:
                started = time.monotonic()
                notebook = execute(name)
                saved = save_figures(notebook, name, args.figures) if args.figures else []
                print(f"{name}: ran in {time.monotonic() - started:.1f} s"
                      + (f", {len(saved)} figures in {args.figures}" if args.figures else ""))
            return 0
        if args.print_env:
            print("\n".join(_shell_lines(env)), flush=True)
            print("# Servers running; Ctrl-C stops them.", file=sys.stderr)
        else:
            command = _jupyter()
            if command is None:
                print("Jupyter is not installed: pip install -e '.[notebooks]' (or jupyterlab), or "
                      "run them headless with --execute.", file=sys.stderr)
                return 1
            print(f"Demo servers up (DNS {env['REACHOUT_NAMESERVER']}, mail 127.0.0.1:"
                  f"{env['REACHOUT_DEMO_SMTP_PORT']}, web 127.0.0.1:{servers.http.port}); "
                  "opening Jupyter. Ctrl-C stops both.", file=sys.stderr)
            jupyter = subprocess.Popen([*command, *jupyter_args], env=os.environ.copy())
            try:
                return jupyter.wait()
            except KeyboardInterrupt:
                # Stop Jupyter (and its kernels) before the servers they use.
                jupyter.terminate()
                jupyter.wait(timeout=30)
                return 130
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
