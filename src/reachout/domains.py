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
        try:
            parts = urlsplit(text if not text.startswith("//") else "http:" + text)
        except ValueError:  # an unbalanced "[" ("Invalid IPv6 URL")
            raise BadInput(f"{text!r} is not a well-formed web address; {_HINT}.") from None
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
    bad_bytes = undecodable(text)
    if bad_bytes:
        raise BadInput(f"{displayable(text)!r} cannot be a domain name: {bad_bytes}; {_HINT}.")
    if any(ch.isspace() for ch in text):
        raise BadInput(f"{text!r} contains spaces, so it is not a domain; {_HINT}.")
    host, is_address = _host_of(text)
    if not host:
        raise BadInput(f"{text!r} has no host name; {_HINT}.")
    return text, host, is_address


def _edits(a: str, b: str) -> int:
    """Edits from A to B: insert, delete, substitute, or swap two neighbouring letters (OSA)."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


@functools.lru_cache(maxsize=1)
def _known_tlds() -> frozenset[str]:
    return frozenset(s for s in _extractor().tlds if "." not in s)


def _typo_data(patterns: str | None = None) -> tuple[list[str], list[str]]:
    from reachout.data import load_toml

    data = load_toml("typed_domains", patterns)
    return [str(t) for t in data.get("common", [])], [str(t) for t in data.get("glued", [])]


def _likely_tld(tld: str) -> str | None:
    """The known TLD one edit away from TLD (the most used one on a tie), or None."""
    common, _ = _typo_data()
    close = [t for t in _known_tlds() if abs(len(t) - len(tld)) <= 1 and _edits(tld, t) == 1]
    if not close:
        return None
    rank = {t: i for i, t in enumerate(common)}
    return min(close, key=lambda t: (rank.get(t, len(rank)), len(t) != len(tld), t))


UNKNOWN_TLD = "is not a top-level domain"
# RFC 2606 §2: top-level names reserved for tests and documentation; no typo of anything.
_RFC2606 = frozenset({"test", "example", "invalid", "localhost"})


def tld_warning(domain: str, ascii_form: str | None = None) -> str:
    """A sentence when DOMAIN's top-level domain is not in the Public Suffix List (exmaple.cmo),
    naming the likely domain; "" when it is known, or a special-use name (.test, .internal).
    ASCII_FORM: DOMAIN's A-label form when the caller has it already."""
    ascii_form = ascii_form or (to_ascii(domain) if domain else "")
    tld = ascii_form.rsplit(".", 1)[-1].lower()
    # The most used TLDs first: they are known without reading the Public Suffix List (0.1 s,
    # which a command given example.com would otherwise wait for at start-up).
    if (not tld or "." not in ascii_form or tld in _typo_data()[0] or tld in _RFC2606
            or tld in _known_tlds() or is_reserved(ascii_form)):
        return ""
    likely = _likely_tld(tld)
    guess = f"; did you mean {to_unicode(ascii_form[: -len(tld)] + likely)}?" if likely else ""
    return f"{domain}: .{tld} {UNKNOWN_TLD} (Public Suffix List){guess}"


def typed_domain(text: str) -> str | None:
    """The domain TEXT was most likely meant to be when it is one typed without its dot
    ("examplecom", "example,com", "example;com"); None when TEXT is a name or a domain."""
    text = (text or "").strip()
    if not text or any(ch.isspace() for ch in text) or looks_like_domain(text):
        return None
    _, glued = _typo_data()
    parts = re.fullmatch(r"([\w-]+)[,;]([a-z]{2,63})", text, re.IGNORECASE)
    if parts and parts.group(2).lower() in _known_tlds():
        return f"{parts.group(1)}.{parts.group(2)}".lower()
    if text == text.lower():
        for tld in glued:
            stem = text[: -len(tld)]
            if text.endswith(tld) and len(stem) >= 2 and _LABEL.match(stem):
                return f"{stem}.{tld}"
    return None


def refuse_typed_domain(text: str) -> None:
    """BadInput when TEXT is a domain typed without its dot (see typed_domain), naming the fix."""
    meant = typed_domain(text)
    if meant:
        raise BadInput(f"{text!r} looks like the domain {meant} mistyped; pass "
                       f"{meant}, or write the company's name as it is spelled (capitalised).")


@dataclass(frozen=True)
class MailDomain:
    """The domain addresses are guessed at, why it is that one, and a warning when its top-level
    domain is unknown (a typo such as .cmo)."""

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
        return MailDomain(host, f"the domain of the address {text}", tld_warning(host))
    labels = host.split(".")
    dropped: list[str] = []
    if labels[0] in _WEB_ONLY_LABELS:  # (the Public Suffix List is read only when it can matter)
        keep = len(registrable_domain(host, allow_private=allow_private).split("."))
        while len(labels) > keep and labels[0] in _WEB_ONLY_LABELS:
            dropped.append(labels.pop(0))
    domain = ".".join(labels)
    warning = tld_warning(domain)
    if dropped:
        return MailDomain(domain, f"{host} serves web pages ({'.'.join(dropped)}.), so mail is at "
                                  f"{domain}", warning)
    return MailDomain(domain, warning=warning)


@functools.lru_cache(maxsize=4096)
def company_domain(company: str, *, allow_private: bool = False) -> str:
    """The company's registrable domain for COMPANY: a domain, a URL (its registrable domain) or an
    address (its domain, whole). For the domain to guess addresses at, see mail_domain()."""
    _, host, is_address = _company_host(company)
    if is_address:
        return validate_domain(host, allow_private=allow_private)
    return registrable_domain(host, allow_private=allow_private)
