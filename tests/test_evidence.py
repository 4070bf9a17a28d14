"""Public evidence of a domain's address format (issue 20): every source against its recorded answer
shapes and hostile ones, the rate-limit and budget paths, a failing source, the filters, the cap, the
store, and the CLI end to end against the local fixture server."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import json
import os
import stat
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings

from reachout.cli import cli
from reachout.decode import decode_json
from reachout.errors import BadAnswer
from reachout.evidence import europepmc, github, keyserver, mailarchive
from reachout.evidence.gather import find_evidence
from reachout.evidence.hits import Hit
from reachout.evidence.pairs import EvidencePair, cap, is_personal_name, load_rules, to_pairs

try:
    from servers.evidence import EvidenceWorld, Person
    from shapes import answers
except ImportError:  # pragma: no cover - run from the repository root
    from tests.servers.evidence import EvidenceWorld, Person
    from tests.shapes import answers

RECORDED = Path(__file__).parent / "fixtures" / "apis" / "evidence"
PEOPLE = [
    Person("Jane Doe", "jane.doe@acme.test", "github", "2026-09-01"),
    Person("Bob Li", "bob.li@acme.test", "github", "2025-01-01"),
    Person("Carla Gómez", "carla.gomez@acme.test", "mailarchive", "2026-02-01"),
    Person("Dan Brown", "dan.brown@acme.test", "keyserver", "2019-02-01"),
    Person("Eve Stone", "eve.stone@acme.test", "europepmc", "2024-02-01"),
    Person("Fay Wong", "fay.wong@acme.test", "site", "2026-02-01"),
]


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    github.forget_rate_limits()
    yield
    github.forget_rate_limits()


@pytest.fixture
def world(site):
    """acme.test's people served by every source on loopback (its site through --resolve)."""
    evidence_world = EvidenceWorld()
    evidence_world.add("acme.test", PEOPLE, org="acme")
    evidence_world.install(site)
    return evidence_world


def origin(site) -> str:
    return f"http://acme.test:{site.port}/"


def options(site) -> list[str]:
    return ["--allow-private", "--resolve", f"acme.test:{site.port}:127.0.0.1"]


def gather(site, **kwargs):
    from reachout.evidence.gather import evidence_settings

    settings_ = evidence_settings(resolve=[f"acme.test:{site.port}:127.0.0.1"], allow_private=True)
    return find_evidence(origin(site), **settings_, **kwargs)


# --- each source against its recorded shape -------------------------------------------------------
def test_github_commits_in_their_recorded_shape():
    commits = decode_json((RECORDED / "github_commits.json").read_bytes(), github.COMMITS,
                          source="GitHub commits")
    authors = [(c["commit"]["author"]["name"], c["commit"]["author"]["email"]) for c in commits
               if "author" in c["commit"]]
    assert authors[0] == ("Monalisa Octocat", "monalisa.octocat@acme.com")
    assert len(authors) == len(commits) - 1  # one commit's git author is null (nullable-git-user)
    repos = decode_json((RECORDED / "github_repos.json").read_bytes(), github.REPOS,
                        source="GitHub repositories")
    assert [(r["full_name"], r["fork"], r["archived"]) for r in repos] == [
        ("acme/platform", False, False), ("acme/old-fork", True, True)]


def test_commit_authors_become_one_pair_per_person_without_bots_or_handles():
    notes: list[str] = []
    hits = github.parse_commits((RECORDED / "github_commits.json").read_bytes(), "acme/platform",
                                notes)
    assert notes == []  # a null commit.author (nullable-git-user) is skipped, not "left out"
    pairs, dropped = to_pairs(hits, "acme.com", load_rules())
    assert [(p.name, p.address, p.date) for p in pairs] == [
        ("Monalisa Octocat", "monalisa.octocat@acme.com", "2026-11-14"),  # her newest of two
        ("Tomás Ruiz", "tomas.ruiz@eu.acme.com", "2025-06-30"),  # a subdomain: kept
    ]
    assert dropped == {"not an address": 1, "a handle, not a name": 1}


def test_public_inbox_atom_in_its_recorded_shape():
    hits = mailarchive.parse_atom((RECORDED / "publicinbox_search.atom").read_bytes(), "u")
    assert [(h.name, h.address, h.date) for h in hits] == [
        ("Ana Lima", "ana.lima@acme.com", "2026-11-30"),
        ("Ana Lima", "ana.lima@acme.com", "2026-11-29"),
        ("Acme CI", "ci-bot@acme.com", "2026-11-30"),
        ("Raj Patel", "raj.patel@acme.com", "2024-02-12"),
    ]  # mbauer@: a From without a display name, whose <name> public-inbox fills with the local part
    assert hits[0].url == "https://lore.kernel.org/all/20261130182205.1234-1-ana.lima@acme.com/"
    pairs, dropped = to_pairs(hits, "acme.com", load_rules())
    assert sorted(p.address for p in pairs) == ["ana.lima@acme.com", "raj.patel@acme.com"]
    assert dropped == {"role or automation": 1}


@pytest.mark.parametrize(("name", "kept"), [
    ("Oona Quarle, Raj Patel", "Oona Quarle"),  # a From of two senders: the first one's address
    ("Oona Quarle, Raj Patel, Ana Lima", "Oona Quarle"),
    ("Quarle, Oona", "Quarle, Oona"),  # one name, sorted
    ("Oona Quarle, PhD", "Oona Quarle, PhD"),  # one name and a degree: the name reader's
])
def test_public_inbox_names_of_several_senders_keep_the_first(name, kept):
    body = (f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><author><name>{name}</name>'
            "<email>oona.quarle@acme.com</email></author><updated>2026-11-30T18:22:05Z</updated></entry></feed>")
    assert [h.name for h in mailarchive.parse_atom(body, "u")] == [kept]


def test_hkp_machine_readable_index_in_its_recorded_shape():
    hits = keyserver.parse_index((RECORDED / "hkp_index.txt").read_text(), "u")
    assert [(h.name, h.address, h.date) for h in hits] == [
        ("Wei Zhang", "wei.zhang@acme.com", "2019-01-01"),
        ("Wei Zhang (work laptop)", "wzhang@personal.example", "2019-01-01"),
        ("Olga Petrova", "olga.petrova@acme.com", "2023-01-01"),
    ]  # the revoked key's user ID is not used
    pairs, _ = to_pairs(hits, "acme.com", load_rules())
    assert sorted(p.address for p in pairs) == ["olga.petrova@acme.com", "wei.zhang@acme.com"]


