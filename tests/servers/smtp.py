"""Real SMTP servers on loopback for the probe's tests: scripted aiosmtpd, and Postfix.

One aiosmtpd server can play several mail servers at once because the behaviour is chosen by the
recipient's domain (every test MX resolves to 127.0.0.1 and the probe connects to one port). Banner
behaviours (slow, refusing) and STARTTLS need a server of their own.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

from tests.servers.dns import ServerMissing, free_port
from tests.servers.lifeline import lifeline

POSTFIX_MASTER = "/usr/lib/postfix/sbin/master"


@dataclass
class Behaviour:
    """How the server answers RCPT TO, by recipient domain.

    users: full addresses that exist. catch_all: domains that accept any local part. greylist:
    domains that answer 451 to the first attempt for an address and accept (by the usual rules)
    after greylist_delay seconds. block: domains whose recipients get 550 5.7.1 (policy).
    disconnect: domains where the server hangs up on RCPT. max_recipients: 452 after that many
    RCPTs in one session. block_sender: MAIL FROM is refused with 550 5.7.1.
    """

    users: set[str] = field(default_factory=set)
    catch_all: set[str] = field(default_factory=set)
    greylist: set[str] = field(default_factory=set)
    greylist_delay: float = 0.0
    block: set[str] = field(default_factory=set)
    disconnect: set[str] = field(default_factory=set)
    max_recipients: int | None = None
    block_sender: bool = False


class ProbeHandler:
    """aiosmtpd hooks that follow a Behaviour and record every command they see."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        self.events: list[tuple[str, str, bool]] = []  # (command, argument, over TLS)
        self._greylisted: dict[str, float] = {}
        self._rcpts: dict[int, int] = {}

    def commands(self, name: str) -> list[str]:
        return [arg for cmd, arg, _ in self.events if cmd == name]

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # type: ignore[no-untyped-def]
        self.events.append(("EHLO", hostname, session.ssl is not None))
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # type: ignore[no-untyped-def]
        self.events.append(("MAIL", address, session.ssl is not None))
        self._rcpts[id(session)] = 0
        if self.behaviour.block_sender:
            return "550 5.7.1 Sender rejected by local policy"
        envelope.mail_from = address
        return "250 2.1.0 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # type: ignore[no-untyped-def]
        b = self.behaviour
        self.events.append(("RCPT", address, session.ssl is not None))
        count = self._rcpts.get(id(session), 0) + 1
        self._rcpts[id(session)] = count
        if b.max_recipients is not None and count > b.max_recipients:
            return "452 4.5.3 Too many recipients"
        domain = address.rpartition("@")[2].lower()
        if domain in b.disconnect:
            server.transport.close()
            return "421 4.3.0 closing"
        if domain in b.block:
            return "550 5.7.1 Client host rejected: blocked by policy (see https://example.test/policy)"
        if domain in b.greylist:
            key, now = address.lower(), time.monotonic()
            first = self._greylisted.setdefault(key, now)
            if first == now or now - first < b.greylist_delay:
                return "451 4.7.1 Greylisted, please try again later"
        if domain in b.catch_all or address.lower() in b.users:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 OK"
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual table"


class _ScriptedSMTP(SMTP):
    banner: str | None = None
    recorder: ProbeHandler | None = None

    async def push(self, status: Any) -> None:  # type: ignore[override]
        if not getattr(self, "_greeted", False):
            self._greeted = True
            if self.banner is not None:
                status = self.banner
        await super().push(status)

    async def smtp_DATA(self, arg: str) -> None:
        # The probe must never get this far; record it so a test can prove it did not.
        if self.recorder is not None:
            self.recorder.events.append(("DATA", arg, False))
        await super().smtp_DATA(arg)


