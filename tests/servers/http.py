"""A threaded HTTP server on 127.0.0.1 that brings company sites and public APIs to loopback.

- Company sites: files under tests/fixtures/sites/<host>/, chosen by the Host header (a site
  whose folder holds `_redirect` answers 301 to that URL plus the path); `/x`
  serves x.html, x/index.html, x/index.rss (as application/rss+xml, like WordPress's /feed/)
  or the file itself; `{{PORT}}` in text files becomes the server's port.
- Mock public APIs on any host, by path prefix, answering with each service's real response shape:
  /greenhouse/v1/boards/<board>/jobs, /lever/v0/postings/<board>,
  /ashby/posting-api/job-board/<board>, /workable/api/v1/widget/accounts/<board>,
  /smartrecruiters/v1/companies/<board>/postings, /personio/<account>/xml,
  /recruitee/<account>/api/offers/, /teamtailor/<account>/jobs.rss,
  /workday/wday/cxs/<tenant>/<site>/jobs (POST: Workday's job search, limit ≤ 20, offset,
  searchText) and /workday/wday/cxs/<tenant>/<site>/job/<…> (GET: one posting),
  /wikidata/sparql (P856 lookups),
  /wikidata/w/api.php (wbsearchentities over the fixture items, wbgetentities),
  /wikipedia/api/rest_v1/page/summary/<title>, /wikipedia/w/api.php?action=parse (lead wikitext).
- Programmable routes (`route(host, path, Route(...))`) for hostile behaviour: any status and
  headers, a delay before answering, a slow drip, an oversized streamed body, a sequence of answers
  (429 then 200), and built-in hostile pages on host `broken.test` (see HOSTILE).
- `latency` adds a delay to every response (the benchmark's 100 ms); `log` records every request.
"""

from __future__ import annotations

import json
import mimetypes
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@dataclass
class Route:
    """One programmed answer (or, with `sequence`, answers in turn; the last one repeats)."""

    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    delay: float = 0.0  # seconds before the status line
    drip: float = 0.0  # seconds between chunks of the body
    drip_bytes: int = 1024  # the size of each dripped chunk (1: a byte at a time)
    cut_at: int | None = None  # announce the whole body's length, send this many bytes, hang up
    stream_bytes: int = 0  # stream this many filler bytes with no Content-Length
    sequence: list[Route] = field(default_factory=list)
    hits: int = 0


@dataclass
class LoggedRequest:
    host: str
    path: str
    user_agent: str
    started: float
    finished: float = 0.0
    method: str = "GET"
    body: bytes = b""


class FixtureServer:
    """`start()`, `stop()`; `url(host, path)` and `resolve(host)` help clients reach it."""

    def __init__(self, fixtures: Path = FIXTURES):
        self.fixtures = fixtures
        self.routes: dict[tuple[str, str], Route] = {}
        self.latency = 0.0
        self.log: list[LoggedRequest] = []
        self.in_flight: dict[str, int] = defaultdict(int)
        self.max_in_flight: dict[str, int] = defaultdict(int)
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        # Extra mock APIs (tests/servers/evidence.py): each hook(handler, host, path, query) answers
        # and returns True, or returns False to let the next one (and the built-in ones) answer.
        self.hooks: list[Any] = []
        self.reset()

    # ------------------------------------------------------------------ control
    def start(self) -> FixtureServer:
        server = self

        class Handler(_Handler):
            fixture_server = server

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            name="fixture-http",
            kwargs={"poll_interval": 0.05},
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def reset(self) -> None:
        """Forget programmed routes, latency and the log (between tests)."""
        with self._lock:
            self.routes.clear()
            self.hooks.clear()
            self.latency = 0.0
            self.log.clear()
            self.in_flight.clear()
            self.max_in_flight.clear()
            self.route(
                "broken.test",
                "/busy",
                Route(
                    sequence=[
                        Route(429, "busy", headers={"Retry-After": "1"}),
                        Route(
                            200,
                            "<html><head><title>Busy, then fine</title></head><body></body></html>",
                        ),
                    ]
                ),
            )

    def route(self, host: str, path: str, route: Route | None = None, **spec: Any) -> None:
        """Program HOST's PATH ("*" for any host): a Route, or Route fields as keywords."""
        if route is None:
            steps = [Route(**step) for step in spec.pop("sequence", [])]
            route = Route(sequence=steps, **spec)
        self.routes[(host.lower(), path)] = route

    def url(self, host: str, path: str = "/") -> str:
        return f"http://{host}:{self.port}{path}"

    def api(self, name: str) -> str:
        """Base URL of a mock API: greenhouse, lever, ashby, workable, smartrecruiters, wikidata…"""
        return f"http://127.0.0.1:{self.port}/{name}"

    def resolve(self, *hosts: str) -> list[str]:
        """curl-style --resolve entries that send HOSTS to this server."""
        return [f"{host}:{self.port}:127.0.0.1" for host in hosts]

    def requests_to(self, host: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.log if r.host == host]

    def paths(self, host: str) -> list[str]:
        return [r.path for r in self.requests_to(host)]


