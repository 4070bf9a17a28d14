"""A draft as something a mail client opens: an unsent .eml message or a mailto: link. Never sent."""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import secrets
from email.headerregistry import Address
from email.message import EmailMessage
from typing import TYPE_CHECKING
from urllib.parse import quote

from reachout import __version__
from reachout.errors import BadInput

if TYPE_CHECKING:
    from reachout.followup.results import Draft

# Message-IDs share the calendar's domain: RFC 2606 reserves .invalid, so it can never clash with
# a real host, and no lookup of this machine's name (socket.getfqdn) is needed to make one.
MSGID_DOMAIN = "followup.reachout.invalid"


def split_address(text: str) -> tuple[str, str]:
    """(display name, addr-spec) from 'Name <a@b>' or 'a@b', the domain as IDNA A-labels, or
    BadInput. The local part is kept as typed (RFC 6531 allows UTF-8 there)."""
    name, addr = email.utils.parseaddr(text)
    local, at, domain = addr.rpartition("@")
    if not at or not local or not domain:
        raise BadInput(f"{text!r} is not an e-mail address; give one such as ana@example.com.")
    return name, f"{local}@{ascii_domain(domain)}"


def ascii_domain(domain: str) -> str:
    """DOMAIN in ASCII (IDNA 2008 A-labels: bücher.example → xn--bcher-kva.example), or BadInput."""
    if domain.isascii():
        return domain.lower()
    import idna

    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as exc:
        raise BadInput(f"{domain!r} is not a domain name a mail client can use ({exc}).") from None


def build_eml(
    draft: Draft, *, sender: str | None = None, now: dt.datetime, zone: dt.tzinfo
) -> bytes:
    """DRAFT as an RFC 5322 message marked unsent (X-Unsent: 1), which Outlook, Apple Mail and
    Thunderbird open as a draft to edit and send. SENDER ('Name <address>') fills From: when given;
    without it the mail client fills From: with the account that sends it."""
    to, address = draft.followup.to, draft.followup.address()
    addresses: list[tuple[str, str]] = []
    if to is not None and address:
        addresses.append((_plain(to.name), split_address(address)[1]))
    origin = split_address(sender) if sender else None
    # RFC 6532: an address whose local part is not ASCII needs UTF-8 headers (SMTPUTF8); any other
    # message stays 7-bit clean, with RFC 2047 encoded words for names and the subject.
    utf8 = any(not addr.isascii() for _, addr in addresses + ([origin] if origin else []))
    policy = (email.policy.SMTPUTF8 if utf8 else email.policy.default).clone(linesep="\r\n")
    message = EmailMessage(policy=policy)
    if origin is not None:
        message["From"] = _address(*origin)
    if addresses:
        message["To"] = [_address(name, addr) for name, addr in addresses]
    message["Subject"] = _plain(draft.subject)
    # RFC 5322 §3.6.1 and §3.6.4: the origination date and a unique Message-ID.
    message["Date"] = email.utils.format_datetime(now.astimezone(zone))
    # Short enough never to be folded onto a second line (make_msgid's often is): 64 random bits.
    message["Message-ID"] = f"<followup-{draft.followup.id}.{secrets.token_hex(8)}@{MSGID_DOMAIN}>"
    # Not a standard header, but the one Outlook and Apple Mail read to open a file as a draft.
    message["X-Unsent"] = "1"
    message["X-Mailer"] = f"reachout {__version__} (draft only; never sent by reachout)"
    message.set_content(draft.body + "\n", charset="utf-8", cte="quoted-printable")
    return message.as_bytes()


def mailto_uri(draft: Draft) -> str:
    """DRAFT as a mailto: URI (RFC 6068): the address, then subject and body, percent-encoded UTF-8,
    line breaks as %0D%0A. Without a known address it is 'mailto:?subject=…' (the client asks)."""
    address = draft.followup.address()
    addr = split_address(address)[1] if address else ""
    # RFC 6068 §2: in the addr-spec, "%", "/", "?", "#", "&" and "," (the list separator) and any
    # non-ASCII octet are percent-encoded; "@" stays as it is.
    target = quote(addr, safe="@!$'()*+;:=")
    body = "\r\n".join(draft.body.splitlines())  # §5: a line break in a body is %0D%0A
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in (
        ("subject", _plain(draft.subject)), ("body", body)
    ))
    return f"mailto:{target}?{query}"


def _address(name: str, addr: str) -> Address:
    local, _, domain = addr.rpartition("@")
    return Address(display_name=name, username=local, domain=domain)


def _plain(value: str) -> str:
    # A header value never holds a line break: it would start a header of its own (Bcc:…).
    return " ".join("".join(ch if ch.isprintable() else " " for ch in value).split())