def test_hkp_index_as_hockeypuck_writes_it():
    """keyserver.ubuntu.com (Hockeypuck) leaves the user ID unescaped but for its colons (%3a); a
    user ID whose time is 0 or Go's zero time (negative) is dated by its key."""
    hits = keyserver.parse_index((RECORDED / "hkp_index_hockeypuck.txt").read_text(), "u")
    assert [(h.name, h.address, h.date) for h in hits] == [
        ("Lena Fischer", "lena.fischer@acme.com", "2021-01-01"),
        ("Lena Fischer (Acme: release signing)", "lena.fischer@acme.com", "2021-01-01"),
        ("Tomás Ruiz", "truiz@acme.com", "2024-01-01"),
    ]  # the revoked user ID and the revoked key's are not used


def test_europepmc_affiliations_in_their_recorded_shape():
    doc = decode_json((RECORDED / "europepmc_search.json").read_bytes(), europepmc.SEARCH,
                      source="Europe PMC")
    hits = europepmc.hits_of(doc, "acme.com")
    assert [(h.name, h.address, h.date, h.url) for h in hits] == [
        ("Kenji Nakamura", "kenji.nakamura@acme.com", "2026-01-08",
         "https://europepmc.org/article/MED/40056467"),
        # the documentation gives no author schema: an author's single `affiliation` string, and a
        # one-item list of plain strings given as the item itself, are read too
        ("Layla Haddad", "lhaddad@acme.com", "2019-06-20",
         "https://europepmc.org/article/MED/31234567"),
        ("Ole Brandt", "obrandt@acme.com", "2019-06-20",
         "https://europepmc.org/article/MED/31234567")]


def _p2037(value, rank="normal", snaktype="value"):
    """One Wikibase JSON statement of "GitHub username" (www.wikidata.org/wiki/Help:Wikidata_datamodel)."""
    snak = {"snaktype": snaktype, "property": "P2037", "datatype": "external-id"}
    if snaktype == "value":
        snak["datavalue"] = {"value": value, "type": "string"}
    return {"mainsnak": snak, "type": "statement", "id": f"Q1${value}", "rank": rank}


@pytest.mark.parametrize("claims, expected", [
    ([_p2037("acme-old", "deprecated"), _p2037("acme")], "acme"),  # an account no longer used
    ([_p2037("acme-labs"), _p2037("acme", "preferred")], "acme"),  # best rank first
    ([_p2037(None, snaktype="somevalue"), _p2037("acme")], "acme"),  # "unknown value"
    ([_p2037("acme-old", "deprecated")], None),
    ([], None),
])
def test_wikidata_github_username_of_best_rank(claims, expected):
    body = json.dumps({"entities": {"Q1": {"type": "item", "id": "Q1", "claims": {"P2037": claims}}},
                       "success": 1})
    notes: list[str] = []
    assert github.parse_github_username(body, "Q1", notes) == expected
    assert notes == []


def test_wikidata_error_answer_is_named():
    body = json.dumps({"error": {"code": "no-such-entity",
                                 "info": 'Could not find an entity with the ID "Q1".'},
                       "servedby": "mw-api-ext.eqiad.main"})
    with pytest.raises(BadAnswer, match=r"answered an error: Could not find an entity"):
        github.parse_github_username(body, "Q1", [])


def _hostile_test(shape, read):
    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(answers(shape))
    def run(body):
        with contextlib.suppress(BadAnswer):
            read(decode_json(body, shape, source="test"))

    run()


def test_hostile_github_answers():
    _hostile_test(github.REPOS, lambda repos: [r["full_name"] for r in repos])
    _hostile_test(github.COMMITS, lambda commits: [c["commit"].get("author", {}).get("email")
                                                   for c in commits])


def test_hostile_wikidata_and_europepmc_answers():
    _hostile_test(europepmc.SEARCH, lambda doc: europepmc.hits_of(doc, "acme.com"))


@settings(max_examples=80, deadline=None)
@given(answers(github.COMMITS))
def test_hostile_text_never_breaks_the_atom_and_hkp_readers(body):
    for read in (lambda: mailarchive.parse_atom(body, "u"), lambda: keyserver.parse_index(body, "u")):
        with contextlib.suppress(BadAnswer):
            read()


# --- from hits to evidence --------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["jdoe", "john_doe", "JohnDoe42", "dependabot[bot]", "", "j@d"])
def test_handles_are_not_names(name):
    assert not is_personal_name(name, "jdoe")


@pytest.mark.parametrize("name", ["Jane Doe", "jane doe", "María José García-López", "山田太郎",
                                  "J. R. Smith", "Anne-Marie O'Neil", "अमृत त्रिवेदी", "สมชาย ใจดี",
                                  "நாராயணன் சுப்ரமணியம்", "Nguyễn Văn An", "محمد رضا‌زاده"])
def test_names_are_names(name):
    assert is_personal_name(name)
    assert is_personal_name(unicodedata.normalize("NFD", name))  # as git on macOS may record it


def test_a_decomposed_name_is_the_same_person_and_shown_composed():
    hits = [Hit(unicodedata.normalize("NFD", "José García"), "jose.garcia@acme.com", "github", "u",
                "2026-01-01"),
            Hit("José García", "jgarcia@acme.com", "site", "u", "2025-01-01")]
    pairs, _ = to_pairs(hits, "acme.com", load_rules())
    assert [(p.name, p.address) for p in pairs] == [("José García", "jose.garcia@acme.com")]


@pytest.mark.parametrize(("name", "address"), [
    ("John Doe", "johndoe@acme.com"), ("Ann Lee", "annlee@acme.com"), ("J Doe", "jdoe@acme.com")])
def test_a_name_its_address_spells_without_separators_is_kept(name, address):
    # "John Doe <johndoe@…>" is the evidence of {first}{last}, not a handle: dropping it would hide
    # the format from the learner whenever a domain uses it.
    assert is_personal_name(name, address.split("@")[0])
    pairs, dropped = to_pairs([Hit(name, address, "github", "u", "2026-01-01")], "acme.com",
                              load_rules())
    assert [p.address for p in pairs] == [address] and not dropped


def test_roles_bots_webmail_and_other_companies_are_dropped():
    hits = [Hit("Jane Doe", "jane.doe@acme.com", "github", "u", "2026-01-01"),
            Hit("Press Office", "press@acme.com", "site", "u", None),
            Hit("Build Server", "jenkins@acme.com", "github", "u", None),
            Hit("Jane Doe", "jane@gmail.com", "mailarchive", "u", None),
            Hit("Bob Roe", "bob.roe@other.example", "europepmc", "u", None),
            Hit("Ann Lee", "ann.lee@acme.co.uk", "github", "u", None)]
    pairs, dropped = to_pairs(hits, "acme.com", load_rules())
    assert [p.address for p in pairs] == ["jane.doe@acme.com"]
    assert dropped == {"role or automation": 2, "not at the domain": 3}