# Built-in hostile pages of host broken.test (its index links them all).
HOSTILE_NOTE = """
/missing        404
/error          500 every time
/busy           429 with Retry-After: 1, then 200
/overloaded     429 with Retry-After: 3600 (longer than a client should wait)
/slow           answers after 3 s
/loop-a         302 → /loop-b → /loop-a
/away           302 → http://elsewhere.example/
/metadata       302 → http://metadata.broken.test:PORT/ (resolved to 169.254.169.254)
/huge           8 MB streamed without Content-Length
/image          PNG bytes served as text/html
/latin          UTF-8 bytes labelled ISO-8859-1, Latin-1 bytes labelled UTF-8 on /legacy
"""


class _Handler(BaseHTTPRequestHandler):
    fixture_server: FixtureServer
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, the client's delayed
    # ACK would hold every keep-alive response back ~40 ms.
    disable_nagle_algorithm = True
    server_version = "fixture"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.do_GET(self.rfile.read(length) if length else b"")

    def do_GET(self, body: bytes | None = None) -> None:
        srv = self.fixture_server
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].lower()
        entry = LoggedRequest(host, self.path, self.headers.get("User-Agent", ""), time.monotonic(),
                              method=self.command, body=body or b"")
        self.body = body
        with srv._lock:
            srv.log.append(entry)
            srv.in_flight[host] += 1
            srv.max_in_flight[host] = max(srv.max_in_flight[host], srv.in_flight[host])
        self._in_flight_host: str | None = host
        try:
            if srv.latency:
                time.sleep(srv.latency)
            self._dispatch(host)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            entry.finished = time.monotonic()
            self._answered()

    def send_response(self, code: int, message: str | None = None) -> None:
        # A request is in flight until its answer starts: once the client has it, it may send the next
        # request before this thread gets back, and a count kept until then would see two at once.
        self._answered()
        super().send_response(code, message)

    def _answered(self) -> None:
        host, self._in_flight_host = getattr(self, "_in_flight_host", None), None
        if host is not None:
            with self.fixture_server._lock:
                self.fixture_server.in_flight[host] -= 1

    # ------------------------------------------------------------------ dispatch
    def _dispatch(self, host: str) -> None:
        srv = self.fixture_server
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        query = parse_qs(parts.query)
        route = srv.routes.get((host, path)) or srv.routes.get(("*", path))
        if route is not None:
            return self._route(route)
        if host == "broken.test" and path != "/" and path != "/robots.txt":
            hostile = _hostile(path, srv.port)
            if hostile is not None:
                return self._route(hostile)
        for hook in list(srv.hooks):
            if hook(self, host, path, query):
                return None
        first = path.strip("/").split("/", 1)[0]
        api = {
            "greenhouse": self._greenhouse,
            "lever": self._lever,
            "ashby": self._ashby,
            "workable": self._workable,
            "smartrecruiters": self._smartrecruiters,
            "personio": self._personio,
            "recruitee": self._recruitee,
            "teamtailor": self._teamtailor,
            "workday": self._workday,
            "wikidata": self._wikidata,
            "wikipedia": self._wikipedia,
        }.get(first)
        if api is not None:
            return api(path, query)
        return self._site(host, path)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, doc: Any, status: int = 200) -> None:
        self._send(status, json.dumps(doc).encode(), "application/json; charset=utf-8")

    def _not_found(self) -> None:
        self._send(404, b"<h1>Not found</h1>", "text/html; charset=utf-8")

    def _route(self, route: Route) -> None:
        if route.sequence:
            index = min(route.hits, len(route.sequence) - 1)
            route.hits += 1
            route = route.sequence[index]
        if route.delay:
            time.sleep(route.delay)
        body = route.body.encode() if isinstance(route.body, str) else route.body
        body = body.replace(b"{{PORT}}", str(self.fixture_server.port).encode())
        if route.stream_bytes:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"<p>" + b"x" * 65_530 + b"</p>"
            sent = 0
            while sent < route.stream_bytes:
                self.wfile.write(chunk)
                sent += len(chunk)
            return
        if route.drip:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            step = max(1, route.drip_bytes)
            for start in range(0, len(body), step):
                self.wfile.write(body[start : start + step])
                self.wfile.flush()
                time.sleep(route.drip)
            return
        if route.cut_at is not None:
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: route.cut_at])
            self.wfile.flush()
            self.close_connection = True
            return
        self._send(route.status, body, route.content_type, route.headers)

    # ------------------------------------------------------------------ sites
    def _site(self, host: str, path: str) -> None:
        root = self.fixture_server.fixtures / "sites" / host
        if not root.is_dir() or ".." in path:
            return self._not_found()
        moved = root / "_redirect"
        if moved.is_file():
            # A site that moved (acme.io → acme.com): every path answers 301 to the same path there.
            target = moved.read_text(encoding="utf-8").strip().replace(
                "{{PORT}}", str(self.fixture_server.port)
            )
            return self._send(301, b"", "text/html", {"Location": target.rstrip("/") + path})
        rel = path.lstrip("/")
        candidates = (
            [root / "index.html"]
            if not rel
            else [
                root / rel,
                root / f"{rel}.html",
                root / rel / "index.html",
                # WordPress serves feeds at directory URLs (/feed/) as application/rss+xml.
                root / rel / "index.rss",
            ]
        )
        for file in candidates:
            if file.is_file():
                body = file.read_bytes().replace(
                    b"{{PORT}}", str(self.fixture_server.port).encode()
                )
                ctype = _type_of(file)
                return self._send(200, body, ctype)
        return self._not_found()

    # ------------------------------------------------------------------ APIs
    def _api_file(self, *parts: str) -> Any:
        file = self.fixture_server.fixtures.joinpath("apis", *parts)
        if not file.is_file() or ".." in "".join(parts):
            return None
        text = file.read_text(encoding="utf-8").replace("{{PORT}}", str(self.fixture_server.port))
        return json.loads(text)

    def _board(self, path: str, pattern: str, provider: str) -> None:
        match = re.fullmatch(pattern, path)
        doc = self._api_file(provider, f"{match.group(1)}.json") if match else None
        if doc is None:
            # Each service's own not-found shape.
            return self._json({"status": 404, "error": "Job board not found"}, 404)
        return self._json(doc)

    def _greenhouse(self, path: str, query: dict[str, list[str]]) -> None:
        self._board(path, r"/greenhouse/v1/boards/([\w-]+)/jobs", "greenhouse")

    def _lever(self, path: str, query: dict[str, list[str]]) -> None:
        self._board(path, r"/lever/v0/postings/([\w.-]+)", "lever")

    def _ashby(self, path: str, query: dict[str, list[str]]) -> None:
        self._board(path, r"/ashby/posting-api/job-board/([\w.-]+)", "ashby")

    def _workable(self, path: str, query: dict[str, list[str]]) -> None:
        self._board(path, r"/workable/api/v1/widget/accounts/([\w-]+)", "workable")

    def _smartrecruiters(self, path: str, query: dict[str, list[str]]) -> None:
        self._board(path, r"/smartrecruiters/v1/companies/([\w-]+)/postings", "smartrecruiters")

    def _personio(self, path: str, query: dict[str, list[str]]) -> None:
        # Personio's per-account XML feed, https://ACCOUNT.jobs.personio.de/xml, as BASE/ACCOUNT/xml.
        match = re.fullmatch(r"/personio/([\w-]+)/xml", path)
        file = self.fixture_server.fixtures / "apis" / "personio" / f"{match.group(1)}.xml" if match else None
        if file is None or not file.is_file():
            return self._send(404, b"<h1>Page not found</h1>", "text/html; charset=utf-8")
        return self._send(200, file.read_bytes(), "text/xml; charset=UTF-8")

    def _recruitee(self, path: str, query: dict[str, list[str]]) -> None:
        # https://ACCOUNT.recruitee.com/api/offers/ as BASE/ACCOUNT/api/offers/.
        self._board(path, r"/recruitee/([\w-]+)/api/offers/?", "recruitee")

    def _teamtailor(self, path: str, query: dict[str, list[str]]) -> None:
        # A Teamtailor career site's https://ACCOUNT.teamtailor.com/jobs.rss as BASE/ACCOUNT/jobs.rss.
        match = re.fullmatch(r"/teamtailor/([\w-]+)/jobs\.rss", path)
        folder = self.fixture_server.fixtures / "apis" / "teamtailor"
        file = folder / f"{match.group(1)}.rss" if match else None
        if file is None or not file.is_file():
            return self._send(404, b"<h1>Not found</h1>", "text/html; charset=utf-8")
        return self._send(200, file.read_bytes(), "application/rss+xml; charset=utf-8")

    def _workday(self, path: str, query: dict[str, list[str]]) -> None:
        # A Workday job site's search (POST …/wday/cxs/TENANT/SITE/jobs) and postings (GET
        # …/wday/cxs/TENANT/SITE/job/…), from apis/workday/TENANT/SITE/jobs.json: every posting
        # with its search entry ("posting") and its detail answer ("detail").
        match = re.fullmatch(r"/workday/wday/cxs/([\w-]+)/([\w-]+)(/jobs|/job/.+)", path)
        doc = self._api_file("workday", match.group(1), match.group(2), "jobs.json") if match else None
        if doc is None or match is None:
            return self._json({"errorCode": "HTTP_404", "httpStatus": 404}, 404)
        if match.group(3) == "/jobs":
            if self.command != "POST":
                return self._json({"errorCode": "HTTP_405", "httpStatus": 405}, 405)
            try:
                search = json.loads(self.body or b"")
                limit, offset = int(search["limit"]), int(search.get("offset", 0))
            except (ValueError, KeyError, TypeError):
                return self._json({"errorCode": "HTTP_400", "httpStatus": 400}, 400)
            if not 0 < limit <= 20:  # as Workday answers a limit above 20
                return self._json({"errorCode": "HTTP_400", "httpStatus": 400}, 400)
            words = str(search.get("searchText") or "").lower().split()
            found = [job["posting"] for job in doc["jobs"]
                     if all(w in job["posting"]["title"].lower() for w in words)]
            return self._json({"total": len(found), "jobPostings": found[offset : offset + limit],
                               "facets": [], "userAuthenticated": False})
        detail = next((job["detail"] for job in doc["jobs"]
                       if "/job/" + path.split("/job/", 1)[1] == job["posting"]["externalPath"]), None)
        if detail is None:
            return self._json({"errorCode": "HTTP_404", "httpStatus": 404}, 404)
        return self._json(detail)

    def _wikidata(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/wikidata/sparql":
            sparql = query.get("query", [""])[0]
            sites = self._api_file("wikidata", "sites.json") or {}
            urls = re.findall(r"<([^>]+)>", sparql)
            bindings = []
            for url in urls:
                qid = sites.get(url)
                if qid:
                    bindings.append(
                        {"item": {"type": "uri", "value": f"http://www.wikidata.org/entity/{qid}"}}
                    )
            # SPARQL 1.1 Query Results JSON Format.
            doc = {"head": {"vars": ["item"]}, "results": {"bindings": bindings}}
            return self._send(
                200, json.dumps(doc).encode(), "application/sparql-results+json; charset=utf-8"
            )
        if path == "/wikidata/w/api.php" and query.get("action") == ["wbsearchentities"]:
            return self._json(self._wikidata_search(query))
        if path == "/wikidata/w/api.php" and query.get("action") == ["wbgetentities"]:
            ids = query.get("ids", [""])[0].split("|")
            labels = self._api_file("wikidata", "labels.json") or {}
            entities: dict[str, Any] = {}
            for qid in ids:
                entity = (
                    self._api_file("wikidata", f"{qid}.json")
                    if re.fullmatch(r"Q\d+", qid)
                    else None
                )
                if entity is None and qid in labels:
                    entity = {
                        "type": "item",
                        "id": qid,
                        "labels": {"en": {"language": "en", "value": labels[qid]}},
                    }
                entities[qid] = entity or {"id": qid, "missing": ""}
            return self._json({"entities": entities, "success": 1})
        return self._json({"error": {"code": "badvalue", "info": "Unrecognized request"}}, 400)

    def _wikidata_search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """wbsearchentities over the fixture items: labels and aliases in the language (then
        English) that start with the search, case and accents folded; exact matches first."""
        search = _fold(query.get("search", [""])[0])
        language = query.get("language", ["en"])[0]
        limit = int(query.get("limit", ["7"])[0])
        found = []
        for file in sorted((self.fixture_server.fixtures / "apis" / "wikidata").glob("Q*.json")):
            entity = json.loads(file.read_text(encoding="utf-8"))
            for lang in dict.fromkeys([language, "en"]):
                texts = [("label", (entity.get("labels", {}).get(lang) or {}).get("value"))]
                texts += [("alias", a["value"]) for a in entity.get("aliases", {}).get(lang, [])]
                texts = [t for t in texts if t[1] and search and _fold(t[1]).startswith(search)]
                # Like the real search, an exact label or alias is the match it reports.
                texts.sort(key=lambda t: _fold(t[1]) != search)
                hit = (texts[0][0], texts[0][1], lang) if texts else None
                if hit:
                    exact = _fold(hit[1]) == search
                    found.append((not exact, int(entity["id"][1:]), entity, hit))
                    break
        results = []
        for _, _, entity, (kind, text, lang) in sorted(found, key=lambda f: f[:2])[:limit]:
            qid = entity["id"]
            label = (entity["labels"].get(language) or entity["labels"].get("en") or {}).get("value", "")
            description = (entity.get("descriptions", {}).get(language)
                           or entity.get("descriptions", {}).get("en") or {}).get("value", "")
            result = {
                "id": qid, "title": qid, "pageid": entity.get("pageid", 0), "repository": "wikidata",
                "url": f"//www.wikidata.org/wiki/{qid}",
                "concepturi": f"http://www.wikidata.org/entity/{qid}",
                "display": {"label": {"value": label, "language": language},
                            "description": {"value": description, "language": language}},
                "label": label, "description": description,
                "match": {"type": kind, "language": lang, "text": text},
            }
            if kind == "alias":
                result["aliases"] = [text]
            results.append(result)
        return {"searchinfo": {"search": query.get("search", [""])[0]}, "search": results, "success": 1}

    def _wikipedia(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "/wikipedia/w/api.php" and query.get("action") == ["parse"]:
            # action=parse&prop=wikitext&formatversion=2: the lead section's wikitext.
            title = query.get("page", [""])[0].replace(" ", "_")
            doc = self._api_file("wikipedia", "parse", f"{title}.json") if "/" not in title else None
            if doc is None:
                return self._json({"error": {"code": "missingtitle",
                                             "info": "The page you specified doesn't exist.",
                                             "docref": "See https://en.wikipedia.org/w/api.php for "
                                                       "API usage."}, "servedby": "mw-api-int"})
            return self._json(doc)
        match = re.fullmatch(r"/wikipedia/api/rest_v1/page/summary/(.+)", path)
        doc = self._api_file("wikipedia", f"{match.group(1)}.json") if match else None
        if doc is None:
            return self._send(
                404,
                json.dumps(
                    {
                        "type": "https://mediawiki.org/wiki/HyperSwitch/errors/not_found",
                        "title": "Not found.",
                        "method": "get",
                        "detail": "Page or revision not found.",
                    }
                ).encode(),
                "application/problem+json",
            )
        return self._json(doc)


def _fold(text: str) -> str:
    import unicodedata

    text = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(ch for ch in text if not unicodedata.combining(ch)).split())


def _type_of(file: Path) -> str:
    if file.name == "robots.txt":
        return "text/plain; charset=utf-8"
    suffix = file.suffix.lower()
    return (
        {
            ".html": "text/html; charset=utf-8",
            ".xml": "application/xml; charset=utf-8",
            ".rss": "application/rss+xml; charset=utf-8",
            ".atom": "application/atom+xml; charset=utf-8",
            ".json": "application/json; charset=utf-8",
            ".txt": "text/plain; charset=utf-8",
        }.get(suffix)
        or mimetypes.guess_type(file.name)[0]
        or "application/octet-stream"
    )


PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
) * 20