def tls_context(hostname: str = "mx.test") -> ssl.SSLContext:
    """A server SSL context with a certificate from a throwaway CA (trustme)."""
    import trustme

    ca = trustme.CA()
    cert = ca.issue_cert(hostname, "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    return context


class _Controller(Controller):
    def __init__(self, handler: ProbeHandler, port: int, smtp_class: type[SMTP], **kw: Any) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=port, **kw)
        self._smtp_class = smtp_class

    def factory(self) -> SMTP:
        return self._smtp_class(self.handler, **self.SMTP_kwargs)


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 at a free port, playing BEHAVIOUR."""

    def __init__(
        self,
        behaviour: Behaviour | None = None,
        *,
        starttls: bool = False,
        banner: str | None = None,
    ) -> None:
        self.handler = ProbeHandler(behaviour or Behaviour())
        self.starttls = starttls
        self.banner = banner
        self.port = 0
        self._controller: _Controller | None = None

    def start(self) -> SmtpServer:
        handler = self.handler

        class Scripted(_ScriptedSMTP):
            banner = self.banner
            recorder = handler

        kwargs: dict[str, Any] = {"ident": "reachout-test ESMTP", "server_hostname": "mx.test"}
        if self.starttls:
            kwargs["tls_context"] = tls_context()
        for _ in range(5):
            self.port = free_port()
            self._controller = _Controller(handler, self.port, Scripted, **kwargs)
            try:
                self._controller.start()
                return self
            except (OSError, RuntimeError):
                with contextlib.suppress(Exception):
                    self._controller.stop()
        raise RuntimeError("could not start aiosmtpd on a free port")

    def stop(self) -> None:
        if self._controller is not None:
            loop = self._controller.loop
            if loop.is_running():
                # Collect finished sessions' streams while their loop still runs: once it is
                # closed, their finalisers warn (ResourceWarning) into whichever test runs next.
                asyncio.run_coroutine_threadsafe(_collect(), loop).result(timeout=5)
            with contextlib.suppress(AssertionError):
                self._controller.stop()
            self._controller = None

    def __enter__(self) -> SmtpServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


async def _collect() -> None:
    import gc

    await asyncio.sleep(0.01)
    gc.collect()
    await asyncio.sleep(0)


class SlowBannerServer:
    """A plain-socket SMTP server that waits DELAY seconds before its banner, then accepts anyone.

    (aiosmtpd leaks a socket when a client hangs up during a delayed banner, so this case has its
    own small server.)
    """

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.05)
        self.port = self.sock.getsockname()[1]
        self.commands: list[str] = []
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, daemon=True)
        self._accept.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._session, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _session(self, conn: socket.socket) -> None:
        replies = {"EHLO": "250 slow.test", "HELO": "250 slow.test", "MAIL": "250 2.1.0 OK",
                   "RCPT": "250 2.1.5 OK", "RSET": "250 2.0.0 OK", "QUIT": "221 2.0.0 Bye"}
        with conn:
            if self._stop.wait(self.delay):
                return
            try:
                conn.sendall(b"220 slow.test ESMTP\r\n")
                for raw in conn.makefile("rb"):
                    verb = raw.decode(errors="replace").strip().split(" ")[0].upper()
                    self.commands.append(verb)
                    conn.sendall(replies.get(verb, "502 5.5.2 not here").encode() + b"\r\n")
                    if verb == "QUIT":
                        return
            except OSError:
                return

    def stop(self) -> None:
        self._stop.set()
        self._accept.join(timeout=2)
        for thread in self._threads:
            thread.join(timeout=2)
        self.sock.close()

    def __enter__(self) -> SlowBannerServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class PostfixServer:
    """Debian's Postfix as a probe target: users get 250, others 550 5.1.1; it never delivers.

    USERS: full addresses that exist; CATCH_ALL: domains that accept any local part.
    """

    def __init__(self, users: Iterable[str], catch_all: Iterable[str] = ()) -> None:
        # Postfix's daemons run as the postfix user: its folder must be reachable by that user, so
        # it cannot live under pytest's private (0700) temporary folders.
        self.workdir = Path(tempfile.mkdtemp(prefix="reachout-postfix-"))
        self.workdir.chmod(0o755)
        lifeline().watch_folder(self.workdir)
        self.users = sorted({u.lower() for u in users})
        self.catch_all = sorted({d.lower() for d in catch_all})
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, ready_timeout: float = 30.0) -> PostfixServer:
        postfix = shutil.which("postfix") or "/usr/sbin/postfix"
        postmap = shutil.which("postmap") or "/usr/sbin/postmap"
        if not (os.path.exists(postfix) and os.path.exists(POSTFIX_MASTER)):
            raise ServerMissing(
                "Postfix is not installed (one probe test runs a real Postfix on 127.0.0.1); "
                "run scripts/install-test-deps, or apt-get install postfix."
            )
        conf = self.workdir / "conf"
        queue = self.workdir / "queue"
        data = self.workdir / "data"
        for folder in (conf, queue, data):
            folder.mkdir(parents=True, exist_ok=True)
        shutil.chown(data, user="postfix")
        domains = sorted({u.rpartition("@")[2] for u in self.users} | set(self.catch_all))
        (conf / "vdomains").write_text("".join(f"{d} OK\n" for d in domains))
        entries = [f"{u} OK\n" for u in self.users] + [f"@{d} OK\n" for d in self.catch_all]
        (conf / "vusers").write_text("".join(entries))
        self.port = free_port()
        main_cf = f"""