@pytest.mark.parametrize(("name", "address"), [
    ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com"),
    ("Octo Cat", "12345+octocat@users.noreply.github.com"),
    ("Octo Cat", "octocat@users.noreply.github.com"),
    ("GitHub", "noreply@github.com"),
    ("GitHub Actions", "actions@github.com"),
    ("Jenkins CI", "jane.doe@github.com"),
    ("Super User", "root@github.com"),
    ("Mona", "mona@github.com"),
    ("mona.lisa", "mona.lisa@github.com"),
])
def test_bots_no_reply_roles_and_handles_are_dropped_even_at_their_own_domain(name, address):
    # Asked about github.com itself, its no-reply host is a subdomain: still nobody's mailbox.
    pairs, dropped = to_pairs([Hit(name, address, "github", "u", "2026-01-01")], "github.com",
                              load_rules())
    assert not pairs and dropped


@pytest.mark.parametrize(("name", "address"), [
    ("Carl Dupont", "cd@acme.com"), ("Quinn Adams", "qa@acme.com")])
def test_initials_that_spell_a_bot_word_are_a_person(name, address):
    pairs, _ = to_pairs([Hit(name, address, "github", "u", "2026-01-01")], "acme.com", load_rules())
    assert [p.address for p in pairs] == [address]
    pairs, dropped = to_pairs([Hit("Acme Pipeline", "ci@acme.com", "github", "u", None)], "acme.com",
                              load_rules())
    assert not pairs and dropped == {"role or automation": 1}  # not the name's initials: a machine


@pytest.mark.parametrize("name", ["Jane Jenkins", "Norman Mailer", "Bob Builder", "Ana Auto"])
def test_a_surname_that_is_also_a_bot_word_is_a_person(name):
    address = name.lower().replace(" ", ".") + "@acme.com"
    pairs, _ = to_pairs([Hit(name, address, "github", "u", "2026-01-01")], "acme.com", load_rules())
    assert [p.name for p in pairs] == [name]


def test_subdomains_parents_and_sister_domains_are_kept_as_the_learner_relates_them():
    hits = [Hit("Ann Lee", "ann.lee@research.acme.com", "europepmc", "u", "2026-01-01"),
            Hit("Bo Kim", "bo.kim@acme.com", "github", "u", "2026-01-01"),
            Hit("Cy Ng", "cy.ng@uk.acme.com", "github", "u", "2026-01-01"),
            Hit("Di Ro", "di.ro@acme.co.uk", "github", "u", "2026-01-01")]
    pairs, dropped = to_pairs(hits, "eu.acme.com", load_rules())
    assert sorted(p.address for p in pairs) == [
        "ann.lee@research.acme.com", "bo.kim@acme.com", "cy.ng@uk.acme.com"]
    assert dropped == {"not at the domain": 1}  # acme.co.uk: another registrable domain


def test_older_and_alias_prone_evidence_weighs_less_than_a_staff_page():
    rules = load_rules()
    now = datetime(2026, 12, 1, tzinfo=UTC)
    hits = [Hit("Ann Lee", "ann.lee@acme.com", "site", "u", "2026-11-01"),
            Hit("Bo Kim", "bo.kim@acme.com", "github", "u", "2026-11-01"),
            Hit("Cy Ng", "cy.ng@acme.com", "github", "u", "2016-11-01")]
    weights = {p.address: p.weight for p in to_pairs(hits, "acme.com", rules, today=now)[0]}
    assert weights["ann.lee@acme.com"] > weights["bo.kim@acme.com"] > weights["cy.ng@acme.com"]
    assert max(weights.values()) < 1  # a user's --known address always counts more


def test_many_commits_by_one_person_are_one_pair_and_the_cap_keeps_the_newest_of_each_source():
    rules = load_rules()
    hits = [Hit(f"Person Number{chr(97 + i % 26)}{chr(97 + i // 26 % 26)}",
                f"p{i}@acme.com", "github", "u", f"2026-01-{1 + i % 28:02d}")
            for i in range(5000) for _ in range(2)]
    hits.append(Hit("Site Person", "site.person@acme.com", "site", "u", "2020-01-01"))
    pairs, _ = to_pairs(hits, "acme.com", rules)
    seen = cap(pairs, rules.cap, rules)
    assert len(pairs) == 26 * 26 + 1  # one per name, however many commits and addresses
    assert len(seen) == rules.cap
    assert seen[0].source == "site"  # the trusted source first, then turns
    assert seen[1].date == max(p.date or "" for p in pairs if p.source == "github")


# --- gathering end to end (library) ------------------------------------------------------------------
def test_every_source_gives_its_people_and_they_agree_on_the_format(world, site):
    found = gather(site, save=False)
    by_source = {s.source: s for s in found.sources}
    assert {k: v.people for k, v in by_source.items()} == {
        "site": 1, "github": 2, "mailarchive": 1, "keyserver": 1, "europepmc": 1}
    assert all(s.format == "{first}.{last}" for s in found.sources)
    assert found.learned is not None and found.learned.formats[0].pattern == "{first}.{last}"
    assert found.requests <= 15
    assert found.summary() == "6 public addresses: github 2, europepmc 1, keyserver 1, mailarchive 1, site 1"
    press = next(p for p in found.pairs if p.source == "site")
    assert (press.name, press.url) == ("Fay Wong", f"http://acme.test:{site.port}/press")


def _in_an_hour() -> datetime:
    """When a spent limit resets: always in the future (a fixed time of day was a time bomb)."""
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(hours=1)


def test_github_rate_limit_spent_is_a_note_and_the_others_go_on(world, site):
    world.github_limit = 1  # the org's repositories answer, the first commits page is refused
    reset = _in_an_hour()
    world.github_reset = int(reset.timestamp())
    found = gather(site, save=False)
    report = next(s for s in found.sources if s.source == "github")
    assert any(f"GitHub's hourly request limit is spent until {reset:%H:%M} UTC" in n
               for n in report.notes)
    assert report.people == 0
    assert {p.source for p in found.pairs} == {"site", "mailarchive", "keyserver", "europepmc"}
    calls = world.github_calls
    gather(site, save=False, refresh=True)  # the same process does not ask GitHub again
    assert world.github_calls == calls


