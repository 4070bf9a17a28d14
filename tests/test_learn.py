"""Learning a domain's format from known addresses."""

from __future__ import annotations

import pytest

from reachout.errors import BadInput
from reachout.guessing import infer_domain_format, parse_known, read_known_file
from reachout.guessing.learn import reading_weights
from reachout.guessing.names import parse_name


def top(domain_format, n=1):
    return [f.pattern for f in domain_format.formats[:n]]


def prob(domain_format, pattern):
    return next(f.probability for f in domain_format.formats if f.pattern == pattern)


def test_no_evidence_is_the_prior():
    learned = infer_domain_format("acme.com", [])
    assert top(learned) == ["{first}.{last}"]
    assert sum(f.probability for f in learned.formats) == pytest.approx(1)


def test_one_example_moves_a_lot_but_keeps_alternatives():
    learned = infer_domain_format("acme.com", [("Alice Smith", "asmith@acme.com")])
    assert top(learned) == ["{f}{last}"]
    # One address cannot tell a consistent domain from a mixed one: it moves the ranking by the average.
    assert 0.45 < prob(learned, "{f}{last}") < 0.8
    assert 0.05 < prob(learned, "{first}.{last}") < 0.25
    assert learned.formats[0].support == ["asmith@acme.com"]


def test_two_examples_are_stronger_than_one():
    one = infer_domain_format("acme.com", [("Alice Smith", "alice@acme.com")])
    two = infer_domain_format("acme.com", [("Alice Smith", "alice@acme.com"), ("Bo Li", "bo@acme.com")])
    assert prob(two, "{first}") > prob(one, "{first}") > 0.6


def test_mixed_format_domain_keeps_both():
    learned = infer_domain_format(
        "acme.com", [("Alice Smith", "asmith@acme.com"), ("Carl Peters", "carl.peters@acme.com")]
    )
    assert set(top(learned, 2)) == {"{f}{last}", "{first}.{last}"}
    assert prob(learned, "{f}{last}") > 0.3 and prob(learned, "{first}.{last}") > 0.3


def test_constant_suffix_format_nobody_lists():
    # One person's odd address is a candidate, but may be theirs alone (an alias, a contractor's mark):
    # it stays behind the format it varies, which it also supports.
    learned = infer_domain_format("parl.example", [("Alice Smith", "alice.smith.mp@parl.example")])
    assert top(learned, 2) == ["{first}.{last}", "{first}.{last}.mp"]
    novel = learned.formats[1]
    assert not novel.listed and 0.15 < novel.probability < 0.5
    two = infer_domain_format("parl.example", [("Alice Smith", "alice.smith.mp@parl.example"),
                                               ("Bob Stone", "bob.stone.mp@parl.example")])
    assert two.formats[0].pattern == "{first}.{last}.mp" and two.formats[0].probability > 0.5


def test_constant_prefix_format():
    learned = infer_domain_format("acme.com", [("Alice Smith", "ext-asmith@acme.com")])
    assert "ext-{f}{last}" in top(learned, 3) and prob(learned, "ext-{f}{last}") > 0.1
    two = infer_domain_format("acme.com", [("Alice Smith", "ext-asmith@acme.com"),
                                           ("Bob Stone", "ext-bstone@acme.com")])
    assert top(two) == ["ext-{f}{last}"]


def test_truncated_surname():
    # One cut address is learned, but it may be one person's exception: the common formats keep weight.
    one = infer_domain_format("acme.com", [("Alice Smithson", "asmithso@acme.com")])
    cut = next(f for f in one.formats if f.pattern == "{f}{last:7}")
    assert "{f}{last:7}" in top(one, 3) and cut.probability > 50 * cut.prior
    two = infer_domain_format("acme.com", [("Alice Smithson", "asmithso@acme.com"),
                                           ("Robert Johnstone", "rjohnsto@acme.com")])
    assert top(two) == ["{f}{last:7}"] and prob(two, "{f}{last:7}") > 0.5


def test_trailing_digits_count_as_the_base_format():
    learned = infer_domain_format("acme.com", [("Alice Smith", "asmith2@acme.com")])
    assert top(learned) == ["{f}{last}"]
    assert "trailing digits" in learned.known[0]["notes"][0]


def test_nickname_address_is_explained():
    learned = infer_domain_format("acme.com", [("Robert Smith", "bob.smith@acme.com")])
    assert top(learned) == ["{first}.{last}"]


def test_other_domains_and_unexplained_addresses_are_reported():
    learned = infer_domain_format(
        "acme.com", [("Alice Smith", "asmith@other.com"), ("Alice Smith", "zz9plural@acme.com")]
    )
    assert any("not at acme.com" in n for n in learned.notices)
    assert any("No format explains" in n for n in learned.notices)
    assert learned.evidence == 0
    assert top(learned) == ["{first}.{last}"]


