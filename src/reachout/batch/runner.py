"""Run a batch: stream rows, check each domain once, guess and verify concurrently, commit every row.

The flow: open and fingerprint the input → open the state database (resume, or refuse a changed input)
→ on a fresh run, one streaming pass counts rows and collects known addresses per domain → rows not
yet finished go through a bounded queue to N workers sharing one DNS client → each finished row is
committed at once → the output is written from committed state, in input order, atomically.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import signal
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from reachout.atomicfile import atomic_open
from reachout.batch.progress import Progress
from reachout.batch.reader import MAX_FIELD, InputFile, InputRow, open_input
from reachout.batch.results import BatchSummary, RowResult, write_csv_rows
from reachout.batch.statefile import StateStore
from reachout.errors import BadInput, ReachoutError
from reachout.output import to_json_line

DEFAULT_CONCURRENCY = 64
DEFAULT_TOP = 3
# Greylisting servers accept a retry after a few minutes (Postgrey's default is 5); 10 is safe.
DEFAULT_RETRY_AFTER = 600.0
# Known addresses used to learn one domain's format: more add little and cost time on every row.
KNOWN_PER_DOMAIN = 25
_TRANSIENT_DNS = {"timeout", "servfail", "refused"}
_NO_MAIL = {"null_mx", "no_mail", "nxdomain"}
_BRIEFS_AT_ONCE = 4
# Company names looked up at once (each a few polite requests to Wikidata, Wikipedia and a site).
_LOOKUPS_AT_ONCE = 4


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C (or SIGTERM) stopped the run; finished rows are saved and the output holds them."""

    def __init__(self, summary: BatchSummary) -> None:
        super().__init__("batch interrupted")
        self.summary = summary


@dataclass
class _Settings:
    verify: bool
    smtp: bool
    top: int
    size: str | None
    patterns: str | None
    allow_private: bool
    brief_dir: Path | None
    smtp_options: dict[str, Any] = field(default_factory=dict)
    brief_options: dict[str, Any] = field(default_factory=dict)
    lookup: bool = True
    lookup_options: dict[str, Any] = field(default_factory=dict)
    cache: bool = True  # False: no DNS answer cache, and briefs neither read nor write the HTTP cache
    evidence: bool = False  # gather public evidence once per domain (reachout.find_evidence)
    evidence_options: dict[str, Any] = field(default_factory=dict)

    def fingerprint(self, encoding: str) -> dict[str, Any]:
        """The options that change what a row's result is (a resume with others would mix results)."""
        return {
            "verify": self.verify, "smtp": self.smtp, "top": self.top, "size": self.size,
            "patterns": self.patterns, "allow_private": self.allow_private,
            "brief": self.brief_dir is not None, "encoding": encoding, "lookup": self.lookup,
        }