def _hostile(path: str, port: int) -> Route | None:
    page = "<html><head><title>{t}</title></head><body><h1>{t}</h1></body></html>"
    if path == "/missing":
        return Route(404, "<h1>Not found</h1>")
    if path == "/error":
        return Route(500, "<h1>Internal error</h1>")
    if path == "/overloaded":
        return Route(429, "slow down", headers={"Retry-After": "3600"})
    if path == "/slow":
        return Route(200, page.format(t="Slow"), delay=3.0)
    if path == "/loop-a":
        return Route(302, "", headers={"Location": "/loop-b"})
    if path == "/loop-b":
        return Route(302, "", headers={"Location": "/loop-a"})
    if path == "/away":
        return Route(302, "", headers={"Location": "http://elsewhere.example/about"})
    if path == "/metadata":
        return Route(302, "", headers={"Location": f"http://metadata.broken.test:{port}/latest"})
    if path == "/huge":
        return Route(200, content_type="text/html", stream_bytes=8_000_000)
    if path == "/image":
        return Route(200, PNG, content_type="text/html; charset=utf-8")
    if path == "/latin":
        return Route(
            200,
            page.format(t="Café Zürich — über uns").encode("utf-8"),
            content_type="text/html; charset=iso-8859-1",
        )
    if path == "/legacy":
        return Route(
            200,
            page.format(t="Société Générale").encode("latin-1"),
            content_type="text/html; charset=utf-8",
        )
    return None


def main(argv: list[str] | None = None) -> int:
    """Serve the fixtures from a process of its own (the benchmark keeps client and server apart).

    Prints the port on the first line of stdout, then serves until stdin closes or SIGTERM.
    """
    import argparse

    parser = argparse.ArgumentParser(description="Serve reachout's HTTP fixtures on 127.0.0.1.")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added per response")
    parser.add_argument(
        "--robots",
        action="append",
        default=[],
        metavar="HOST=TEXT",
        help="serve TEXT (\\n for newlines) as HOST's robots.txt",
    )
    args = parser.parse_args(argv)
    server = FixtureServer().start()
    server.latency = args.latency
    for item in args.robots:
        host, _, text = item.partition("=")
        server.route(host, "/robots.txt", body=text.replace("\\n", "\n"), content_type="text/plain")
    return serve_until_stdin_closes(server)


def serve_until_stdin_closes(server: FixtureServer) -> int:
    """Print SERVER's port on stdout's first line, serve until stdin closes (or Ctrl-C), stop it."""
    import sys

    print(server.port, flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
