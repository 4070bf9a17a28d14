"""Turn what a user types for a company (domain, URL, e-mail address, IDN) into a mail domain."""

from __future__ import annotations

import functools
import ipaddress
import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from reachout.errors import BadInput
from reachout.textinput import displayable, undecodable

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
# Names set aside for private networks (ICANN 2024 .internal; common .lan/.corp/.home use).
_PRIVATE_TLDS = frozenset({"internal", "lan", "corp", "home", "intranet", "private"})
_HINT = "pass a domain such as example.com, a URL such as https://example.com, or an address"


@functools.lru_cache(maxsize=1)
def _extractor() -> Any:
    import tldextract

    # The bundled Public Suffix List snapshot only: never a network fetch, never a cache write.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def looks_like_domain(text: str) -> bool:
    """True when TEXT is a domain, URL or address rather than a company's name."""
    text = (text or "").strip()
    if "://" in text or text.startswith("//") or "@" in text:
        return True
    if any(ch.isspace() for ch in text):
        return False
    # A special-use name (RFC 6761: localhost, test, invalid…) is a DNS name, never a company's.
    return "." in text or is_reserved(text.lower())


def to_ascii(domain: str) -> str:
    """The IDNA 2008 (A-label) form of a domain, for DNS and SMTP (UTS 46 mapping, as browsers do)."""
    import idna

    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise BadInput(f"{domain!r} is not a valid internationalised domain name; {_HINT}.") from None


def to_unicode(domain: str) -> str:
    """The Unicode (U-label) form of a domain, for display and addresses."""
    import idna

    try:
        return idna.decode(domain)
    except (idna.IDNAError, UnicodeError):
        return domain


