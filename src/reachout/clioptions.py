"""Click options shared by the commands that check domains and addresses (mx, verify, guess)."""

from __future__ import annotations

import math
from typing import Any

import click


class Seconds(click.FloatRange):
    """A FloatRange that also refuses nan and inf (a timeout of nan seconds is no timeout)."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a number of seconds; give a finite number.", param, ctx)
        return number


_DNS_HELP = (
    "Resolver to ask, IP or IP:PORT ([IPv6]:PORT); repeat for fallbacks. Env: REACHOUT_NAMESERVER."
)


def dns_options(func: Any) -> Any:
    """The DNS options shared by `mx`, `verify` and `guess --verify`."""
    func = click.option(
        "--no-cache", is_flag=True, help="Neither read nor write the DNS answer cache."
    )(func)
    func = click.option(
        "--allow-private",
        is_flag=True,
        help="Accept private/loopback addresses for mail servers and special-use test domains "
        "(for testing against local servers).",
    )(func)
    func = click.option(
        "--timeout", type=Seconds(min=0.05), default=5.0, show_default=True,
        help="Seconds to wait for each DNS answer, retries included.",
    )(func)
    func = click.option(
        "--nameserver", "nameservers", multiple=True, metavar="IP[:PORT]", help=_DNS_HELP
    )(func)
    return func


def smtp_options(func: Any) -> Any:
    """The SMTP probe options shared by `verify` and `guess --verify`."""
    options = [
        click.option("--smtp", is_flag=True,
                     help="Also ask the domain's mail server about each mailbox (RCPT TO; never "
                          "sends a message). Off by default: port 25 is often blocked."),
        click.option("--helo", envvar="REACHOUT_HELO", metavar="NAME",
                     help="Name to give in EHLO: your own host name. Default: this machine's "
                          "name if fully qualified, else its address literal. Env: REACHOUT_HELO."),
        click.option("--sender", default="", metavar="ADDRESS",
                     help="MAIL FROM address. Default: the null sender <>."),
        click.option("--smtp-timeout", type=Seconds(min=0.05), default=15.0,
                     show_default=True, help="Seconds to wait for each SMTP reply."),
        click.option("--smtp-interval", type=Seconds(min=0), default=1.0,
                     show_default=True,
                     help="Seconds between two sessions to the same mail server."),
        click.option("--greylist-wait", type=Seconds(min=0), default=0.0,
                     show_default=True,
                     help="On a temporary refusal (greylisting), wait this long and ask once "
                          "more; 0 reports it as greylisted."),
        click.option("--smtp-port", type=click.IntRange(1, 65535), default=25, show_default=True,
                     help="For tests against local servers only; real mail servers listen on 25."),
    ]
    for option in reversed(options):
        func = option(func)
    return func