def test_parse_known_forms():
    assert parse_known("Alice Smith <ASmith@Acme.com>").address == "asmith@acme.com"
    assert parse_known("Alice Smith, asmith@acme.com").name == "Alice Smith"
    for bad in ["Alice Smith", "Alice <not-an-address>", "<a@b.com"]:
        with pytest.raises(BadInput):
            parse_known(bad)


def test_known_file_lines_and_csv():
    lines = read_known_file("# team\nAlice Smith <asmith@acme.com>\n\nBo Li <bli@acme.com>\n")
    assert [k.address for k in lines] == ["asmith@acme.com", "bli@acme.com"]
    csv_rows = read_known_file("First Name,Last Name,Email\nAlice,Smith,asmith@acme.com\n")
    assert csv_rows[0].name == "Alice Smith"
    with pytest.raises(BadInput, match="Line 2"):
        read_known_file("name,email\nAlice Smith,\n")


def test_mixed_domain_keeps_formats_in_proportion():
    learned = infer_domain_format("acme.com", [
        ("Alice Smith", "alice.smith@acme.com"), ("Carl Peters", "carl.peters@acme.com"),
        ("Dana Scott", "dana.scott@acme.com"), ("Eve Li", "eli@acme.com"),
    ])
    # Three of four use {first}.{last}: the domain is mixed, so the other format keeps some weight too.
    assert 0.5 < prob(learned, "{first}.{last}") < 0.8
    assert top(learned, 2) == ["{first}.{last}", "{f}{last}"] and 0.05 < prob(learned, "{f}{last}") < 0.35


def test_spelling_conventions_are_learned_and_applied():
    from reachout.guessing import guess

    dutch = guess("Piet de Vries", "acme.nl", known=["Jan van der Berg <jan.berg@acme.nl>"], roles=False)
    # The address counts fully less the small chance that it is an alias.
    assert dutch.learned.conventions["particles"] == pytest.approx({"dropped": 1.0}, abs=0.02)
    assert dutch.personal[0].address == "piet.vries@acme.nl"
    assert guess("Piet de Vries", "acme.nl", roles=False).personal[0].address == "piet.devries@acme.nl"

    plain = guess("Jürgen Müller", "acme.de", known=["Björn Körbel <bjorn.korbel@acme.de>"], roles=False)
    assert plain.personal[0].address == "jurgen.muller@acme.de"
    expanded = guess("Jürgen Müller", "acme.de", known=["Björn Körbel <bjoern.koerbel@acme.de>"],
                     roles=False)
    assert expanded.personal[0].address == "juergen.mueller@acme.de"


def test_conventions_learn_from_names_with_a_real_choice():
    learned = infer_domain_format("acme.com", [("Alice Smith", "asmith@acme.com")])
    # Alice Smith's family-name-first reading was never a real possibility: her given-name-first address
    # says next to nothing of how the domain orders Wang Xiuying's name.
    wang = parse_name("Wang Xiuying", domain="acme.com", complete=True)
    assert family_first(reading_weights(wang.readings, learned.shifts), wang) == pytest.approx(
        family_first([r.weight for r in wang.readings], wang), abs=0.02)
    assert learned.convention_summary() == ""
    chinese = infer_domain_format("acme.com", [("Lin Xiuying", "xiuying.lin@acme.com")])
    # xiuying.lin@ confirms what her name made likely (family name first, 73 %: Lin is a given name
    # too): a Lin Wei (5 % by name at a .com) is now twice as likely family name first.
    assert chinese.shifts["order"]["family first"] > 0.5
    wang_wei = parse_name("Lin Wei", domain="acme.com", complete=True)
    assert family_first(reading_weights(wang_wei.readings, chinese.shifts), wang_wei) > 1.8 * family_first(
        [r.weight for r in wang_wei.readings], wang_wei)


def family_first(weights, name):
    return sum(w for w, r in zip(weights, name.readings, strict=True)
               if ("order", "family first") in r.conventions)


def test_known_addresses_at_test_domains_only_when_allowed():
    with pytest.raises(BadInput, match="special-use"):
        parse_known("Jane Doe <Jane.Doe@acme.test>")
    assert parse_known("Jane Doe <Jane.Doe@acme.test>", allow_private=True).address == "jane.doe@acme.test"
    with pytest.raises(BadInput):
        parse_known("Jane Doe <jane..doe@acme.test>", allow_private=True)


