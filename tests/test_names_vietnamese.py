"""Vietnamese names and the addresses Vietnamese organisations issue (invented people throughout)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import reachout
from reachout.cli import cli
from reachout.guessing import compile_template, load_formats, parse_name
from reachout.guessing.formats import format_region
from reachout.guessing.learn import explain


@pytest.mark.parametrize(
    ("name", "domain", "first", "middle", "last"),
    [
        # Family name first: Van and Thi are middle names, the last word the given name, at .vn and
        # elsewhere (Van is no Dutch particle here).
        ("Nguyen Van Khoi", "acme.vn", "khoi", "van", "nguyen"),
        ("Nguyen Van Khoi", "acme.com", "khoi", "van", "nguyen"),
        ("Dinh Van Lap", "acme.com", "lap", "van", "dinh"),  # a family name of no Chinese list
        ("Trinh Duc Lam", "acme.com", "lam", "duc", "trinh"),
        ("Trinh Thi Thu Lua", "acme.vn", "lua", "thithu", "trinh"),  # four words: two middle names
        ("Nguyễn Thị Minh Lụa", "acme.com", "lua", "thiminh", "nguyen"),  # diacritics
        ("Mai Van Khoi", "acme.com", "khoi", "van", "mai"),
        # The family name marked in capitals, before or after; given name first as directories abroad
        # write it.
        ("NGUYEN Van Khoi", "acme.com", "khoi", "van", "nguyen"),
        ("NGUYỄN Văn Khôi", "acme.fr", "khoi", "van", "nguyen"),
        ("Thi Lua DO", "acme.com", "lua", "thi", "do"),
        ("Lua Thi Thu LE", "acme.com", "lua", "thithu", "le"),
        ("Khoi Van Nguyen", "acme.com", "khoi", "van", "nguyen"),
        ("Lua Thi Nguyen", "acme.com", "lua", "thi", "nguyen"),
        ("Thi Lua Nguyen", "acme.com", "lua", "thi", "nguyen"),
        # Mai is a given name too, and Nguyen the commoner family name: given name first.
        ("Mai Thi Nguyen", "acme.com", "mai", "thi", "nguyen"),
    ],
)
def test_vietnamese_names_are_read_by_their_own_custom(name, domain, first, middle, last):
    best = parse_name(name, domain=domain).best
    assert (best.first, best.middle, best.last) == (first, middle, last)
    assert best.weight > 0.5


def test_do_after_a_vietnamese_middle_name_is_a_family_name_not_a_degree():
    parts = parse_name("Thi Lua DO")
    assert (parts.given, parts.middle, parts.family, parts.suffix) == ("Lua", "Thi", "Do", "")
    # Elsewhere DO stays a Doctor of Osteopathy, also after a word that is a Vietnamese middle name too.
    for name in ("Jane Doe DO", "Kim Smith DO"):
        parts = parse_name(name)
        assert parts.suffix == "DO" and parts.best.last != "do", name


@pytest.mark.parametrize(
    ("name", "family"),
    [("Jan Van Dijk", "Van Dijk"), ("Marine Le Pen", "Le Pen"), ("Anna Do Santos", "Do Santos")],
)
def test_particles_stay_particles_outside_vietnamese_names(name, family):
    assert parse_name(name).family == family


def test_every_middle_initial_field():
    trang = parse_name("Trinh Thi Thu Lua", domain="acme.vn").best
    assert (trang.m, trang.mi) == ("t", "tt")
    assert compile_template("{first}{l}{mi}").render(trang) == "luattt"
    assert compile_template("{first}{l}{m}").render(trang) == "luatt"
    khoi = parse_name("Nguyen Van Khoi").best
    assert compile_template("{first}{l}{mi}").render(khoi) == "khoinv"
    # A person with no middle name: the field drops out, as {m} does.
    jane = parse_name("Jane Doe").best
    assert jane.mi == ""
    assert compile_template("{first}{l}{mi}").render(jane) == "janed"
    assert compile_template("{first}{l}{mi}").label(jane) == "{first}{l}"


def test_vn_domains_use_the_vietnamese_column():
    assert format_region("truong.edu.vn") == format_region("acme.vn") == "vietnamese"
    assert format_region("acme.com") is None
    vietnamese = load_formats(None, None, "vietnamese").priors
    general = load_formats().priors
    assert vietnamese["{first}{l}{mi}"] > 0.2 > general["{first}{l}{mi}"]
    found = reachout.guess("Nguyen Van Khoi", "acme.vn", roles=False).personal
    assert [c.address for c in found[:2]] == ["khoinv@acme.vn", "khoi.nguyen@acme.vn"]


def test_known_addresses_teach_vietnamese_formats_at_a_com_domain():
    parts = parse_name("Nguyen Van Khoi", domain="acme.com", complete=True)
    templates = {e.template for e in explain("khoinv", parts, load_formats())[0]}
    assert "{first}{l}{mi}" in templates
    known = [("Pham Van Binh", "binhpv@acme.com"), ("Dinh Thi Chau", "chaudt@acme.com")]
    found = reachout.guess("Trinh Thi Thu Lua", "acme.com", known=known, roles=False).personal
    assert found[0].address == "luattt@acme.com" and found[0].pattern == "{first}{l}{mi}"
    known = [("Pham Van Binh", "binh.phamvan@acme.com"), ("Dinh Thi Chau", "chau.dinhthi@acme.com")]
    found = reachout.guess("Nguyen Van Khoi", "acme.com", known=known, roles=False).personal
    assert found[0].address == "khoi.nguyenvan@acme.com"


def test_cli_guess_for_a_vietnamese_name():
    result = CliRunner().invoke(cli, ["guess", "NGUYỄN Văn Khôi", "acme.vn", "--top", "2", "--no-roles"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "NGUYỄN Văn Khôi at acme.vn (read as first 'khoi', last 'nguyen')"
    row = lines[3].split()
    assert (row[0], row[2]) == ("khoinv@acme.vn", "{first}{l}{mi}")
    result = CliRunner().invoke(cli, ["guess", "Trinh Thi Thu Lua", "acme.com", "--top", "1", "--no-roles",
                                      "--known", "Pham Van Binh <binhpv@acme.com>",
                                      "--known", "Dinh Thi Chau <chaudt@acme.com>"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("Learned from 2 known address(es): {first}{l}{mi} ")
    row = lines[4].split()
    assert (row[0], row[2]) == ("luattt@acme.com", "{first}{l}{mi}")
    assert lines[4].endswith("matches known binhpv@acme.com, chaudt@acme.com")


@pytest.mark.parametrize(
    ("name", "domain", "first", "last"),
    [
        # Two words: Vietnamese letters beside a Vietnamese family name say it is written first.
        ("Lê Khôi", "acme.vn", "khoi", "le"),
        ("Mai Nhiên", "acme.vn", "nhien", "mai"),
        ("Đặng Tú", "acme.com", "tu", "dang"),
        # …while a Mai of another custom stays a given name.
        ("Mai Andersen", "acme.com", "mai", "andersen"),
    ],
)
def test_two_word_vietnamese_names(name, domain, first, last):
    best = parse_name(name, domain=domain).best
    assert (best.first, best.last) == (first, last)


def test_a_vietnamese_names_two_given_names_are_its_last_two_words():
    readings = parse_name("Trinh Huu Duc Lam", domain="acme.vn").readings
    assert (readings[0].first, readings[0].middle) == ("lam", "huuduc")
    two = next(r for r in readings if "two given names" in r.notes)
    assert (two.first, two.middle) == ("duclam", "huu")  # not huuduclam
    # After Văn or Thị only the last word is: no reading joins Thi to the given name.
    assert all("thi" not in r.first for r in parse_name("Trinh Thi Lua", domain="acme.vn").readings)


def test_vietnamese_staff_may_have_a_format_of_their_own():
    known = ["Wang Fang <wangfang@acme.com>", "Zhang Min <zhangmin@acme.com>",
             "Pham Van Binh <binhpv@acme.com>", "Dinh Thi Chau <chaudt@acme.com>",
             "Carl Peters <carl.peters@acme.com>", "Oona Vettel <oona.vettel@acme.com>"]
    first = {name: reachout.guess(name, "acme.com", known=known, roles=False).personal[0].address
             for name in ("Nguyen Van Khoi", "Trinh Thi Thu Lua", "Liu Yang", "Brisk Hallam")}
    assert first == {"Nguyen Van Khoi": "khoinv@acme.com", "Trinh Thi Thu Lua": "luattt@acme.com",
                     "Liu Yang": "liuyang@acme.com", "Brisk Hallam": "brisk.hallam@acme.com"}
    learned = reachout.guess("Brisk Hallam", "acme.com", known=known, roles=False).learned
    assert set(learned.by_custom) == {"vietnamese", "east asian", "one surname"}


@pytest.mark.parametrize(
    ("name", "given", "share"),
    [
        # Another custom's given name before a Vietnamese middle name is the given name.
        ("Jennifer Anh Nguyen", "jennifer", 0.9),
        ("Peter Minh TRAN", "peter", 0.9),
        # Two Vietnamese names: either may be the one moved first (Minh Khai or Khai Minh).
        ("Minh Lua Nguyen", "minh", 0.55),
        ("Minh Lua NGUYEN", "lua", 0.65),
    ],
)
def test_which_word_of_a_reordered_vietnamese_name_is_the_given_name(name, given, share):
    best = parse_name(name).best
    assert best.first == given and best.weight > share