def test_github_is_asked_one_request_at_a_time_and_stops_at_the_last_allowed(world, site):
    world.github_limit = 2  # the repositories, then one commits page: its answer says 0 are left
    reset = _in_an_hour()
    world.github_reset = int(reset.timestamp())
    found = gather(site, save=False, sources=["github"])
    report = found.sources[0]
    assert world.github_calls == 2  # nothing sent past the limit (at once, two more were refused)
    assert [p.name for p in found.pairs] == ["Jane Doe"]  # the page read before the limit is kept
    assert any(f"spent until {reset:%H:%M} UTC" in n for n in report.notes)
    assert not any("HTTP 403" in n for n in report.notes)
    github_requests = [r for r in site.log if r.path.startswith("/github/")]
    assert all(a.finished <= b.started for a, b in itertools.pairwise(github_requests))


@pytest.mark.parametrize("retry_after", ["120", None])
def test_github_secondary_rate_limit_stops_github_and_the_others_go_on(world, site, retry_after):
    """A 403 "exceeded a secondary rate limit" (x-ratelimit-remaining not 0): GitHub is not asked
    again for retry-after seconds, or a minute without it; not a plain HTTP 403 note per page."""
    world.github_secondary_after = 1  # the repositories answer, the first commits page is refused
    world.github_retry_after = retry_after
    found = gather(site, save=False)
    report = next(s for s in found.sources if s.source == "github")
    assert world.github_calls == 2  # the second repository's commits were not asked for
    assert [n for n in report.notes if "secondary rate limit" in n] and not [
        n for n in report.notes if "HTTP 403" in n]
    assert {p.source for p in found.pairs} == {"site", "mailarchive", "keyserver", "europepmc"}
    gather(site, save=False, refresh=True)  # still within the pause: GitHub is not asked
    assert world.github_calls == 2


def test_a_github_username_that_is_a_users_account_is_read_through_users(site):
    """Wikidata's P2037 is a GitHub *username*: /orgs/NAME/repos is 404 for a user's account,
    /users/NAME/repos lists its repositories."""
    user_world = EvidenceWorld()
    user_world.add("acme.test", PEOPLE, org="acme").github_user = True
    user_world.install(site)
    found = gather(site, save=False, sources=["github"])
    assert found.sources[0].people == 2 and found.sources[0].notes == []
    asked = [r.path.split("?")[0] for r in site.log if "/repos?" in r.path]
    assert asked == ["/github/orgs/acme/repos", "/github/users/acme/repos"]


def test_an_empty_repository_is_no_note(world, site):
    world.empty_repos = {"docs"}  # GitHub answers its commits with 409 "Git Repository is empty."
    found = gather(site, save=False, sources=["github"])
    assert found.sources[0].notes == []
    assert found.sources[0].people == 1


def test_a_source_that_fails_is_a_note_never_a_failed_run(world, site):
    site.route("127.0.0.1", "/mailarchive/", status=500, body="oops")
    site.route("127.0.0.1", "/europepmc/search", body='{"resultList": {"result": [[[[',
               content_type="application/json")
    found = gather(site, save=False)
    notes = {s.source: s.notes for s in found.sources}
    assert any("HTTP 500" in n for n in notes["mailarchive"])
    assert any("not valid JSON" in n for n in notes["europepmc"])
    assert {p.source for p in found.pairs} == {"site", "github", "keyserver"}


def test_the_request_budget_stops_a_source(world, site, tmp_path):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    text = (Path(__file__).parents[1] / "patterns" / "evidence.toml").read_text()
    (patterns / "evidence.toml").write_text(text.replace("github = 6", "github = 3"))
    found = gather(site, save=False, patterns=str(patterns))
    report = next(s for s in found.sources if s.source == "github")
    assert report.requests == 3  # Wikidata twice, the repositories; no commits
    assert report.people == 0


def test_the_budget_holds_when_every_page_fails_and_would_be_retried(world, site, monkeypatch):
    import reachout.http

    monkeypatch.setattr(reachout.http.Fetcher, "_backoff", lambda self, attempt: 0.0)

    def failing(handler, host, path, query):  # the company's pages and every API: "try again"
        if path == "/robots.txt":
            return False
        handler._send(503, b"busy", "text/plain", {})
        return True

    site.hooks.insert(0, failing)
    rules = load_rules()
    found = gather(site, save=False)
    for report in found.sources:
        assert report.requests <= rules.budget[report.source], report.to_dict()
        assert report.notes  # a note each, never a failed run
    assert not found.pairs


def test_private_addresses_are_refused_without_allow_private(world, site):
    from reachout.evidence.gather import evidence_settings

    world.add("acme.com", PEOPLE, org="acme")
    before = len(site.log)
    found = find_evidence(f"http://acme.com:{site.port}/", save=False, **evidence_settings(
        resolve=[f"acme.com:{site.port}:127.0.0.1"]))  # the sources' URLs are on 127.0.0.1 too
    assert len(site.log) == before  # not one request reached a loopback address
    assert found.people == 0
    asked = [s for s in found.sources if not s.skipped]
    assert asked and all(s.notes for s in asked)  # each says why, none fails the run
    assert all("loopback address (pass --allow-private" in " ".join(s.notes) for s in asked)
    result = run("evidence", f"http://acme.com:{site.port}/", "--resolve",
                 f"acme.com:{site.port}:127.0.0.1")
    assert result.exit_code == 0 and len(site.log) == before


def test_sources_turned_off_are_not_asked(world, site):
    from reachout.evidence.gather import evidence_settings

    settings_ = evidence_settings(resolve=[f"acme.test:{site.port}:127.0.0.1"], allow_private=True,
                                  source_urls=["github=off", "site=off"])
    found = find_evidence(origin(site), save=False, **settings_)
    assert {s.source: s.skipped for s in found.sources}["github"] == "turned off"
    assert not [r for r in site.log if r.path.startswith("/github") or r.host == "acme.test"]


# --- the store ---------------------------------------------------------------------------------------
def test_evidence_is_saved_for_its_owner_only_and_reused_until_it_expires(world, site, reachout_home):
    gather(site)
    path = reachout_home / "evidence" / "acme.test.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    count = len(site.log)
    again = gather(site)
    assert again.from_store and len(site.log) == count  # warm: not one request
    data = json.loads(path.read_text())
    data["expires_at"] = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    path.write_text(json.dumps(data))
    fresh = gather(site)
    assert not fresh.from_store and fresh.requests > 0  # expired: gathered again (the HTTP cache
    assert fresh.network_requests == 0                  # still holds the answers of today)
    assert gather(site, refresh=True).network_requests > 0  # --refresh asks the sources again