def test_known_file_with_other_headers_and_separators():
    rows = read_known_file("Full Name;E-mail Address;Title\nAlice Smith;asmith@acme.com;CTO\n")
    assert [(k.name, k.address) for k in rows] == [("Alice Smith", "asmith@acme.com")]
    rows = read_known_file("Given name\tSurname\tWork email\nBo\tLi\tbli@acme.com\n")
    assert rows[0].name == "Bo Li"


# --- issue 23: disagreeing addresses, formats per naming custom, aliases, invented formats, numbers ---


def test_disagreeing_addresses_keep_every_format_and_the_priors():
    learned = infer_domain_format("acme.com", [
        ("Oona Vettel", "vettel@acme.com"), ("Brisk Hallam", "bhallam@acme.com"),
        ("Tamsin Quarle", "tquar@acme.com"),
    ])
    assert "{f}{last}" in top(learned, 2)
    # A mixed domain: no format is near certain, and the unseen common one keeps real weight.
    assert learned.formats[0].probability < 0.65
    assert prob(learned, "{first}.{last}") > 0.05


def test_agreeing_addresses_are_near_certain():
    learned = infer_domain_format("acme.com", [
        ("Oona Vettel", "ovettel@acme.com"), ("Brisk Hallam", "bhallam@acme.com"),
        ("Tamsin Quarle", "tquarle@acme.com"),
    ])
    assert top(learned) == ["{f}{last}"] and prob(learned, "{f}{last}") > 0.75


def test_a_format_per_naming_custom_when_two_people_show_it():
    from reachout.guessing import guess

    known = ["Wang Fang <wangfang@acme.com>", "Zhang Min <zhangmin@acme.com>",
             "Carl Peters <carl.peters@acme.com>", "Oona Vettel <oona.vettel@acme.com>"]
    assert guess("Liu Yang", "acme.com", known=known, roles=False).personal[0].address == "liuyang@acme.com"
    other = guess("Brisk Hallam", "acme.com", known=known, roles=False)
    assert other.personal[0].address == "brisk.hallam@acme.com"
    assert set(other.learned.by_custom) == {"east asian", "one surname"}


def test_customs_that_agree_keep_one_format():
    learned = infer_domain_format("acme.com", [
        ("Carl Peters", "cpeters@acme.com"), ("Oona Vettel", "ovettel@acme.com"),
        ("Wang Fang", "fwang@acme.com"), ("Zhang Min", "mzhang@acme.com"),
    ])
    shares, _ = learned.shares("east asian")
    assert max(shares, key=shares.__getitem__) == "{f}{last}"
    assert shares["{f}{last}"] > 0.8


def test_one_rare_address_moves_the_ranking_less_than_a_common_one():
    from reachout.guessing import guess

    rare = guess("Jane Doe", "acme.com", known=["Oona Vettel <vettelo@acme.com>"], roles=False)
    common = guess("Jane Doe", "acme.com", known=["Oona Vettel <ovettel@acme.com>"], roles=False)
    assert common.personal[0].address == "jdoe@acme.com"
    assert rare.personal[0].confidence < 0.5 < common.personal[0].confidence
    # The common formats stay among the first candidates after one address in a rare one.
    assert {"jane.doe@acme.com", "jdoe@acme.com"} <= {c.address for c in rare.personal[:4]}


def test_an_address_no_format_explains_counts_as_an_alias():
    one = infer_domain_format("acme.com", [("Oona Vettel", "zx9q@acme.com")])
    assert one.unlisted > 0.1 and top(one) == ["{first}.{last}"]


def test_an_invented_format_from_one_person_stays_out_of_the_top_three():
    from reachout.guessing import guess

    result = guess("Jane Doe", "acme.com", known=["Oona Vettel <oonvetee@acme.com>"], roles=False)
    assert all("ee" not in c.pattern for c in result.personal[:3])


def test_labels_show_only_the_parts_the_person_has():
    from reachout.guessing import compile_template, parse_name

    jane = parse_name("Jane Doe").best
    assert compile_template("{first}.{m}.{last}").label(jane) == "{first}.{last}"
    assert compile_template("{first}{last:1}{m}").label(jane) == "{first}{last:1}"
    assert compile_template("{m}.{last}").label(jane) == "{last}"
    alice = parse_name("Jane Alice Doe").best  # a middle name (Anna Maria may be one given name)
    assert compile_template("{first}.{m}.{last}").label(alice) == "{first}.{m}.{last}"


def test_numbers_after_the_format_rank_the_plain_form_first_and_say_so():
    from reachout.guessing import guess

    known = ["Oona Vettel <ovettel2@acme.com>", "Brisk Hallam <bhallam@acme.com>",
             "Tamsin Quarle <tamsin.quarle.4@acme.com>"]
    result = guess("Jane Doe", "acme.com", known=known, roles=False)
    best = result.personal[0]
    assert best.address == "jdoe@acme.com"
    assert any(r.startswith("a number may follow: 2 of 3 known") for r in best.reasons)
    learned = infer_domain_format("acme.com", [("Tamsin Quarle", "tamsin.quarle.4@acme.com")])
    assert top(learned) == ["{first}.{last}"]