class _DomainVerifier:
    """Rows of one domain that ask within WINDOW seconds share one verify call (one SMTP session).

    A mail server then sees one session with several RCPTs (and one catch-all test) instead of a
    session per row; at most LIMIT addresses go in one call.
    """

    def __init__(self, run: Callable[[list[str]], Awaitable[list[Any]]], *, window: float = 0.05,
                 limit: int = 20) -> None:
        self.run = run
        self.window = window
        self.limit = limit
        self._open: dict[str, tuple[list[str], asyncio.Future[list[Any]]]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def verify(self, domain: str, addresses: list[str]) -> list[Any]:
        group = self._open.get(domain)
        if group is None or len(group[0]) + len(addresses) > self.limit:
            group = ([], asyncio.get_running_loop().create_future())
            self._open[domain] = group
            task = asyncio.ensure_future(self._flush(domain, group))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        start = len(group[0])
        group[0].extend(addresses)
        reports = await asyncio.shield(group[1])
        return reports[start : start + len(addresses)]

    async def _flush(self, domain: str, group: tuple[list[str], asyncio.Future[list[Any]]]) -> None:
        addresses, future = group
        try:
            await asyncio.sleep(self.window)
            if self._open.get(domain) is group:
                del self._open[domain]
            future.set_result(await self.run(addresses))
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved here; every waiting row gets it

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


class _LruDnsCache:
    """The DnsClient cache interface (get/set/flush) bounded in size, so memory stays flat."""

    def __init__(self, size: int = 4_000) -> None:
        self.size = size
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()

    def get(self, key: str, default: Any = None) -> Any:
        hit = self._items.get(key)
        if hit is None:
            return default
        if hit[0] < time.monotonic():
            del self._items[key]
            return default
        self._items.move_to_end(key)
        return hit[1]

    def set(self, key: str, value: Any, ttl: float) -> None:
        if ttl <= 0:
            return
        self._items[key] = (time.monotonic() + ttl, value)
        self._items.move_to_end(key)
        while len(self._items) > self.size:
            self._items.popitem(last=False)

    def flush(self) -> None:
        return None


def run_batch(
    source: str | os.PathLike[str] | Iterable[Any],
    *,
    out: str | os.PathLike[str] | TextIO | None = None,
    fmt: str | None = None,
    verify: bool = False,
    smtp: bool = False,
    top: int = DEFAULT_TOP,
    size: str | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    state: str | os.PathLike[str] | None = None,
    nameservers: Iterable[str] | None = None,
    timeout: float = 5.0,
    allow_private: bool = False,
    progress: bool | None = None,
    progress_stream: TextIO | None = None,
    encoding: str | None = None,
    restart: bool = False,
    retry_failed: bool = False,
    retry_after: float = DEFAULT_RETRY_AFTER,
    brief_dir: str | os.PathLike[str] | None = None,
    patterns: str | None = None,
    smtp_options: dict[str, Any] | None = None,
    brief_options: dict[str, Any] | None = None,
    lookup: bool = True,
    lookup_options: dict[str, Any] | None = None,
    notify: Callable[[str], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    cache: bool = True,
    evidence: bool = False,
    evidence_options: dict[str, Any] | None = None,
) -> BatchSummary:
    """Work through SOURCE (a CSV/JSONL/domain-list path, "-" for stdin, or Python rows) row by row.

    Every finished row is committed to the state database (STATE, default OUT.state.sqlite, else one
    per input under the user directory); running the same call again resumes. OUT (a path or a text
    stream) gets every row once, in input order, as CSV (spreadsheet-safe) or JSONL (full fidelity).
    A row with a company's name but no domain, website or address has the name looked up
    (reachout.find_domain) unless LOOKUP is False; LOOKUP_OPTIONS go to
    reachout.company.finder.lookup_settings (source_urls, resolve, timeout, cache). Only a sure
    answer is used: an ambiguous or doubtful one marks the row "review" with the choices. EVIDENCE
    gathers public evidence of each domain's format once (reachout.find_evidence with
    EVIDENCE_OPTIONS: config, endpoints, sources); saved evidence is used whether or not.
    Raises BadInput for unusable input or options, BatchInterrupted (a KeyboardInterrupt) on Ctrl-C.
    """
    if concurrency < 1:
        raise BadInput("--concurrency must be at least 1.")
    if top < 1:
        raise BadInput("--top must be at least 1.")
    fmt = _output_format(fmt, out)
    if isinstance(out, str | os.PathLike):
        _require_folder(out, "--out")
    if state is not None:
        _require_folder(state, "--state")
    verify = verify or smtp
    settings = _Settings(
        verify=verify, smtp=smtp, top=top, size=size, patterns=patterns, allow_private=allow_private,
        brief_dir=Path(brief_dir) if brief_dir is not None else None, smtp_options=dict(smtp_options or {}),
        brief_options=dict(brief_options or {}), lookup=lookup,
        lookup_options=dict(lookup_options or {}), cache=cache, evidence=evidence,
        evidence_options=dict(evidence_options or {}),
    )
    if not cache and not {"config", "session"} & set(settings.brief_options):
        from reachout.http import HttpConfig

        # --no-cache: briefs fetch afresh and keep nothing in the HTTP cache.
        settings.brief_options["config"] = HttpConfig.from_env(
            allow_private=allow_private, cache_ttl=None,
            offline=bool(settings.brief_options.pop("offline", False)),
        )
    if settings.brief_dir is not None:
        _require_research()
    _check_data(settings)
    if settings.smtp:
        from reachout.mail.smtpprobe import ProbeSettings

        # A bad EHLO name or sender stops the run here, not every row one by one.
        ProbeSettings(helo=settings.smtp_options.get("helo"),
                      sender=settings.smtp_options.get("sender") or "")
    say = notify or (lambda text: print(text, file=sys.stderr))
    started = time.monotonic()
    source_file = open_input(source, encoding=encoding)
    try:
        options = settings.fingerprint(source_file.encoding)
        run_id = hashlib.sha256(
            (source_file.sha256 + json.dumps(options, sort_keys=True)).encode()).hexdigest()
        state_path = _state_path(state, out, run_id)
        with StateStore(state_path) as store:
            total, header = _prepare(store, source_file, run_id, options, restart=restart)
            summary = BatchSummary(
                input=source_file.display, output=_describe(out), state=str(state_path), total_rows=total,
                retry_after=retry_after,
            )
            if retry_failed:
                summary.retried = _forget_failed(store, retry_after, say, sleep)
            summary.resumed = store.count_rows()
            _say_resumed(summary, say)
            bar = Progress(total, already=summary.resumed, enabled=progress, stream=progress_stream)
            engine = _Engine(store, source_file, settings, bar, concurrency=concurrency,
                             nameservers=nameservers, timeout=timeout)
            from reachout.aio import run_sync

            try:
                run_sync(engine.run())
            except KeyboardInterrupt:
                engine.interrupted = True
            bar.close()
            summary.processed = bar.done
            summary.interrupted = engine.interrupted
            summary.elapsed = time.monotonic() - started
            _tally(store, summary)
            if out is not None and not (summary.interrupted and not _is_path(out)):
                _write_output(store, out, fmt, header, settings)
    finally:
        source_file.close()
    if summary.interrupted:
        raise BatchInterrupted(summary)
    return summary


def _check_data(settings: _Settings) -> None:
    """Read the data files every row needs, so a broken one stops the run before any row.

    (Otherwise each row would be saved as an `error`, and a resumed run would not redo them.)
    """
    from reachout.data import load_lines, load_toml
    from reachout.guessing import load_formats, load_role_inboxes

    for name in ("formats", "names", "providers", "spf_services", "role_accounts", "role_inboxes"):
        load_toml(name, settings.patterns)
    load_lines("webmail.txt", settings.patterns)
    load_formats(settings.size, settings.patterns)
    load_role_inboxes(settings.patterns)


def iter_results(state: str | os.PathLike[str]) -> Iterator[dict[str, Any]]:
    """The finished rows of a state database, in input order (each a RowResult.to_dict())."""
    if not Path(state).is_file():
        raise BadInput(f"No batch state at {state}; pass the state file a run_batch summary names.")
    with StateStore(state) as store:
        yield from store.results()


# --- set-up -----------------------------------------------------------------------------------------


def _require_research() -> None:
    try:
        import reachout.research  # noqa: F401
    except ImportError:
        raise BadInput("briefs need the research module") from None


def _output_format(fmt: str | None, out: Any) -> str:
    if fmt is None:
        name = os.fspath(out) if _is_path(out) else ""
        fmt = "jsonl" if str(name).lower().endswith((".jsonl", ".ndjson", ".json")) else "csv"
    if fmt not in {"csv", "jsonl"}:
        raise BadInput(f"Unknown output format {fmt!r}; use csv or jsonl.")
    return fmt


def _is_path(out: Any) -> bool:
    return isinstance(out, str | os.PathLike)


def _describe(out: Any) -> str | None:
    if out is None:
        return None
    return os.fspath(out) if _is_path(out) else "standard output"


def _state_path(state: Any, out: Any, run_id: str) -> Path:
    if state is not None:
        return Path(state)
    if _is_path(out):
        return Path(os.fspath(out) + ".state.sqlite")
    from reachout.paths import user_dir

    return user_dir() / "batch" / f"{run_id[:16]}.state.sqlite"


_MAX_JSONL_COLUMNS = 200


def _prepare(store: StateStore, source: InputFile, run_id: str, options: dict[str, Any], *,
             restart: bool) -> tuple[int, list[str]]:
    """Resume the run in STORE, or start it (refusing to mix in a different input or options).

    Returns the number of rows and the input's columns (for JSON lines, every key seen, in order).
    """
    meta = store.meta()
    if meta and meta.get("run_id") != run_id and not restart:
        if meta.get("input_sha256") != source.sha256:
            what = f"a batch of a different input ({meta.get('input')}, which has changed since)"
        else:
            changed = sorted(k for k in options if options[k] != (meta.get("options") or {}).get(k))
            what = f"a batch of this input with other options ({', '.join(changed)})"
        raise BadInput(
            f"{store.path} holds {what}; pass --restart to discard it and start again, or --state FILE "
            "to keep it."
        )
    if meta and (restart or not meta.get("total_rows_known")):
        store.reset()
        meta = {}
    if meta:
        return int(meta["total_rows"]), list(meta["header"])
    total = 0
    header = list(source.header) if source.kind == "csv" else ["input"] if source.kind == "list" else []
    seen = set(header)
    pending: list[tuple[str, str, str]] = []
    with store.transaction():
        for row in source.rows():
            total += 1
            if source.kind == "jsonl" and len(header) < _MAX_JSONL_COLUMNS:
                for key in row.cells:
                    if key not in seen and key != "_error":
                        seen.add(key)
                        header.append(key)
            pair = _known_pair(row)
            if pair:
                pending.append(pair)
                if len(pending) >= 1000:
                    store.add_known(pending)
                    pending.clear()
        store.add_known(pending)
        store.set_meta(
            run_id=run_id, input=source.display, input_sha256=source.sha256, options=options,
            kind=source.kind, header=header[:_MAX_JSONL_COLUMNS], total_rows=total, total_rows_known=True,
            created_at=time.time(),
        )
    return total, header[:_MAX_JSONL_COLUMNS]


def _email_problem(row: InputRow, allow_private: bool) -> str | None:
    """Why the row's email cell is no address (its row is then bad_input, never guessed as "ok")."""
    from reachout.textinput import undecodable

    if "@" not in row.email and not undecodable(row.email):
        return None  # empty, or "n/a": no address was claimed
    from reachout.guessing import normalize_address

    try:
        normalize_address(row.email, allow_private=allow_private)
    except BadInput as exc:
        return f"the email cell: {exc}"
    return None


def _known_pair(row: InputRow) -> tuple[str, str, str] | None:
    """(domain, name, address) when the row names a person and an address known to be theirs."""
    if not row.email or not row.name:
        return None
    from reachout.guessing import normalize_address

    try:
        address = normalize_address(row.email)
    except BadInput:
        return None
    return address.rsplit("@", 1)[1], row.name, address


def _forget_failed(store: StateStore, retry_after: float, say: Callable[[str], None],
                   sleep: Callable[[float], None]) -> int:
    now, later, latest = store.retriable()
    if not now + later:
        say("No rows failed for reasons that may pass; nothing to retry.")
        return 0
    # Only greylisting asks for a wait (RFC 6647); a failed lookup is simply asked again.
    wait = (latest or 0) + retry_after - time.time() if later else 0
    if wait > 0:
        say(f"Retrying {_retry_kinds(now, later)} in {_duration(wait)}: mail servers that greylist "
            f"accept a retry only after a few minutes (--retry-after {retry_after:g} s). Ctrl-C to "
            "stop.")
        sleep(wait)
    else:
        say(f"Retrying {_retry_kinds(now, later)}.")
    return store.forget_retriable()


def _retry_kinds(now: int, later: int) -> str:
    """The rows to redo, by why they failed."""
    kinds = []
    if now:
        kinds.append(f"{now:,} row(s) whose lookup failed (a DNS server or a public source did not "
                     "answer)")
    if later:
        kinds.append(f"{later:,} row(s) a mail server deferred (greylisting)")
    return " and ".join(kinds)


def _say_resumed(summary: BatchSummary, say: Callable[[str], None]) -> None:
    """Say that an earlier run's saved rows are used, not redone: the output comes partly or
    wholly from then."""
    if not summary.resumed:
        return
    if summary.resumed >= summary.total_rows:
        say(f"All {summary.total_rows:,} rows were done by an earlier run (saved in "
            f"{summary.state}): writing those results. Pass --restart to redo them all.")
    else:
        say(f"Resuming: {summary.resumed:,} of {summary.total_rows:,} rows were done by an earlier "
            f"run (saved in {summary.state}); the others are worked on now. Pass --restart to redo "
            "them all.")


def _require_folder(path: str | os.PathLike[str], option: str) -> None:
    """BadInput unless PATH's folder exists: a mistyped folder is not created in passing."""
    folder = Path(os.fspath(path)).parent
    if not folder.is_dir():
        raise BadInput(f"Cannot write {os.fspath(path)}: the folder {folder} does not exist; create "
                       f"it first, or pass {option} a path in an existing folder.")


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _tally(store: StateStore, summary: BatchSummary) -> None:
    summary.done = store.count_rows()
    summary.domains = store.count_domains()
    summary.by_status = dict(store.tally("status"))
    summary.by_mail_status = dict(store.tally("mail_status"))
    summary.by_provider = dict(store.tally("provider"))
    summary.errors = dict(store.tally("error")[:20])
    now, later, _ = store.retriable()
    summary.retriable, summary.retriable_after_wait = now + later, later
    if summary.retriable:
        when = (f" (the deferred ones once {_duration(summary.retry_after)} have passed)"
                if later else "")
        summary.notices.append(
            f"Not finished: {_retry_kinds(now, later)}; run the same command with --retry-failed to "
            f"redo them{when}."
        )
    if summary.interrupted:
        summary.notices.append(
            f"Stopped after {summary.done:,} of {summary.total_rows:,} rows; they are saved in "
            f"{summary.state}. Run the same command again to resume."
        )


# --- output -----------------------------------------------------------------------------------------


def _write_output(store: StateStore, out: Any, fmt: str, header: list[str], settings: _Settings) -> None:
    """Write every committed row in input order: to a temporary file renamed into place, or a stream."""
    if not _is_path(out):
        _write_rows(store, out, fmt, header, settings)
        out.flush()
        return
    path = Path(os.fspath(out))
    try:
        # utf-8-sig: Excel reads a CSV as UTF-8 only when it starts with a BOM.
        with atomic_open(path, encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as stream:
            _write_rows(store, stream, fmt, header, settings)
    except OSError as exc:
        # The old output stays whole (also on a second Ctrl-C while writing).
        raise BadInput(f"Cannot write {path}: {exc.strerror}; pass --out with a writable path.") from None


def _write_rows(store: StateStore, stream: TextIO, fmt: str, header: list[str], settings: _Settings) -> None:
    if fmt == "jsonl":
        for result in store.results():
            stream.write(to_json_line(result) + "\n")
        return
    write_csv_rows(store.results(), header, stream, top=settings.top, verify=settings.verify,
                   brief=settings.brief_dir is not None)


# --- the engine -------------------------------------------------------------------------------------


class _Engine:
    """Rows through a bounded queue to CONCURRENCY workers; one DNS client; one check per domain."""

    def __init__(self, store: StateStore, source: InputFile, settings: _Settings, bar: Progress, *,
                 concurrency: int, nameservers: Iterable[str] | None, timeout: float) -> None:
        self.store = store
        self.source = source
        self.settings = settings
        self.bar = bar
        self.concurrency = concurrency
        self.nameservers = list(nameservers or ())
        self.timeout = timeout
        self.interrupted = False
        self._domains: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._known: OrderedDict[str, list[tuple[str, str]]] = OrderedDict()
        self._learned: OrderedDict[str, dict[str, Any] | None] = OrderedDict()
        self._briefs: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._evidence: dict[str, asyncio.Future[str]] = {}
        self._brief_slots: asyncio.Semaphore | None = None
        self._lookups: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._lookup_slots: asyncio.Semaphore | None = None
        self._lookup_setup: dict[str, Any] | None = None
        self.client: Any = None
        self.pacer: Any = None
        self.verifier = _DomainVerifier(self._verify_many)

    async def run(self) -> None:
        from reachout.mail.dnsclient import DnsClient, resolve_nameservers

        servers = resolve_nameservers(self.nameservers)
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()
        on_main = threading.current_thread() is threading.main_thread()
        if on_main and task is not None:
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.add_signal_handler(signal.SIGTERM, task.cancel)
        self._brief_slots = asyncio.Semaphore(_BRIEFS_AT_ONCE)
        self._lookup_slots = asyncio.Semaphore(_LOOKUPS_AT_ONCE)
        if self.settings.smtp:
            from reachout.mail.smtpprobe import MxPacer

            # One pacer for the whole batch: a mail server sees one probe session at a time, however
            # many rows (and domains) it serves.
            self.pacer = MxPacer(float(self.settings.smtp_options.get("smtp_interval", 1.0)))
        answers = _LruDnsCache() if self.settings.cache else None
        self.client = DnsClient(servers, timeout=self.timeout, cache=answers)  # type: ignore[arg-type]
        await self.client.start()
        queue: asyncio.Queue[InputRow | None] = asyncio.Queue(maxsize=self.concurrency * 2)
        workers = [asyncio.ensure_future(self._worker(queue)) for _ in range(self.concurrency)]
        try:
            await self._produce(queue)
            await asyncio.gather(*workers)
        except asyncio.CancelledError:
            self.interrupted = True
        finally:
            for worker in workers:
                worker.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
            await self.verifier.close()
            await self.client.close()
            if self._lookup_setup is not None:
                self._lookup_setup["session"].close()
            if on_main:
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.remove_signal_handler(signal.SIGTERM)

    async def _produce(self, queue: asyncio.Queue[InputRow | None]) -> None:
        done = self.store.done_indexes()
        next_done = next(done, None)
        for row in self.source.rows():
            while next_done is not None and next_done < row.index:
                next_done = next(done, None)
            if next_done == row.index:
                continue
            await queue.put(row)
        for _ in range(self.concurrency):
            await queue.put(None)

    async def _worker(self, queue: asyncio.Queue[InputRow | None]) -> None:
        while (row := await queue.get()) is not None:
            try:
                result = await self.process(row)
            except (asyncio.CancelledError, KeyboardInterrupt):
                raise
            except Exception as exc:  # one row's surprise must not stop a batch of thousands
                result = _bare(row)
                result.status, result.error = "error", f"unexpected error: {type(exc).__name__}: {exc}"
                result.retriable = isinstance(exc, OSError)  # a network hiccup may pass; a bug will not
            self.store.save_row(row.index, row.line, result.to_dict())
            self.bar.tick()

    # -- one row ----------------------------------------------------------------------------------

    async def process(self, row: InputRow) -> RowResult:
        result = _bare(row)
        problems: list[str] = []
        for role, length in row.oversized:
            problems.append(f"the {role.replace('_', ' ')} cell is {length:,} characters long "
                            f"(at most {MAX_FIELD:,} are read)")
        if row.cells.get("_error"):
            problems.append(row.cells["_error"])
        email_problem = _email_problem(row, self.settings.allow_private)
        if email_problem:
            problems.append(email_problem)
        domain_text = _domain_text(row)
        result.domain_source = "input" if domain_text else ""
        if not domain_text and row.company and self.settings.lookup:
            found = await self.company_lookup(row.company)
            domain_text = found.get("domain") or ""
            result.domain_source = found.get("source", "")
            result.domain_confidence = found.get("confidence")
            if not domain_text:
                result.status, result.retriable = found["status"], found["status"] == "failed"
                result.error = "; ".join([*problems, found["error"]])
                return result
            if found.get("reason"):
                result.notes.append(found["reason"])
        if not domain_text:
            result.status = "bad_input"
            result.error = "; ".join([*problems, _no_domain(row, self.settings.lookup)])
            return result
        from reachout.domains import mail_domain

        try:
            # The domain as given: a subdomain (us.ibm.com) takes mail of its own.
            chosen = mail_domain(domain_text, allow_private=self.settings.allow_private)
            domain = chosen.domain
            if chosen.warning:
                result.notes.append(chosen.warning)
        except BadInput as exc:
            result.status, result.error = "bad_input", "; ".join([*problems, str(exc)])
            return result
        result.domain = domain
        mail = await self.domain_report(domain)
        result.mail = mail
        accepts = mail.get("accepts_mail")
        if mail["status"] == "invalid":
            problems.append(mail.get("reason") or f"{domain} is not a domain name")
        elif accepts is None:
            result.status, result.retriable = "failed", True
            problems.append(mail.get("reason") or "the DNS lookup failed")
        elif accepts is False:
            result.status = "no_mail"
            problems.append(mail.get("reason") or f"{domain} takes no mail")
        if self.settings.evidence and accepts is not False:
            note = await self.evidence(domain)
            if note:
                result.notes.append(note)
        name_problem = self._guess(row, domain, result)
        if name_problem:
            problems.append(name_problem)
        if self.settings.verify and accepts is not False and (result.candidates or result.inboxes):
            await self._verify(result)
        if self.settings.brief_dir is not None:
            # The row's web address when it has one (it may name a port or a path to start from).
            website = row.website if row.website.lower().startswith(("http://", "https://")) else ""
            result.brief = await self.brief(domain, row.company, website)
            if result.brief.get("error"):
                result.notes.append(f"brief: {result.brief['error']}")
        if problems and result.status == "ok":
            result.status = "bad_input"
        if mail["status"] == "invalid" and result.status in {"ok", "no_mail"}:
            result.status = "bad_input"
        result.error = "; ".join(problems)
        return result

    def _guess(self, row: InputRow, domain: str, result: RowResult) -> str | None:
        from reachout.guessing import guess, load_role_inboxes

        settings = self.settings
        known = self.known(domain)
        if row.name and (result.mail or {}).get("accepts_mail") is not False:
            # (A domain that takes no mail gets no candidates: none of them could reach anyone.)
            try:
                found = guess(row.name, domain, known=known, top=settings.top, roles=False,
                              size=settings.size, patterns=settings.patterns,
                              allow_private=settings.allow_private, site_addresses=True,
                              public_evidence=True)
            except BadInput as exc:
                return str(exc)
            result.candidates = [c.to_dict() for c in found.personal]
            result.learned = found.learned.to_dict() if found.learned else None
            result.notes += found.notices
            return None
        result.learned = self.learned(domain, known)
        if result.mail and result.mail.get("accepts_mail") is not False:
            result.inboxes = [
                {"address": f"{box.local}@{domain}", "share": box.share, "use": box.use}
                for box in load_role_inboxes(settings.patterns)[: settings.top]
            ]
        return None

    async def _verify_many(self, addresses: list[str]) -> list[Any]:
        from reachout.mail.verify import verify_addresses_async

        return await verify_addresses_async(
            addresses, smtp=self.settings.smtp, client=self.client,
            allow_private=self.settings.allow_private, patterns=self.settings.patterns,
            pacer=self.pacer, **self.settings.smtp_options,
        )

    async def _verify(self, result: RowResult) -> None:
        targets = result.candidates or result.inboxes
        assert result.domain is not None
        reports = await self.verifier.verify(result.domain, [t["address"] for t in targets])
        deferred = []
        for target, report in zip(targets, reports, strict=True):
            target["verification"] = report.to_dict()
            smtp = report.smtp
            # Greylisted (4xx), or no reply code at all (a timeout, a dropped connection): worth a retry.
            if smtp is not None and (smtp.result == "greylisted"
                                     or (smtp.result == "unknown" and smtp.code is None)):
                deferred.append(f"{target['address']}: {smtp.message or smtp.result}")
        if deferred and result.status == "ok":
            result.status, result.retriable, result.retry_after_wait = "failed", True, True
            result.notes.append("the mail server could not be asked now (" + "; ".join(deferred) + ")")

    # -- shared, once per domain --------------------------------------------------------------------

    async def domain_report(self, domain: str) -> dict[str, Any]:
        """The domain's mail report: from memory, the state database, a lookup in flight, or DNS."""
        hit = self._domains.get(domain)
        if hit is not None:
            self._domains.move_to_end(domain)
            return hit
        stored = self.store.domain_report(domain)
        if stored is not None:
            return self._remember(self._domains, domain, stored)
        waiting = self._pending.get(domain)
        if waiting is not None:
            return await asyncio.shield(waiting)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[domain] = future
        try:
            from reachout.domains import to_ascii
            from reachout.mail.dnscheck import check_domain_async

            report = await check_domain_async(
                to_ascii(domain), self.client, allow_private=self.settings.allow_private,
                patterns=self.settings.patterns,
            )
            data = report.to_dict()
            data["domain"] = domain
            self.store.save_domain(domain, data, retriable=data["status"] in _TRANSIENT_DNS)
            self._remember(self._domains, domain, data)
            future.set_result(data)
            return data
        except BaseException as exc:
            if isinstance(exc, asyncio.CancelledError | KeyboardInterrupt):
                future.cancel()
            else:
                future.set_exception(exc)
                future.exception()  # retrieved: waiting rows get it; no "never retrieved" warning
            raise
        finally:
            del self._pending[domain]

    def known(self, domain: str) -> list[tuple[str, str]]:
        if domain not in self._known:
            self._remember(self._known, domain, self.store.known_for(domain, KNOWN_PER_DOMAIN))
        return self._known[domain]

    def learned(self, domain: str, known: list[tuple[str, str]]) -> dict[str, Any] | None:
        if not known:
            return None
        if domain not in self._learned:
            from reachout.guessing import infer_domain_format

            found = infer_domain_format(domain, known, size=self.settings.size,
                                        patterns=self.settings.patterns)
            self._remember(self._learned, domain, found.to_dict())
        return self._learned[domain]

    @staticmethod
    def _remember(cache: OrderedDict[str, Any], key: str, value: Any, size: int = 2_000) -> Any:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > size:
            cache.popitem(last=False)
        return value

    async def company_lookup(self, company: str) -> dict[str, Any]:
        """A company name's domain, looked up once per name (folded) for the whole run."""
        from reachout.company.names import fold

        key = fold(company, patterns=self.settings.patterns) or company
        if key not in self._lookups:
            self._lookups[key] = asyncio.ensure_future(self._lookup(company))
        return await asyncio.shield(self._lookups[key])

    async def _lookup(self, company: str) -> dict[str, Any]:
        assert self._lookup_slots is not None
        async with self._lookup_slots:
            if self._lookup_setup is None:
                from reachout.company.finder import lookup_settings
                from reachout.http import build_session

                options = dict(self.settings.lookup_options)
                options.setdefault("nameservers", self.nameservers)
                options.setdefault("allow_private", self.settings.allow_private)
                setup = lookup_settings(**options)
                setup["session"] = build_session(setup.pop("config"))
                self._lookup_setup = setup
            return await asyncio.to_thread(lookup_company, company, self._lookup_setup,
                                           self.settings.patterns)

    async def evidence(self, domain: str) -> str:
        """Gather DOMAIN's public evidence once (saved for every row of it); "" or a note saying why
        it could not be (a failed source is never a failed row)."""
        if domain not in self._evidence:
            self._evidence[domain] = asyncio.ensure_future(self._gather_evidence(domain))
        return await asyncio.shield(self._evidence[domain])

    async def _gather_evidence(self, domain: str) -> str:
        from reachout.evidence import find_evidence

        assert self._brief_slots is not None
        async with self._brief_slots:  # each asks several sites: no more at once than briefs
            try:
                found = await asyncio.to_thread(find_evidence, domain, patterns=self.settings.patterns,
                                                allow_private=self.settings.allow_private,
                                                **self.settings.evidence_options)
            except Exception as exc:  # the evidence is a help to the guess, never its failure
                return f"evidence: {exc}"
        # Nothing found because a source was unreachable is not "no public addresses": say so.
        return f"evidence: {'; '.join(found.unreachable())}" if found.failed else ""

    async def brief(self, domain: str, company: str, website: str = "") -> dict[str, Any]:
        """One brief per company domain, written to --brief DIR; its key facts for the row."""
        stored = self.store.brief(domain)
        if stored is not None:
            return stored
        if domain not in self._briefs:
            self._briefs[domain] = asyncio.ensure_future(self._make_brief(domain, company, website))
        return await asyncio.shield(self._briefs[domain])

    async def _make_brief(self, domain: str, company: str, website: str) -> dict[str, Any]:
        assert self._brief_slots is not None and self.settings.brief_dir is not None
        async with self._brief_slots:
            summary = await asyncio.to_thread(
                write_brief, domain, company, self.settings.brief_dir, self.settings.allow_private,
                self.settings.brief_options, website)
        self.store.save_brief(domain, summary)
        self._briefs.pop(domain, None)  # saved: later rows read it from the state (memory stays flat)
        return summary


def write_brief(domain: str, company: str, directory: Path, allow_private: bool,
                options: dict[str, Any] | None = None, website: str = "") -> dict[str, Any]:
    """Build DOMAIN's brief with reachout.research, write DIR/<domain>.md and .json, return key facts.

    The brief starts from WEBSITE when the row gave one, else from the domain. OPTIONS go to
    build_brief as keywords (max_pages, offline, session, endpoints, resolve…).
    """
    from reachout.research import build_brief

    name = company if company and company.lower() != domain.lower() and "." not in company else None
    try:
        brief = build_brief(website or domain, name=name, allow_private=allow_private, **(options or {}))
    except ReachoutError as exc:
        return {"file": None, "error": str(exc)}
    from reachout import briefstore
    from reachout.atomicfile import write_atomic

    # The saved-brief owner names both files (A-label domains) and writes them atomically; a brief
    # that cannot be written is this row's note, not the run's end.
    try:
        saved = briefstore.save_brief(brief.to_dict(), domain, directory)
    except ReachoutError as exc:
        return {"file": None, "error": str(exc)}
    markdown = saved.with_suffix(".md")
    try:
        write_atomic(markdown, brief.to_markdown())
    except OSError as exc:
        return {"file": None, "error": f"Cannot write {markdown} ({exc.strerror or exc})"}
    about = brief.about() if hasattr(brief, "about") else []
    return {
        "file": str(markdown),
        "about": about[0].value if about else "",
        "open_roles": len(getattr(brief, "roles", []) or []),
        "people": len(getattr(brief, "people", []) or []),
    }


def lookup_company(company: str, setup: dict[str, Any], patterns: str | None = None) -> dict[str, Any]:
    """A row's company name looked up: the domain when sure, else the status and error for the row.

    Keys: domain, source, confidence, reason (why that mail domain), status, error.
    """
    from reachout.company.finder import describe_failure, find_domain

    try:
        match = find_domain(company, patterns=patterns, **setup)
    except ReachoutError as exc:
        return {"status": "bad_input", "error": str(exc)}
    best = match.best
    found: dict[str, Any] = {
        "source": best.website_source if best else "",
        "confidence": round(best.confidence, 4) if best else None,
    }
    if match.domain and best is not None:
        return {**found, "domain": match.domain, "reason": f"company name looked up: {best.name} "
                f"({best.wikidata or best.website_source}); {best.mail_reason}"}
    if match.status == "failed":
        # A source did not answer: "not found" may only mean "not known now"; worth a retry.
        return {**found, "status": "failed",
                "error": f"company name not looked up ({'; '.join(match.notes)})"}
    status = "bad_input" if best is None else "review"
    return {**found, "status": status,
            "error": describe_failure(match, "add its domain or website to the row")}


def _bare(row: InputRow) -> RowResult:
    return RowResult(row=row.index + 1, line=row.line, input=row.cells, company=row.company,
                     name=row.name, title=row.title, known_email=row.email)


def _domain_text(row: InputRow) -> str:
    if row.domain:
        return row.domain
    if row.website:
        return row.website
    company = row.company
    if company and "." in company and not any(ch.isspace() for ch in company):
        return company
    if row.email and "@" in row.email:
        return row.email
    return ""


def _no_domain(row: InputRow, lookup: bool) -> str:
    if row.company and not lookup:
        return (f"no domain for {row.company[:80]!r}; add a domain or website column, or drop "
                "--no-lookup to look the name up")
    return "no domain, website or company in this row"
