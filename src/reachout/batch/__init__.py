"""Work through a target list: `run_batch(input, out=…)` — concurrent, resumable, in input order.

See reachout.batch.runner for the flow, reachout.batch.statefile for the state database and
reachout.batch.reader for the input formats.
"""

from __future__ import annotations

from reachout.batch.reader import COLUMN_ALIASES, InputFile, InputRow, open_input
from reachout.batch.results import ROW_STATUSES, BatchSummary, RowResult
from reachout.batch.runner import BatchInterrupted, iter_results, run_batch

__all__ = [
    "COLUMN_ALIASES",
    "ROW_STATUSES",
    "BatchInterrupted",
    "BatchSummary",
    "InputFile",
    "InputRow",
    "RowResult",
    "iter_results",
    "open_input",
    "run_batch",
]