def test_expired_evidence_of_any_domain_is_deleted_not_only_the_one_looked_up(world, site,
                                                                               reachout_home):
    gather(site)
    folder = reachout_home / "evidence"
    stale = folder / "old-target.test.json"
    stale.write_text((folder / "acme.test.json").read_text())
    month_ago = (datetime.now(UTC) - timedelta(days=31)).timestamp()
    os.utime(stale, (month_ago, month_ago))
    result = run("guess", "Zoe Park", "acme.test", "--allow-private", "--no-roles")
    assert result.exit_code == 0 and "Learned from" in result.stdout  # acme.test's is fresh: used
    assert sorted(p.name for p in folder.iterdir()) == ["acme.test.json"]  # the stale one is gone


def test_a_saved_file_edited_by_hand_is_gathered_again_not_a_crash(world, site, reachout_home):
    from reachout.evidence import store

    store.save({"expires_at": "2099-01-01T00:00:00Z", "people": "many", "pairs": [{"name": 1}]},
               "acme.test")
    found = gather(site)
    assert not found.from_store and found.people == 6
    assert gather(site).from_store  # and saved whole again


# --- the CLI end to end -------------------------------------------------------------------------------
def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_cli_evidence_table_and_addresses(world, site):
    result = run("evidence", origin(site), "--addresses", *options(site))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("acme.test: 6 people found (gathered ")
    assert lines[1].split() == ["source", "people", "format", "share", "note"]
    assert lines[2].split()[:3] == ["site", "1", "{first}.{last}"]
    assert any(line.startswith("Learned from 6 people: {first}.{last}") for line in lines)
    assert any("jane.doe@acme.test" in line and "github" in line and "2026-09-01" in line
               for line in lines)


def test_cli_evidence_says_whether_it_was_kept(world, site, reachout_home):
    result = run("evidence", origin(site), "--no-save", *options(site))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith(", not saved)")
    assert not (reachout_home / "evidence").exists()
    result = run("evidence", origin(site), *options(site))
    assert ", kept until " in result.stdout.splitlines()[0]
    again = json.loads(run("evidence", origin(site), "--json", *options(site)).stdout)
    assert again["from_store"] and again["saved"]


def test_cli_evidence_json_and_csv(world, site):
    result = run("evidence", origin(site), "--format", "json", *options(site))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["domain"] == "acme.test" and data["people"] == 6
    assert {p["source"] for p in data["pairs"]} == {"site", "github", "mailarchive", "keyserver",
                                                    "europepmc"}
    result = run("evidence", origin(site), "--format", "csv", "--addresses", *options(site))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "company,domain,name,address,source,date,weight,url,error"
    assert len(result.stdout.splitlines()) == 7


def test_cli_evidence_of_several_domains_reports_progress_and_keeps_going(world, site):
    result = run("evidence", origin(site), "not a domain!!", "--no-lookup", *options(site))
    assert result.exit_code == 1
    assert "[1/2]" in result.stderr and "[2/2]" in result.stderr
    assert "acme.test: 6 people found" in result.stdout
    csv_run = run("evidence", origin(site), "=1+2", "--no-lookup", "--addresses", "--format", "csv",
                  *options(site))
    assert csv_run.exit_code == 1
    rows = list(csv.DictReader(io.StringIO(csv_run.stdout)))
    assert len(rows) == 7 and rows[-1]["company"] == "'=1+2"  # kept, and no formula in a sheet
    assert "is a company name, not a domain" in rows[-1]["error"]
    assert not any(r["error"] for r in rows[:-1])
    json_run = run("evidence", origin(site), "=1+2", "--no-lookup", "--format", "json", *options(site))
    assert json_run.exit_code == 1
    assert [bool(r.get("error")) for r in json.loads(json_run.stdout)] == [False, True]


def test_the_naming_custom_and_its_share_are_in_the_json_and_the_table(site):
    spanish = EvidenceWorld()
    spanish.add("acme.test", [Person(name, f"{first}.{last}@acme.test", "github", "2026-09-01")
                              for name, first, last in [
                                  ("María García López", "maria", "garcia"),
                                  ("José Pérez Ruiz", "jose", "perez"),
                                  ("Ana Torres Gil", "ana", "torres"),
                                  ("Luis Romero Díaz", "luis", "romero")]], org="acme")
    spanish.install(site)
    data = json.loads(run("evidence", origin(site), "--format", "json", *options(site)).stdout)
    assert data["custom"] == "surnames: first of two"
    assert data["custom_shares"] == [{"dimension": "surnames", "option": "first of two", "share": 1.0}]
    table = run("evidence", origin(site), *options(site)).stdout
    assert "; names: surnames: first of two 100%" in table


def test_guess_learns_from_saved_evidence_and_says_so(world, site):
    result = run("guess", "Zoe Park", "acme.test", "--allow-private", "--no-roles")
    assert result.exit_code == 0 and "Learned from" not in result.stdout  # nothing saved yet
    result = run("guess", "Zoe Park", origin(site), "--find-evidence", *options(site), "--no-roles")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Learned from 6 public addresses (github 2, europepmc 1, keyserver 1, "
                               "mailarchive 1, site 1): {first}.{last}")
    assert lines[4].startswith("zoe.park@acme.test")
    count = len(site.log)
    result = run("guess", "Zoe Park", "acme.test", "--allow-private", "--known",
                 "Al Ro <aro@acme.test>", "--no-roles")  # saved evidence, no request
    assert result.exit_code == 0, result.output
    assert len(site.log) == count
    assert "; and 1 you gave)" in result.stdout.splitlines()[1]
    result = run("guess", "Zoe Park", "acme.test", "--allow-private", "--no-evidence")
    assert "Learned from" not in result.stdout


def test_a_persons_own_public_address_says_where_it_was_found_and_theirs_given_wins(world, site):
    gather(site)

    def top(*known: str) -> dict:
        args = ["guess", "Jane Doe", "acme.test", "--allow-private", "--no-roles", "--format", "json"]
        result = run(*args, *[a for k in known for a in ("--known", k)])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)["candidates"][0]

    found = top()
    assert found["address"] == "jane.doe@acme.test"
    assert found["reasons"] == ["their public address (github, saved evidence)"]  # not "given"
    given = top("Jane Doe <jdoe@acme.test>")  # the user's word beats a commit's
    assert (given["address"], given["reasons"]) == ("jdoe@acme.test", ["given as a known address"])


