"""Read an export in a second process, so that parsing overlaps with writing.

An import spends its time in two halves: reading XML and rendering comment HTML (pure
CPU, no database), and writing rows. A forked child does the first half and sends
records to the importer through a queue, in chunks. The importer writes in bursts, so
the child may run a few chunks ahead (QUEUED_CHUNKS); the bound keeps memory flat. The
child never touches the database.
"""

from __future__ import annotations

import multiprocessing
import queue
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from samizdat.interchange.wxr import WxrError

CHUNK_WEIGHT = 500  # records plus their comments sent per message
QUEUED_CHUNKS = 16  # how far the reader may run ahead of the importer


def weight(record: Any) -> int:
    return 1 + len(getattr(record, "comments", ()))


class BackgroundReader:
    """Iterate over ``reader``'s records, read in a forked process and passed to ``prepare``.

    ``skipped`` is the reader's own list once iteration ends. Where fork is not available,
    the records are read in this process.
    """

    def __init__(self, reader, prepare: Callable[[Any], None] | None = None):
        self.reader = reader
        self.prepare = prepare or (lambda record: None)
        self.skipped: list[str] = []

    def __iter__(self) -> Iterator[Any]:
        if "fork" not in multiprocessing.get_all_start_methods():
            for record in self.reader:
                self.prepare(record)
                yield record
            self.skipped = self.reader.skipped
            return
        context = multiprocessing.get_context("fork")
        chunks = context.Queue(maxsize=QUEUED_CHUNKS)
        child = context.Process(target=self._produce, args=(chunks,), daemon=True)
        child.start()
        try:
            while True:
                try:
                    kind, payload = chunks.get(timeout=1)
                except queue.Empty:
                    if child.is_alive():
                        continue
                    raise WxrError("The export reader stopped unexpectedly.") from None
                if kind == "records":
                    yield from payload
                elif kind == "done":
                    self.skipped = payload
                    return
                else:
                    raise payload
        finally:
            # The importer may stop early (an error, a closed generator): end the child.
            if child.is_alive():
                child.terminate()
            child.join()
            chunks.close()

    def _produce(self, chunks) -> None:
        """Run in the child: read, prepare and send records in chunks."""
        try:
            chunk: list[Any] = []
            size = 0
            for record in self.reader:
                self.prepare(record)
                chunk.append(record)
                size += weight(record)
                if size >= CHUNK_WEIGHT:
                    chunks.put(("records", chunk))
                    chunk, size = [], 0
            if chunk:
                chunks.put(("records", chunk))
            chunks.put(("done", self.reader.skipped))
        except WxrError as exc:
            chunks.put(("error", exc))
        except Exception as exc:
            chunks.put(
                (
                    "error",
                    RuntimeError(f"Reading the export failed: {exc!r}\n{traceback.format_exc()}"),
                )
            )
        finally:
            chunks.close()
            chunks.join_thread()