def is_reserved(domain: str) -> bool:
    """True for special-use names (RFC 6761 and friends: .test, .local, .invalid…) that take no mail."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    labels = domain.lower().split(".")
    return any(".".join(labels[i:]) in SPECIAL_USE_DOMAIN_NAMES for i in range(len(labels))) or (
        labels[-1] in _PRIVATE_TLDS
    )


def _host_of(text: str) -> tuple[str, bool]:
    """The host part of TEXT and whether TEXT was an e-mail address (whose domain is kept whole)."""
    if _SCHEME.match(text) or text.startswith("//"):
        parts = urlsplit(text if not text.startswith("//") else "http:" + text)
        if parts.scheme.lower() not in {"http", "https"}:
            raise BadInput(f"{text!r} is not a web address; {_HINT}.")
        try:
            host = parts.hostname or ""
        except ValueError:
            host = ""
        return host, False
    if "@" in text:
        local, _, domain = text.rpartition("@")
        if not local or not domain:
            raise BadInput(f"{text!r} is not an e-mail address; {_HINT}.")
        return domain.strip("<> ").rstrip("."), True
    # A bare host, maybe with a path or port: "acme.com/about", "acme.com:8080".
    host = re.split(r"[/?#]", text, maxsplit=1)[0]
    if host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host, False


def validate_domain(domain: str, *, allow_private: bool = False) -> str:
    """Lower-case, NFC-normalise and check DOMAIN; return its Unicode form or raise BadInput.

    Special-use and private names (.test, .local, .internal…) are refused unless ALLOW_PRIVATE:
    they take no mail on the Internet, and our own tests are the only ones that serve them.
    """
    bad_bytes = undecodable(domain)
    if bad_bytes:
        raise BadInput(f"{displayable(domain)!r} cannot be a domain name: {bad_bytes}; {_HINT}.")
    domain = unicodedata.normalize("NFC", domain.strip().rstrip(".")).lower()
    if not domain:
        raise BadInput(f"No domain given; {_HINT}.")
    try:
        ipaddress.ip_address(domain.strip("[]"))
    except ValueError:
        pass
    else:
        raise BadInput(f"{domain!r} is an IP address, not a domain; {_HINT}.")
    ascii_form = to_ascii(domain)
    labels = ascii_form.split(".")
    if len(labels) < 2:
        raise BadInput(f"{domain!r} has no top-level domain; {_HINT}.")
    if len(ascii_form) > 253 or not all(_LABEL.match(label) for label in labels):
        raise BadInput(f"{domain!r} cannot be a domain name; {_HINT}.")
    if labels[-1].isdigit():
        raise BadInput(f"{domain!r} ends in a numeric label, so it cannot be a domain; {_HINT}.")
    if not allow_private and is_reserved(ascii_form):
        raise BadInput(
            f"{domain!r} is a special-use or private name that takes no mail on the Internet; {_HINT}."
        )
    return to_unicode(ascii_form)


def registrable_domain(host: str, *, allow_private: bool = False) -> str:
    """The registrable domain of HOST (www.shop.acme.co.uk → acme.co.uk) from the bundled PSL."""
    host = validate_domain(host, allow_private=allow_private)
    parts = _extractor()(to_ascii(host))
    if parts.suffix and parts.domain:
        return to_unicode(f"{parts.domain}.{parts.suffix}")
    if parts.suffix and not parts.domain:
        raise BadInput(f"{host!r} is a public suffix, not a company's domain; {_HINT}.")
    # An unlisted suffix (.test, .internal, a private TLD): keep the last two labels.
    return ".".join(host.split(".")[-2:])


# First labels of a URL's host that serve web pages, never mail (www.acme.com, careers.acme.com).
_WEB_ONLY_LABELS = frozenset({
    "www", "www1", "www2", "www3", "web", "m", "mobile", "careers", "career", "jobs", "job", "about",
    "blog", "news", "press", "shop", "store", "apply", "hiring", "work", "join", "team", "en", "home",
    "site", "portal", "info",
})


def _company_host(company: str) -> tuple[str, str, bool]:
    """(COMPANY stripped, its host, whether it was an address), or BadInput."""
    text = (company or "").strip()
    if not text:
        raise BadInput(f"No company given; {_HINT}.")
    if any(ch.isspace() for ch in text):
        raise BadInput(f"{text!r} contains spaces, so it is not a domain; {_HINT}.")
    host, is_address = _host_of(text)
    if not host:
        raise BadInput(f"{text!r} has no host name; {_HINT}.")
    return text, host, is_address


@dataclass(frozen=True)
class MailDomain:
    """The domain addresses are guessed at, and why it is that one."""

    domain: str
    reason: str = ""
    warning: str = ""


@functools.lru_cache(maxsize=4096)
def mail_domain(company: str, *, allow_private: bool = False) -> MailDomain:
    """The mail domain for COMPANY as the user gave it: subdomains are kept (us.ibm.com and
    cs.university.edu take mail of their own); only web-only hosts (www., careers.…) are dropped.
    A domain that only looks like Latin text (xn--pple-43d.com is аpple.com) says so in its warning."""
    chosen = _mail_domain(company, allow_private)
    from reachout.mail.lookalikes import domain_problems

    found = domain_problems(chosen.domain)
    if not found:
        return chosen
    lookalike = f"{chosen.domain} may be a look-alike: {found[0]}."
    return MailDomain(chosen.domain, chosen.reason, "; ".join(filter(None, [chosen.warning, lookalike])))


def _mail_domain(company: str, allow_private: bool) -> MailDomain:
    text, host, is_address = _company_host(company)
    host = validate_domain(host, allow_private=allow_private)
    if is_address:
        return MailDomain(host, f"the domain of the address {text}")
    labels = host.split(".")
    dropped: list[str] = []
    if labels[0] in _WEB_ONLY_LABELS:  # (the Public Suffix List is read only when it can matter)
        keep = len(registrable_domain(host, allow_private=allow_private).split("."))
        while len(labels) > keep and labels[0] in _WEB_ONLY_LABELS:
            dropped.append(labels.pop(0))
    domain = ".".join(labels)
    if dropped:
        return MailDomain(domain, f"{host} serves web pages ({'.'.join(dropped)}.), so mail is at {domain}")
    return MailDomain(domain)


@functools.lru_cache(maxsize=4096)
def company_domain(company: str, *, allow_private: bool = False) -> str:
    """The company's registrable domain for COMPANY: a domain, a URL (its registrable domain) or an
    address (its domain, whole). For the domain to guess addresses at, see mail_domain()."""
    _, host, is_address = _company_host(company)
    if is_address:
        return validate_domain(host, allow_private=allow_private)
    return registrable_domain(host, allow_private=allow_private)