def test_cache_clear_removes_saved_evidence(world, site, reachout_home):
    gather(site)
    result = run("cache", "clear")
    assert result.exit_code == 0
    assert "saved evidence of 1 domain(s)" in result.stdout
    assert not list((reachout_home / "evidence").glob("*.json"))
    assert run("cache", "clear").stdout.strip() == "Nothing to remove."
    assert os.environ["REACHOUT_HOME"] == str(reachout_home)


def test_evidence_pair_round_trips():
    pair = EvidencePair("Ann Lee", "ann.lee@acme.com", "site", "u", "2026-01-01", 0.9, ["github"])
    assert EvidencePair.from_dict(pair.to_dict()) == pair


def test_github_falls_back_to_the_organisation_named_like_the_domain(site):
    plain = EvidenceWorld()
    plain.add("acme.test", [Person("Jane Doe", "jane.doe@acme.test", "github", "2026-09-01")],
              org="acme")
    plain.install(site)
    from reachout.evidence.gather import evidence_settings

    found = find_evidence(origin(site), save=False, sources=["github"], **evidence_settings(
        resolve=[f"acme.test:{site.port}:127.0.0.1"], allow_private=True,
        source_urls=["wikidata=off"]))  # no Wikidata and no site: no organisation named
    report = found.sources[0]
    assert report.people == 1
    assert any("named like the domain (acme)" in note for note in report.notes)


def test_github_token_is_sent_when_set_and_never_needed(world, site, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_test")
    assert github._headers()["Authorization"] == "Bearer ghp_test"
    monkeypatch.delenv("GITHUB_TOKEN")
    assert "Authorization" not in github._headers()


def test_github_token_reaches_github_only_and_is_never_printed_or_saved(world, site, reachout_home,
                                                                        monkeypatch):
    secret = "ghp_review20SecretTokenValue"
    monkeypatch.setenv("GITHUB_TOKEN", secret)
    seen: list[tuple[str, str]] = []

    def listen(handler, host, path, query):
        seen.append((path.strip("/").split("/", 1)[0], handler.headers.get("Authorization", "")))
        return False  # only listens: the world answers

    site.hooks.insert(0, listen)
    result = run("evidence", origin(site), "--addresses", "--format", "json", *options(site))
    assert result.exit_code == 0, result.output
    assert {auth for first, auth in seen if first == "github"} == {f"Bearer {secret}"}
    assert not {auth for first, auth in seen if first != "github"} - {""}  # no other host gets it
    assert secret not in result.stdout + result.stderr
    files = [p for p in reachout_home.rglob("*") if p.is_file()]
    assert any(p.name.startswith("http-cache") for p in files)  # the answers were cached…
    assert not [p for p in files if secret.encode() in p.read_bytes()]  # …without the token


@pytest.mark.parametrize("source", ["keyserver", "mailarchive"])
def test_a_search_that_finds_nothing_is_no_note(site, source):
    """HKP's and public-inbox's "nothing found" are both HTTP 404 (Hockeypuck's "Not Found", public-
    inbox's HTML "[No results found]" page, even for x=A): no note, no failure."""
    empty = EvidenceWorld()
    empty.add("acme.test", [], org=None)
    empty.install(site)
    found = gather(site, save=False, sources=[source])
    assert found.sources[0].notes == [] and found.sources[0].people == 0
    assert found.sources[0].status == "ok"


def test_batch_gathers_once_per_domain_and_guesses_with_it(site, batch_ns, tmp_path):
    batch_world = EvidenceWorld()
    batch_world.add("acme.example", [
        Person("Jane Doe", "jdoe@acme.example", "github", "2026-09-01"),
        Person("Bob Li", "bli@acme.example", "github", "2026-08-01"),
        Person("Carla Gómez", "cgomez@acme.example", "mailarchive", "2026-02-01"),
        Person("Eve Stone", "estone@acme.example", "europepmc", "2025-02-01"),
    ], org="acme")
    batch_world.install(site)
    source = tmp_path / "in.csv"
    source.write_text("company,domain,name\nAcme,acme.example,Zoe Park\nAcme,acme.example,Al Ro\n")
    out = tmp_path / "out.jsonl"
    result = run("batch", str(source), "--out", str(out), "--evidence", "--no-lookup",
                 "--nameserver", batch_ns, "--allow-private", "--source-url", "site=off", "--quiet")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["candidates"][0]["address"] for r in rows] == ["zpark@acme.example", "aro@acme.example"]
    assert len([r for r in site.log if r.path.startswith("/github/orgs/")]) == 1


# Each public source on a host of its own, as in the world (api.github.com, lore.kernel.org…).
SOURCE_HOSTS = {"github": "github.test", "mailarchive": "archive.test", "keyserver": "keys.test",
                "europepmc": "pmc.test", "wikidata": "wikidata.test"}


def test_batch_evidence_keeps_each_hosts_limit_across_the_domains_it_gathers_at_once(
        site, batch_ns, tmp_path):
    domains = ["acme.example", "globex.example", "initech.example", "greylist.example"]
    many = EvidenceWorld()
    for index, domain in enumerate(domains):
        people = [Person(f"{first} Doe", f"{first.lower()}.doe@{domain}", source, "2026-09-01")
                  for first, source in zip(("Jane", "Bob", "Carla", "Eve"),
                                           ("github", "mailarchive", "keyserver", "europepmc"),
                                           strict=True)]
        many.add(domain, people, org=f"org{index}")
    many.install(site)
    site.latency = 0.1  # every answer takes a while: gatherers of several domains overlap
    argv = ["batch", "--evidence", "--no-lookup", "--nameserver", batch_ns, "--allow-private",
            "--source-url", "site=off", "--quiet"]
    for source, host in SOURCE_HOSTS.items():
        argv += ["--source-url", f"{source}={site.url(host, '/' + source)}",
                 "--resolve", f"{host}:{site.port}:127.0.0.1"]
    source = tmp_path / "in.csv"
    source.write_text("company,domain,name\n" + "".join(f"Co,{d},Zoe Park\n" for d in domains))
    out = tmp_path / "out.jsonl"
    result = run(*argv[:1], str(source), "--out", str(out), *argv[1:])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    # Every row has its result, guessed from its own domain's evidence ({first}.{last}).
    assert [r["candidates"][0]["address"] for r in rows] == [f"zoe.park@{d}" for d in domains]
    limits = load_rules().at_once
    asked = {host: len(site.requests_to(host)) for host in SOURCE_HOSTS.values()}
    assert all(asked[host] >= len(domains) for host in SOURCE_HOSTS.values()), asked
    for source, host in SOURCE_HOSTS.items():
        # Wikidata is asked by the GitHub source (the organisation's GitHub username).
        limit = limits["github" if source == "wikidata" else source]
        assert 1 <= site.max_in_flight[host] <= limit, (host, dict(site.max_in_flight))


