"""The guesser's API and the `reachout guess` command."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from email_validator import validate_email

import reachout
from reachout.cli import cli
from reachout.guessing import load_formats


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input)


def test_api_ranks_and_sums_to_at_most_one():
    guess = reachout.guess("Jane Doe", "acme.com")
    personal = guess.personal
    assert personal[0].address == "jane.doe@acme.com"
    assert personal[1].address == "jdoe@acme.com"
    assert sum(c.confidence for c in personal) <= 1
    assert 0.2 < personal[0].confidence < 0.5
    assert len({c.address for c in guess.candidates}) == len(guess.candidates)
    assert [c.confidence for c in personal] == sorted((c.confidence for c in personal), reverse=True)
    for candidate in guess.candidates:
        validate_email(candidate.address, check_deliverability=False)


def test_role_inboxes_are_separate_and_labelled():
    guess = reachout.guess("Jane Doe", "acme.com")
    kinds = [c.kind for c in guess.candidates]
    assert kinds == sorted(kinds)  # personal first, then role
    roles = {c.address for c in guess.roles}
    assert {"careers@acme.com", "jobs@acme.com", "recruiting@acme.com", "hr@acme.com"} <= roles
    assert all("generic inbox" in c.reasons[0] for c in guess.roles)


def test_size_changes_the_ranking():
    small = reachout.guess("Jane Doe", "acme.com", size="small").personal[0]
    large = reachout.guess("Jane Doe", "acme.com", size="large").personal[0]
    assert (small.address, large.address) == ("jane@acme.com", "jane.doe@acme.com")


def test_known_address_teaches_the_format_and_shows_evidence():
    guess = reachout.guess("Dana Jones", "acme.com", known=["Alice Smith <asmith@acme.com>"])
    best = guess.personal[0]
    assert best.address == "djones@acme.com"
    assert best.confidence > 0.4
    assert any("asmith@acme.com" in r for r in best.reasons)
    assert guess.learned is not None and guess.learned.evidence == 1


def test_the_person_asked_about_may_be_known_already():
    guess = reachout.guess("Alice Smith", "acme.com", known=[("Alice Smith", "a.smith@acme.com")])
    assert guess.personal[0].address == "a.smith@acme.com"
    assert guess.personal[0].confidence == pytest.approx(0.95)


def test_a_gathered_address_of_the_person_counts_as_much_as_its_source():
    from reachout.guessing.known import KnownAddress

    gathered = KnownAddress("Alice Smith", "a.smith@acme.com", weight=0.5, source="keyserver")
    found = reachout.guess("Alice Smith", "acme.com", known=[gathered], roles=False).personal
    own = next(c for c in found if c.address == "a.smith@acme.com")
    assert own.pattern == "known" and own.confidence == pytest.approx(0.475)
    assert "keyserver" in own.reasons[0]
    assert [c.confidence for c in found] == sorted((c.confidence for c in found), reverse=True)


def test_deterministic():
    first = reachout.guess("Jean-Luc Picard", "starfleet.org").to_dict()
    assert reachout.guess("Jean-Luc Picard", "starfleet.org").to_dict() == first


def test_cli_table():
    result = run("guess", "Jane Doe", "https://www.Acme.com/about?x=1", "--top", "3")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Jane Doe at acme.com (read as first 'jane', last 'doe')"
    assert lines[2].split() == ["address", "confidence", "pattern", "why"]
    assert lines[3].split()[:3] == ["jane.doe@acme.com", "34.5%", "{first}.{last}"]
    assert lines[4].startswith("jdoe@acme.com")
    assert "careers@acme.com" in result.stdout


def test_cli_json_schema():
    result = run("guess", "Dr. Jane Doe", "jane@acme.com", "--format", "json", "--top", "2")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"name", "domain", "candidates", "learned", "notices", "sources"}
    assert data["domain"] == "acme.com"
    assert data["name"]["first"] == "jane" and data["name"]["title"] == "Dr."
    first = data["candidates"][0]
    assert set(first) == {"address", "pattern", "confidence", "kind", "reasons"}
    assert first["kind"] == "personal"
    assert [c["kind"] for c in data["candidates"]] == ["personal", "personal", "role", "role"]


def test_cli_csv_is_spreadsheet_safe():
    result = run("guess", "Jane Doe", "acme.com", "--format", "csv", "--top", "1", "--no-roles")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "address,kind,pattern,confidence,reasons"
    assert result.stdout.splitlines()[1].startswith("jane.doe@acme.com,personal,{first}.{last},0.345")


def test_cli_known_options_and_file(tmp_path):
    known = tmp_path / "known.csv"
    known.write_text("\ufeffname,email\nAlice Smith,asmith@acme.com\nCarl Peters,cpeters@acme.com\n")
    result = run("guess", "Dana Jones", "acme.com", "--known-file", str(known), "--format", "json",
                 "--known", "Xi Li <xli@other.org>")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["candidates"][0]["address"] == "djones@acme.com"
    assert data["learned"]["evidence"] == 2
    assert "Notice: Ignored xli@other.org: it is not at acme.com." in result.stderr


def test_cli_known_file_from_stdin():
    result = run("guess", "Bob Jones", "acme.com", "--known-file", "-", "--top", "1", "--no-roles",
                 input="Alice Smith <alice@acme.com>\n")
    assert result.exit_code == 0
    assert "bob@acme.com" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["guess", "", "acme.com"], "Error: The name is empty; pass a person's name such as 'Jane Doe'.\n"),
        (["guess", "42", "acme.com"], "Error: '42' has no letters, so it cannot be a name; "
                                      "pass a person's name such as 'Jane Doe'.\n"),
        (["guess", "Jane Doe", "localhost"], "Error: 'localhost' has no top-level domain; pass a domain "
         "such as example.com, a URL such as https://example.com, or an address.\n"),
    ],
)
def test_cli_bad_input_is_one_line_exit_1(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message


def test_a_malformed_known_address_is_a_notice_not_a_failure():
    result = run("guess", "Dana Jones", "acme.com", "--known", "Bob <nope>",
                 "--known", "Alice Smith <asmith@acme.com>", "--top", "1", "--no-roles")
    assert result.exit_code == 0, result.output
    assert "djones@acme.com" in result.stdout
    assert "Notice: Ignored a known address: 'nope' is not a valid e-mail address" in result.stderr


@pytest.mark.parametrize("address", ["x\udc80@acme.com", "x\ufffd@acme.com"])
def test_a_known_address_with_undecodable_bytes_is_refused(address):
    # A lone surrogate (argv under a C locale) once became x?@…, a valid address of someone else.
    result = run("guess", "Dana Jones", "acme.com", "--known", f"Xa Yb <{address}>", "--top", "1",
                 "--no-roles", "--format", "json")
    assert result.exit_code == 0, result.output
    assert "Notice: Ignored a known address: 'x\ufffd@acme.com' is not a valid e-mail address: " \
        in result.stderr
    assert json.loads(result.stdout)["learned"] is None  # nothing was learned from it


def test_cli_known_file_not_utf8(tmp_path):
    bad = tmp_path / "known.txt"
    bad.write_bytes("Jürgen Müller <jm@acme.de>\n".encode("latin-1"))
    result = run("guess", "Jane Doe", "acme.de", "--known-file", str(bad))
    assert result.exit_code == 1
    assert "is not UTF-8" in result.stderr and "save it as UTF-8" in result.stderr


def test_cli_usage_errors_exit_2():
    assert run("guess", "Jane Doe").exit_code == 2
    assert run("guess", "Jane Doe", "acme.com", "--size", "huge").exit_code == 2
    assert run("guess", "Jane Doe", "acme.com", "--top", "0").exit_code == 2


def test_version_and_help():
    assert run("--version").stdout.startswith("reachout, version ")
    assert "Rank likely addresses" in run("guess", "-h").stdout


def _saved_brief(home, domain, addresses):
    briefs = home / "briefs"
    briefs.mkdir(parents=True, exist_ok=True)
    data = {"schema": "reachout.brief/1", "generated_at": "2026-11-20T10:00:00Z", "addresses": addresses}
    (briefs / f"{domain}.json").write_text(json.dumps(data), encoding="utf-8")


def test_addresses_from_the_saved_brief_teach_the_format(reachout_home):
    _saved_brief(reachout_home, "acme.com", [
        {"address": "asmith@acme.com", "kind": "personal", "person": "Alice Smith", "source": "x"},
        {"address": "careers@acme.com", "kind": "role", "person": None, "source": "x"},
        {"address": "not an address", "kind": "personal", "person": "Bad Row", "source": "x"},
    ])
    result = run("guess", "Dana Jones", "acme.com", "--top", "1", "--no-roles")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1].startswith("Learned from 1 public address (site 1): {f}{last} ")
    assert result.stdout.splitlines()[4].startswith("djones@acme.com")
    assert "Notice: Also learned from 1 address(es) that `reachout brief` found on acme.com's site " \
           "(2026-11-20)" in result.stderr
    plain = run("guess", "Dana Jones", "acme.com", "--top", "1", "--no-roles", "--no-site-addresses")
    assert plain.stdout.splitlines()[3].startswith("dana.jones@acme.com")
    assert plain.stderr == ""


def test_a_broken_saved_brief_is_ignored_and_said(reachout_home):
    (reachout_home / "briefs").mkdir(parents=True)
    (reachout_home / "briefs" / "acme.com.json").write_text("{not json", encoding="utf-8")
    result = run("guess", "Bob Jones", "acme.com", "--top", "1", "--no-roles")
    assert result.exit_code == 0
    assert result.stderr == (f"Notice: The saved brief {reachout_home / 'briefs' / 'acme.com.json'} "
                             "is not valid JSON, so it is not used; run `reachout brief acme.com` "
                             "again to replace it.\n")


def test_reasons_quote_the_prior_of_the_size_asked_about():
    for size in (None, "small", "large", None):
        table = load_formats(size)
        best = next(c for c in reachout.guess("Jane Doe", "example.com", size=size).candidates
                    if c.address == "jdoe@example.com")
        assert best.pattern == "{f}{last}"
        assert best.reasons[0] == table.prior_reason("{f}{last}")


def test_the_library_reads_no_saved_brief_unless_asked(reachout_home):
    _saved_brief(reachout_home, "acme.com", [
        {"address": "asmith@acme.com", "kind": "personal", "person": "Alice Smith", "source": "x"},
    ])
    assert reachout.guess("Dana Jones", "acme.com").personal[0].address == "dana.jones@acme.com"
    asked = reachout.guess("Dana Jones", "acme.com", site_addresses=True)
    assert asked.personal[0].address == "djones@acme.com"


@pytest.mark.parametrize("top", [0, -1, -3])
def test_top_below_one_is_a_clear_error(top):
    with pytest.raises(reachout.errors.BadInput, match="top must be at least 1"):
        reachout.guess("Bill van", "example.com", top=top)


def test_soft_hyphens_and_zero_width_characters_do_not_split_names():
    # Once read as first 'jo', last 'stroem' (jstroem@, jo@); the known name as 'Pe' 'ter'.
    result = run("guess", "Jo\u00adhan\u00adna Berg\u200bström", "acme.com", "--no-roles", "--top", "1",
                 "--known", "Pe\u00adter Ny\u2060berg <peter.nyberg@acme.com>", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["name"]["first"], data["name"]["last"]) == ("johanna", "bergstroem")
    assert data["learned"]["known"][0]["name"] == "Peter Nyberg"
    assert data["candidates"][0]["address"] == "johanna.bergstroem@acme.com"


def test_a_typed_names_escapes_and_bidi_controls_are_shown_escaped():
    result = run("guess", "Jane\x1b]0;owned\x07 Doe\u202e", "acme.com", "--top", "1", "--no-roles")
    assert result.exit_code == 0, result.output
    assert not {"\x1b", "\x07", "\u202e"} & set(result.output)
    assert result.stdout.startswith("Jane\\x1b]0;owned\\x07 Doe\\u202e at acme.com (read as first "
                                    "'jane', last 'doe')")


def test_known_addresses_are_read_once_and_capped():
    from reachout.guessing.known import MAX_KNOWN, MAX_NAME_WORDS, KnownAddress, for_learning

    pairs = [KnownAddress("Ann Lee", "alee@acme.com"), KnownAddress("Ann B. Lee", "alee@acme.com"),
             KnownAddress(" ".join(["Word"] * (MAX_NAME_WORDS + 1)), "word@acme.com")]
    pairs += [KnownAddress(f"Bo Mae Kim{i}", f"bkim{i}@acme.com") for i in range(MAX_KNOWN)]
    pairs += [KnownAddress(f"Cy Ng{i}", f"cng{i}@acme.com") for i in range(5)]
    kept, notices = for_learning(pairs)
    # The shortest names first, in the order given otherwise; the first name given for an address.
    assert len(kept) == MAX_KNOWN and kept[0] == pairs[0]
    assert [p.address for p in kept if p.address.startswith("cng")] == [f"cng{i}@acme.com" for i in range(5)]
    assert notices == [
        "1 known address(es) were given more than once; each was read once.",
        f"Ignored 1 known address(es) whose names have more than {MAX_NAME_WORDS} words: that is no "
        "person's name.",
        f"Read {MAX_KNOWN} of the {MAX_KNOWN + 6} known addresses (those with the shortest names: they "
        "tell formats apart best); the other 6 were left out.",
    ]


def test_ten_thousand_copies_of_one_known_address_are_one():
    args = ["guess", "Dana Jones", "acme.com", "--top", "1", "--no-roles", "--format", "json"]
    result = run(*args, *["--known", "Alice Smith <asmith@acme.com>"] * 10_000)
    assert result.exit_code == 0, result.output
    assert result.stderr == ("Notice: 9,999 known address(es) were given more than once; each was "
                             "read once.\n")
    assert json.loads(result.stdout)["learned"]["evidence"] == 1


def test_many_unexplained_known_addresses_are_summarised():
    known = [arg for i in range(1250) for arg in ("--known", f"Ann Lee <zq{i:04d}x@acme.com>")]
    result = run("guess", "Dana Jones", "acme.com", "--top", "1", "--no-roles", *known)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines == [
        "Notice: Read 100 of the 1,250 known addresses (those with the shortest names: they tell "
        "formats apart best); the other 1,150 were left out.",
        "Notice: No format explains zq0000x@acme.com for 'Ann Lee'; it counts as an alias.",
        "Notice: No format explains zq0001x@acme.com for 'Ann Lee'; it counts as an alias.",
        "Notice: No format explains zq0002x@acme.com for 'Ann Lee'; it counts as an alias.",
        "Notice: … and 97 more 'No format explains' notices (--format json lists them all).",
    ]


def test_two_thousand_known_with_twenty_word_names_finish():
    # 17-25 s before (every reading of every name was weighed); now long names are left out, and at
    # most MAX_KNOWN addresses are read. Its speed is measured in bench/known.py.
    name = "Ann Bea Cy Dee Eve Flo Gus Hal Ida Jo Kai Lu Mo Ned Oz Pia Quin Rex Sue Lee"
    known = [arg for i in range(2000) for arg in ("--known", f"{name} <al{i}@acme.com>")]
    result = run("guess", "Dana Jones", "acme.com", "--top", "1", "--no-roles", *known)
    assert result.exit_code == 0, result.output
    assert result.stderr == ("Notice: Ignored 2,000 known address(es) whose names have more than 10 "
                             "words: that is no person's name.\n")


def test_a_lookalike_domain_is_named_in_a_notice():
    # xn--pple-43d.com reads as аpple.com with a Cyrillic а (Unicode TR 39 mixed-script).
    result = run("guess", "Jane Doe", "xn--pple-43d.com", "--top", "1", "--no-roles")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(
        "Notice: \u0430pple.com may be a look-alike: the domain label '\u0430pple' mixes Cyrillic and "
        "Latin letters (\u0430 is CYRILLIC SMALL LETTER A, like Latin a)")
    assert "The addresses below are guessed at \u0430pple.com as typed.\n" in result.stderr


def test_cli_reads_past_honours_and_degrees_in_a_parliament_directory():
    # Directories print members with honours, degrees and members' letters; the address has none.
    result = run("guess", "Rt Hon Sir Oona Vettel KCB MP", "parl.example", "--no-roles", "--top", "1",
                 "--known", "Dr. rer. nat. Eva Quarle, MdB <eva.quarle@parl.example>",
                 "--known", "Prof. em. Dr. Hans Brisk <hans.brisk@parl.example>")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Rt Hon Sir Oona Vettel KCB MP at parl.example (read as first 'oona', last 'vettel')"
    assert lines[1].startswith("Learned from 2 known address(es): {first}.{last}")
    assert lines[4].split()[0] == "oona.vettel@parl.example"


def test_cli_reads_a_spanish_directorys_abbreviations():
    result = run("guess", "Mª José Quarle Ruiz", "uni.example.es", "--no-roles", "--top", "3",
                 "--known", "M.ª Carmen Glez. Pérez <mcgonzalez@uni.example.es>",
                 "--known", "Fco. Javier Brisk Sanz <fjbrisk@uni.example.es>")
    assert result.exit_code == 0, result.output
    assert "script" not in result.stderr  # ª is a Latin letter, not a script of its own
    assert result.stdout.splitlines()[4].split()[0] == "mjquarle@uni.example.es"


def test_cli_irish_and_arabic_surnames_keep_their_particles():
    result = run("guess", "Mohamed Abdel Quarle", "acme.example", "--no-roles", "--top", "1",
                 "--known", "Seán Ó Brisk <sean.obrisk@acme.example>",
                 "--known", "Ahmed El Vettel <ahmed.elvettel@acme.example>")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[4].split()[0] == "mohamed.abdelquarle@acme.example"


def test_cli_a_title_and_a_surname_are_guessed_by_the_surname_and_ask_for_the_given_name():
    # "Dr Smith", as one knows an interviewer: the title is no given name (it gave dr.smith@ before).
    result = run("guess", "Dr Quarle", "acme.com", "--top", "3", "--no-roles")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "Dr Quarle at acme.com (read as first '', last 'quarle')"
    addresses = [line.split()[0] for line in result.stdout.splitlines()[3:] if "@" in line]
    assert addresses[0] == "quarle@acme.com" and not any(a.startswith("d") for a in addresses)
    assert "Notice: 'Dr Quarle': no given name" in result.stderr
    assert "add the given name" in result.stderr


def test_cli_a_hong_kong_name_is_read_family_name_first_and_learns_the_initials_of_both_syllables():
    # Invented names as Hong Kong directories print them: family name, then two given-name syllables.
    result = run("guess", "Chan Kit Wing", "acme.com.hk", "--top", "1", "--no-roles")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3].split()[0] == "kitwing.chan@acme.com.hk"
    result = run("guess", "Chan Kit Wing", "acme.com.hk", "--top", "1", "--no-roles",
                 "--known", "Wong Ka Lok <klwong@acme.com.hk>", "--known", "Lau Tai Man <tmlau@acme.com.hk>")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[4].split()[0] == "kwchan@acme.com.hk"
    # With an English name beside the Chinese one, the English name is the given name.
    result = run("guess", "Peter Chan Kit Wing", "acme.com.hk", "--top", "1", "--no-roles")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3].split()[0] == "peter.chan@acme.com.hk"


def test_cli_a_known_address_teaches_whether_people_go_by_the_name_after_their_initials():
    known = {"ravi.vettel": "arun.quarle@acme.com", "m.vettel": "k.quarle@acme.com"}
    for local, expected in known.items():
        result = run("guess", "K. S. Arun Quarle", "acme.com", "--top", "1", "--no-roles",
                     "--known", f"M. R. Ravi Vettel <{local}@acme.com>")
        assert result.exit_code == 0, result.output
        assert result.stdout.splitlines()[4].split()[0] == expected


def test_cli_a_russian_name_listed_family_name_first_with_its_patronymic():
    result = run("guess", "Quarlov Oleg Ivanovich", "acme.ru", "--top", "1", "--no-roles",
                 "--known", "Vettelov Ivan Petrovich <i.vettelov@acme.ru>")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].endswith("(read as first 'oleg', last 'quarlov')")
    assert result.stdout.splitlines()[4].split()[0] == "o.quarlov@acme.ru"


def test_cli_a_hungarian_name_written_family_name_first_at_a_com_domain():
    result = run("guess", "Kovács Zsófia", "acme.com", "--top", "1", "--no-roles")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[3].split()[0] == "zsofia.kovacs@acme.com"


def test_cli_a_peer_is_guessed_by_the_family_name_only():
    # "Lord Smith of Finsbury", as the Lords' directory lists a peer: Smith is the family name.
    result = run("guess", "Lord Quarle of Tarnby", "acme.com", "--top", "3", "--no-roles")
    assert result.exit_code == 0, result.output
    heading = result.stdout.splitlines()[0]
    assert heading == "Lord Quarle of Tarnby at acme.com (read as first '', last 'quarle')"
    assert "quarle@acme.com" in result.stdout and "lord" not in result.stdout.split("\n", 1)[1]