def test_a_namesakes_variant_is_evidence_for_the_format_it_varies():
    for name, address in [("Oona Vettel", "oxvettel@acme.com"), ("Oona Vettel", "oovettel@acme.com")]:
        learned = infer_domain_format("acme.com", [(name, address)])
        assert "{f}{last}" in top(learned, 2), address
        assert any("namesake" in note for note in learned.known[0]["notes"])


def test_two_surname_formats_have_their_own_priors_where_names_carry_two_surnames():
    from reachout.guessing import guess
    from reachout.guessing.formats import format_region, load_formats

    assert format_region("uni.example.es") == format_region("acme.com.mx") == "spanish"
    assert format_region("acme.com") is None
    spanish, plain = load_formats(region="spanish").priors, load_formats().priors
    assert spanish["{f}{last}{l2}"] > 5 * plain["{f}{last}{l2}"]
    known = ["Marta Olaizola Ferrán <molaizolaf@uni.example.es>"]
    result = guess("Adela Barrena Pascual", "uni.example.es", known=known, roles=False)
    assert result.personal[0].address == "abarrenap@uni.example.es"


def test_learned_json_reports_aliases_customs_and_numbers():
    learned = infer_domain_format("acme.com", [
        ("Wang Fang", "wangfang@acme.com"), ("Zhang Min", "zhangmin@acme.com"),
        ("Carl Peters", "carl.peters2@acme.com"), ("Oona Vettel", "zq77@acme.com"),
    ])
    data = learned.to_dict()
    assert 0.1 < data["unlisted"] < 0.5
    assert set(data["by_custom"]) == {"east asian", "one surname"}
    assert data["numbered"] == ["carl.peters2@acme.com"]
    assert any("counts as an alias" in n for n in data["notices"])


def test_two_surname_people_and_one_surname_people_each_get_their_format():
    from reachout.guessing import guess

    known = ["Marta Olaizola Ferrán <molaizolaf@uni.example.es>",
             "Albert Zubiri Bellot <azubirib@uni.example.es>", "Jon Irigoyen <jirigoyen@uni.example.es>"]
    two = guess("Adela Barrena Pascual", "uni.example.es", known=known, roles=False).personal[0]
    one = guess("Iker Goñi", "uni.example.es", known=known, roles=False).personal[0]
    assert (two.address, two.pattern) == ("abarrenap@uni.example.es", "{f}{last}{l2}")
    assert (one.address, one.pattern) == ("igoni@uni.example.es", "{f}{last}")  # the label fits him


def test_addresses_with_a_middle_initial_the_names_lack_teach_the_format():
    """dwsmith@, aklee@, bxpark@ for names shown without a middle name: a domain that writes a middle
    initial, not three aliases (an alias is no likelier than a format to carry a letter the name lacks)."""
    from reachout.guessing import guess

    known = ["David Smith <dwsmith@acme.com>", "Ann Lee <aklee@acme.com>", "Bo Park <bxpark@acme.com>"]
    learned = infer_domain_format("acme.com", [tuple(k[:-1].split(" <")) for k in known])
    assert top(learned) == ["{f}{m}{last}"] and prob(learned, "{f}{m}{last}") > 0.45
    assert learned.unlisted < 0.15
    assert guess("Jane Q. Roe", "acme.com", known=known, roles=False).personal[0].address == "jqroe@acme.com"
    # One such address may be a namesake's second initial at an {f}{last} domain.
    assert top(infer_domain_format("acme.com", [("David Smith", "dwsmith@acme.com")])) == ["{f}{last}"]


def test_the_format_that_explains_every_address_wins_over_a_likelier_reading_of_one():
    """gengb@ is {first}{l} if Geng Bo is written given name first (the likelier reading by name) and
    {last}{f} if family name first; miaoxl@ is {last}{f} either way. One format for both is the better
    explanation of the two, though no single address says so."""
    from reachout.guessing import guess

    known = ["Xue-lan Miao <miaoxl@acme.com>", "Geng Bo <gengb@acme.com>"]
    learned = infer_domain_format("acme.com", [tuple(k[:-1].split(" <")) for k in known])
    assert top(learned) == ["{last}{f}"]
    found = guess("Pang Dongwei", "acme.com", known=known, roles=False, top=2).personal
    assert found[0].address in {"pangdw@acme.com", "pangd@acme.com"}