def test_the_brief_address_format_uses_saved_evidence(world, site):
    from reachout.research.people import likely_format

    assert likely_format("acme.test", []) is None
    gather(site)
    learned = likely_format("acme.test", [])
    assert learned is not None and learned["formats"][0]["pattern"] == "{first}.{last}"
    assert learned["evidence"] == 6


def test_a_company_name_is_looked_up_first(site, nameserver):
    named = EvidenceWorld()
    named.add("hollis.test", [Person("Jana Horvat", "jana.horvat@hollis.test", "keyserver",
                                     "2025-05-05")])
    named.install(site)
    argv = ["evidence", "Hollis Forge GmbH", "--source", "keyserver", "--allow-private",
            "--nameserver", nameserver, "--timeout", "2", "--format", "json"]
    for entry in site.resolve("hollis.test", "www.hollis.test"):
        argv += ["--resolve", entry]
    result = run(*argv)
    assert result.exit_code == 0, result.output
    assert "Using hollis.test for 'Hollis Forge GmbH'" in result.stderr
    assert json.loads(result.stdout)["pairs"][0]["address"] == "jana.horvat@hollis.test"


def test_hostile_xml_and_key_index_answers_are_notes_or_nothing():
    bomb = ('<?xml version="1.0"?><!DOCTYPE f [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            '<feed xmlns="http://www.w3.org/2005/Atom"><entry><author><name>&b;</name>'
            '<email>x@acme.com</email></author></entry></feed>')
    hits = mailarchive.parse_atom(bomb, "u")
    assert all("aaaa" not in h.name for h in hits)  # entities are never expanded
    with pytest.raises(BadAnswer):
        mailarchive.parse_atom("<html><body>Anubis says hello</body></html>", "u")
    garbage = "uid:%ZZ%:x\npub:::\nuid\n" + "uid:" + "%41" * 10_000 + "\n"
    assert keyserver.parse_index(garbage, "u") == []
    for binary in (garbage + "\x00" * 100, b"\xff\xfe" + garbage.encode()):  # NUL; not UTF-8
        with pytest.raises(BadAnswer, match="Keyserver: the answer is"):
            keyserver.parse_index(binary, "u")


def test_a_slow_source_is_cut_off_and_the_others_are_kept(world, site, monkeypatch):
    import reachout.evidence.gather as gathering
    from reachout.evidence.gather import evidence_settings

    monkeypatch.setattr(gathering, "_SOURCE_DEADLINE", 1.0)
    # A keyserver of its own host, as real ones are: the others' hosts are not held up behind it.
    monkeypatch.setenv("REACHOUT_KEYSERVER_URL", site.url("keys.test", "/keyserver"))
    site.route("keys.test", "/keyserver/pks/lookup", body="info:1:0\n", content_type="text/plain",
               delay=3.0)
    found = find_evidence(origin(site), save=False, **evidence_settings(
        resolve=site.resolve("acme.test", "keys.test"), allow_private=True))
    notes = {s.source: " ".join(s.notes) for s in found.sources}
    assert notes.get("keyserver")
    assert {p.source for p in found.pairs} == {"site", "github", "mailarchive", "europepmc"}


def test_a_saved_brief_is_the_site_source_and_names_the_organisation(world, site, reachout_home):
    from reachout.briefstore import save_brief

    save_brief({"schema": "reachout.brief/1", "generated_at": "2026-11-26T10:00:00Z",
                "addresses": [
                    {"address": "mo.ali@acme.test", "kind": "personal", "person": "Mo Ali",
                     "source": "https://acme.test/team"},
                    {"address": "press@acme.test", "kind": "role", "source": "https://acme.test/"}],
                "social": [{"network": "github", "url": "https://github.com/acme",
                            "source": "https://acme.test/"}]}, "acme.test")
    found = gather(site, save=False, sources=["site", "github"])
    site_report = found.sources[0]
    assert site_report.requests == 0 and site_report.people == 1
    assert ("Mo Ali", "https://acme.test/team", "2026-11-26") in {
        (p.name, p.url, p.date) for p in found.pairs}
    assert not [r for r in site.log if "wikidata" in r.path or r.host == "acme.test"]
    assert next(s for s in found.sources if s.source == "github").people == 2


def test_companies_read_from_stdin(world, site):
    result = CliRunner().invoke(cli, ["evidence", "-", "--source", "keyserver", *options(site)],
                                input=f"# my targets\n{origin(site)}\n\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("acme.test: 1 person found")


def test_pages_asked_at_once_stay_within_the_budget(world, site, tmp_path):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    text = (Path(__file__).parents[1] / "patterns" / "evidence.toml").read_text()
    (patterns / "evidence.toml").write_text(text.replace("site = 5", "site = 3"))
    found = gather(site, save=False, patterns=str(patterns), sources=["site"])
    assert found.sources[0].requests == 3  # robots.txt, the home page, the first promising page
    assert [r.path for r in site.log if r.host == "acme.test"] == ["/robots.txt", "/", "/press"]


# --- the mail archive is a website: its robots.txt is obeyed ---------------------------------------
def _archive(site) -> list[str]:
    """Options that put the mail archive on a host of its own (archive.test), as lore.kernel.org is."""
    return [*options(site), "--source-url", f"mailarchive={site.url('archive.test', '/mailarchive')}",
            "--resolve", f"archive.test:{site.port}:127.0.0.1"]


@pytest.mark.parametrize("rules", ["User-agent: *\nDisallow: /mailarchive/\n",
                                   "User-agent: *\nDisallow: /*?q=\n",
                                   "User-agent: reachout\nDisallow: /\n"])
def test_a_mail_archive_whose_robots_txt_disallows_its_search_is_a_note_and_others_go_on(
        world, site, rules):
    site.route("archive.test", "/robots.txt", body=rules, content_type="text/plain")
    result = run("evidence", origin(site), "--json", *_archive(site))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "Error" not in result.stderr
    data = json.loads(result.stdout)
    report = next(s for s in data["sources"] if s["source"] == "mailarchive")
    assert report["notes"] == ["The mail archive was not searched: robots.txt of archive.test "
                               "disallows /mailarchive/."]
    assert (report["status"], report["people"], report["requests"]) == ("ok", 0, 1)
    assert site.paths("archive.test") == ["/robots.txt"]  # the search itself was never sent
    assert {p["source"] for p in data["pairs"]} == {"site", "github", "keyserver", "europepmc"}


def test_a_mail_archive_whose_robots_txt_allows_its_search_is_asked_within_its_budget(world, site):
    site.route("archive.test", "/robots.txt", body="User-agent: *\nDisallow: /private/\n",
               content_type="text/plain")
    result = run("evidence", origin(site), "--json", "--source", "mailarchive", *_archive(site))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["sources"][0]
    budget = load_rules().budget["mailarchive"]
    assert (report["people"], report["requests"], report["notes"]) == (1, 2, [])
    assert report["requests"] <= budget
    assert [p.split("?")[0] for p in site.paths("archive.test")] == ["/robots.txt", "/mailarchive/"]


def test_a_mail_archive_with_no_budget_for_its_robots_txt_asks_nothing(world, site, tmp_path):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    text = (Path(__file__).parents[1] / "patterns" / "evidence.toml").read_text()
    (patterns / "evidence.toml").write_text(text.replace("mailarchive = 2", "mailarchive = 1"))
    result = run("evidence", origin(site), "--json", "--source", "mailarchive",
                 "--patterns", str(patterns), *_archive(site))
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)["sources"][0]
    assert report["requests"] == 1 and report["notes"] == [
        "Stopped at its budget of 1 request(s) for the domain."]
    assert site.paths("archive.test") == ["/robots.txt"]



