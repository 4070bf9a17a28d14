"""Running asyncio code from synchronous callers (the command line, batch, plain Python)."""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterable, Awaitable, Callable
from typing import Any, TypeVar

T = TypeVar("T")


def run_sync(coro: Awaitable[T]) -> T:
    """Run CORO to completion from sync code, even when an event loop is already running here."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)  # type: ignore[arg-type]
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = asyncio.run(coro)  # type: ignore[arg-type]
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=target, name="reachout-dns")
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


def consume(items: AsyncIterable[T], each: Callable[[T], object]) -> None:
    """Call EACH on every item of the async stream ITEMS, as it comes, from sync code."""

    async def run() -> None:
        async with contextlib.aclosing(items):  # type: ignore[type-var]
            async for item in items:
                each(item)

    run_sync(run())