compatibility_level = 3.6
queue_directory = {queue}
data_directory = {data}
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.postfix.test
mydomain = postfix.test
myorigin = $myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_peername_lookup = no
smtp_dns_support_level = disabled
default_transport = error:this test server delivers nothing
relay_transport = error:this test server delivers nothing
maillog_file = {self.workdir}/maillog
maillog_file_prefixes = {self.workdir}
alias_maps =
alias_database =
local_recipient_maps =
virtual_mailbox_domains = hash:{conf}/vdomains
virtual_mailbox_maps = hash:{conf}/vusers
virtual_transport = discard:
smtpd_relay_restrictions = reject_unauth_destination
smtpd_recipient_restrictions = reject_unauth_destination
in_flow_delay = 0s
smtpd_banner = $myhostname ESMTP
biff = no
shlib_directory = /usr/lib/postfix
daemon_directory = /usr/lib/postfix/sbin
meta_directory = /etc/postfix
command_directory = /usr/sbin
"""
        (conf / "main.cf").write_text(main_cf)
        services = [
            f"127.0.0.1:{self.port} inet n - n - - smtpd",
            "pickup unix n - n 60 1 pickup",
            "cleanup unix n - n - 0 cleanup",
            "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite",
            "bounce unix - - n - 0 bounce",
            "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce",
            "verify unix - - n - 1 verify",
            "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap",
            "error unix - - n - - error",
            "retry unix - - n - - error",
            "discard unix - - n - - discard",
            "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache",
            "postlog unix-dgram n - n - 1 postlogd",
        ]
        (conf / "master.cf").write_text("\n".join(services) + "\n")
        for table in ("vdomains", "vusers"):
            made = subprocess.run(
                [postmap, "-c", str(conf), f"hash:{conf}/{table}"], capture_output=True, text=True
            )
            if made.returncode != 0:
                raise RuntimeError(f"postmap failed: {made.stderr.strip()}")
        check = subprocess.run([postfix, "-c", str(conf), "check"], capture_output=True, text=True)
        if check.returncode != 0:
            raise RuntimeError(f"postfix check failed: {check.stderr.strip()}")
        self.process = subprocess.Popen(
            ["setsid", POSTFIX_MASTER, "-c", str(conf), "-d"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        # setsid execs master as the leader of a new group: its PID is the group's ID.
        lifeline().watch_group(self.process.pid)
        atexit.register(self.stop)
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                err = (
                    self.process.stderr.read().decode(errors="replace")
                    if self.process.stderr
                    else ""
                )
                raise RuntimeError(f"postfix master exited: {err.strip()[-500:]}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.5) as sock,
            ):
                sock.settimeout(2)
                if sock.recv(512).startswith(b"220"):
                    return self
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(
            f"postfix did not answer on 127.0.0.1:{self.port} within {ready_timeout} s"
        )

    def log(self) -> str:
        path = self.workdir / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is None:
            return
        atexit.unregister(self.stop)
        # master runs in its own process group (setsid) and signals its children on SIGTERM.
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        if self.process.stderr:
            self.process.stderr.close()
        lifeline().forget_group(self.process.pid)
        self.process = None
        shutil.rmtree(self.workdir, ignore_errors=True)
        lifeline().forget_folder(self.workdir)

    def __enter__(self) -> PostfixServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