@pytest.mark.parametrize("value", ["inf", "'two'", "{ n = 1 }"])
def test_a_malformed_at_once_is_a_one_line_data_error(world, site, tmp_path, value):
    patterns = tmp_path / "patterns"
    patterns.mkdir()
    text = (Path(__file__).parents[1] / "patterns" / "evidence.toml").read_text()
    assert "[at_once]\nsite = 2\n" in text
    (patterns / "evidence.toml").write_text(text.replace("[at_once]\nsite = 2\n",
                                                         f"[at_once]\nsite = {value}\n"))
    result = run("evidence", origin(site), "--patterns", str(patterns), *options(site))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: patterns/evidence.toml is malformed: ")
    assert "[at_once]" in result.stderr and "internal error" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

# --- sources that cannot be reached (issue 21's rule for every source) ------------------------------
def _closed_port() -> int:
    import socket

    with socket.socket() as probe:  # a port nothing listens on: connection refused, as offline
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def offline(monkeypatch):
    port = _closed_port()
    for name in ("github", "mailarchive", "keyserver", "europepmc", "wikidata"):
        monkeypatch.setenv(f"REACHOUT_{name.upper()}_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("REACHOUT_RESOLVE_ONLY", "1")
    return ["--allow-private", "--resolve", f"acme.test:{port}:127.0.0.1",
            "--resolve", f"beta.test:{port}:127.0.0.1"], port


def test_unreachable_sources_are_failed_said_once_and_not_saved(offline, reachout_home):
    args, port = offline
    result = run("evidence", f"http://acme.test:{port}/", f"http://beta.test:{port}/", *args)
    assert result.exit_code == 1, result.output
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    # One line per host for the whole run: the APIs' host once, each company's site once.
    assert sorted(errors) == sorted([f"Error: cannot reach 127.0.0.1:{port}: connection refused",
                                     f"Error: cannot reach acme.test:{port}: connection refused",
                                     f"Error: cannot reach beta.test:{port}: connection refused"])
    assert f"github       0                      failed: cannot reach 127.0.0.1:{port}" in result.stdout
    assert "not saved" in result.stdout and "Nothing found: a source could not be reached" in result.stdout
    assert not (reachout_home / "evidence").exists() or not any((reachout_home / "evidence").iterdir())
    table = run("evidence", f"http://acme.test:{port}/", "--source", "keyserver", "--format", "csv",
                *args).stdout.splitlines()
    assert table[0].startswith("company,domain,source,status,")
    assert table[1].startswith(f"http://acme.test:{port}/,acme.test,keyserver,failed,")
    assert table[1].endswith(f"cannot reach 127.0.0.1:{port}: connection refused,")
    data = json.loads(run("evidence", f"http://acme.test:{port}/", "--source", "keyserver", "--json",
                          *args).stdout)
    assert data["failed"] is True
    keyserver_report = next(s for s in data["sources"] if s["source"] == "keyserver")
    assert keyserver_report["status"] == "failed"
    assert keyserver_report["unreachable"] == [f"cannot reach 127.0.0.1:{port}: connection refused"]


def test_a_source_that_answers_nothing_is_not_failed(world, site):
    result = run("evidence", origin(site), "--json", *options(site))
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["failed"] is False
    assert {s["status"] for s in data["sources"]} == {"ok"}


def test_a_mistyped_domain_is_warned_about(offline):
    args, _ = offline
    result = run("evidence", "exmaple.cmo", "--source", "keyserver", "--json", *args)
    assert "Notice: exmaple.cmo: .cmo is not a top-level domain" in result.stderr
    assert "did you mean exmaple.com?" in result.stderr
    result = run("evidence", "examplecom", *args)
    assert result.exit_code == 1 and "looks like the domain example.com mistyped" in result.output


def test_batch_and_guess_say_an_unreachable_source_once(offline, batch_ns, tmp_path):
    args, port = offline
    source = tmp_path / "in.csv"
    source.write_text("company,domain,name\nAcme,acme.example,Zoe Park\nAcme,acme.example,Al Ro\n")
    out = tmp_path / "out.jsonl"
    result = run("batch", str(source), "--out", str(out), "--evidence", "--no-lookup",
                 "--nameserver", batch_ns, "--source-url", "site=off", "--quiet", *args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert all(f"evidence: cannot reach 127.0.0.1:{port}: connection refused" in r["notes"]
               for r in rows), rows
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    result = run("guess", "Zoe Park", "acme.example", "--find-evidence", "--nameserver", batch_ns,
                 "--source-url", "site=off", *args)
    assert result.exit_code == 0, result.output
    notices = [line for line in result.stderr.splitlines() if "evidence" in line]
    assert notices == [f"Notice: evidence: cannot reach 127.0.0.1:{port}: connection refused"]


def test_saving_evidence_leaves_the_process_umask_alone(reachout_home, monkeypatch):
    # Batch saves evidence from worker threads: a umask switched and restored around one save can
    # leave another thread's files (or the process) with the wrong mode.
    from reachout.evidence import store

    def no_umask(_mask):
        raise AssertionError("os.umask is process-wide")

    monkeypatch.setattr(os, "umask", no_umask)
    path = store.save({"domain": "acme.test"}, "acme.test")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
