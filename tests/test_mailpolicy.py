"""SPF includes, DMARC records and provider names."""

from __future__ import annotations

from reachout.mail.policy import find_spf, parse_dmarc, provider_for, spf_includes, spf_services


def test_spf_includes_and_services():
    record = (
        "v=spf1 ip4:1.2.3.4 include:_spf.google.com ~include:lever.co redirect=_spf.x.test -all"
    )
    assert spf_includes(record) == ["_spf.google.com", "lever.co", "_spf.x.test"]
    assert [(s.name, s.kind) for s in spf_services(spf_includes(record))] == [
        ("Google Workspace", "email"),
        ("Lever", "ats"),
    ]
    assert spf_includes("v=spf1 include:%{d}.spf.example -all") == []


def test_two_spf_records_mean_none():
    # RFC 7208 §4.5: more than one record is a permanent error.
    assert find_spf(["v=spf1 -all", "v=spf1 +all"]) is None
    assert find_spf(["hello", "V=SPF1 -all"]) == "V=SPF1 -all"


def test_dmarc_parsing():
    dmarc = parse_dmarc(["v=DMARC1; p=quarantine; pct=25"], "_dmarc.a.test")
    assert dmarc is not None
    assert (dmarc.policy, dmarc.subdomain_policy, dmarc.percent) == ("quarantine", "quarantine", 25)
    assert parse_dmarc(["v=DMARC1; p=bogus"], "x") is None
    assert parse_dmarc(["v=DMARC1; p=bogus; rua=mailto:a@b.test"], "x").policy == "none"


def test_provider_names():
    assert provider_for(["alt1.aspmx.l.google.com"], "a.test") == "Google Workspace"
    assert provider_for(["a-b.mail.protection.outlook.com"], "a.test") == "Microsoft 365"
    assert provider_for(["mail.a.test"], "a.test") == "self-hosted"
    assert provider_for(["mx.hoster.example"], "a.test") is None


def test_every_spf_include_in_the_data_file_names_its_service():
    from reachout.data import load_toml

    table = load_toml("spf_services")["services"]
    kinds = {"ats", "hr", "email", "marketing", "crm", "support", "transactional", "other"}
    for include, entry in table.items():
        [service] = spf_services([include])
        assert (service.name, service.kind) == (entry["name"], entry["kind"])
        assert service.kind in kinds
