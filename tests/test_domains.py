"""Company input → mail domain."""

from __future__ import annotations

import pytest

from reachout.domains import company_domain, to_ascii
from reachout.errors import BadInput


@pytest.mark.parametrize(
    ("company", "domain"),
    [
        ("acme.com", "acme.com"),
        ("ACME.COM.", "acme.com"),
        ("www.acme.com", "acme.com"),
        ("https://www.Acme.com/about?x=1", "acme.com"),
        ("http://shop.acme.co.uk:8080/path#frag", "acme.co.uk"),
        ("//acme.com/jobs", "acme.com"),
        ("acme.com/careers", "acme.com"),
        ("jane@acme.com", "acme.com"),
        ("jane@eu.acme.com", "eu.acme.com"),
        ("münchen.de", "münchen.de"),
        ("xn--mnchen-3ya.de", "münchen.de"),
        ("https://www.bücher.de/", "bücher.de"),
        ("acme.io", "acme.io"),
    ],
)
def test_company_domain(company, domain):
    assert company_domain(company) == domain


@pytest.mark.parametrize(
    "bad",
    ["", "  ", "localhost", "acme", "1.2.3.4", "[::1]", "a..b", "-acme.com", "acme-.com", "co.uk",
     "ftp://acme.com", "mailto:", "acme.test", "printer.local", "x.internal", "a.invalid", "acme com",
     "@acme.com", "jane@", "x" * 64 + ".com", "acme.123",
     "http://[::1", "https://[acme.com]/", "//[x"],  # urlsplit's "Invalid IPv6 URL"
)
def test_bad_company_is_a_clear_error(bad):
    with pytest.raises(BadInput) as info:
        company_domain(bad)
    assert "example.com" in str(info.value)


def test_ascii_form_for_dns():
    assert to_ascii("münchen.de") == "xn--mnchen-3ya.de"


def test_private_names_only_when_allowed():
    assert company_domain("http://acme.test:8080/", allow_private=True) == "acme.test"
