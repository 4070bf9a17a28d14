"""The brief's mail-setup facts come from DNS (the local NSD) and cite RFC 4501 DNS URIs."""

from __future__ import annotations

import json

from click.testing import CliRunner

from reachout.cli import cli


def brief(site, nameserver, *extra):
    argv = ["brief", site.url("acme.test"), "--allow-private", "--format", "json",
            "--nameserver", nameserver, *extra]
    for entry in site.resolve("acme.test"):
        argv += ["--resolve", entry]
    return CliRunner().invoke(cli, argv)


def test_mail_provider_and_spf_services_are_facts(site, nameserver):
    result = brief(site, nameserver)
    assert result.exit_code == 0, result.output
    facts = {f["key"]: f for f in json.loads(result.stdout)["facts"] if f["kind"] == "mail"}
    assert facts["mail_provider"]["value"] == "self-hosted"  # mx1/mx2.acme.test
    assert facts["mail_provider"]["source"] == "dns:acme.test?type=MX"
    services = facts["spf_services"]["value"]
    assert "Greenhouse" in services and "Workday" in services
    assert facts["spf_services"]["source"] == "dns:acme.test?type=TXT"


def test_markdown_shows_the_mail_setup(site, nameserver):
    result = brief(site, nameserver, "--format", "md")
    assert result.exit_code == 0
    assert "self-hosted" in result.stdout and "Greenhouse" in result.stdout
    # A DNS URI is named, not linked: no browser opens it, and a link to "#" would cite nothing.
    assert "- **Mail provider:** self-hosted (source: `dns:acme.test?type=MX`)" in result.stdout
    assert "](#)" not in result.stdout


def test_no_mail_makes_no_dns_lookups(site, dead_nameserver):
    result = brief(site, dead_nameserver, "--no-mail")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert not [f for f in data["facts"] if f["kind"] == "mail"]
    assert not any("Mail setup" in n for n in data.get("notes", []))


def test_unreachable_resolver_costs_only_the_mail_facts(site, dead_nameserver):
    result = brief(site, dead_nameserver, "--format", "json", "--timeout", "1")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["company"]["name"] == "Acme Anvils"
    assert not [f for f in data["facts"] if f["kind"] == "mail"]
    assert "note: Mail setup could not be checked: DNS gave no answer for acme.test (timeout" in result.stderr
