"""The load generator: sequenced writes through the service address, every answer logged.

One write = one autocommit `INSERT … RETURNING` of (run, seq); the server fills in its own address
(`node`) and commit-side time. A write counts as acknowledged only when the INSERT returned: then
the line `{"seq", "sent", "ack", "node"}` is appended (and flushed) to `writes.jsonl` before the next
write. A write that fails or gets no answer within the timeout is logged with its error and never
retried under the same seq, so a duplicate seq can only come from the database itself.

A write that hangs (a primary cut off from its synchronous standby waits for it forever) is
abandoned with its connection and its worker thread; the next write uses a fresh connection.
Writes are paced at `rate` per second; after a failure the next one follows after `backoff`, so
the first acknowledged write on a new primary is seen within a fraction of a second.
"""

from __future__ import annotations

import json
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

INSERT = "INSERT INTO drill_writes (run, seq) VALUES (%s, %s) RETURNING host(node)"


@dataclass(slots=True)
class _Worker:
    """One connection, used from its own thread, so a hung write can be walked away from."""

    conninfo: str
    jobs: queue.Queue[tuple[str, int, queue.Queue[tuple[str, Any]]]] = field(default_factory=queue.Queue)
    conn: Any = None

    def __post_init__(self) -> None:
        threading.Thread(target=self._loop, daemon=True).start()

    def _loop(self) -> None:
        import psycopg  # the drill's only driver; imported here so the CLI starts without it

        while True:
            run, seq, reply = self.jobs.get()
            try:
                if self.conn is None or self.conn.closed:
                    self.conn = psycopg.connect(self.conninfo, autocommit=True)
                row = self.conn.execute(INSERT, (run, seq)).fetchone()
                reply.put(("ok", row[0] if row else None))
            except Exception as e:  # every failure is an outcome to log, never a crash of the generator
                reply.put(("error", f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"))
                try:
                    if self.conn is not None:
                        self.conn.close()
                except Exception:
                    pass
                self.conn = None

    def write(self, run: str, seq: int, timeout: float) -> tuple[str, Any]:
        reply: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.jobs.put((run, seq, reply))
        try:
            return reply.get(timeout=timeout)
        except queue.Empty:
            return ("timeout", f"no answer in {timeout:.1f}s")


def generate(
    conninfo: str,
    run: str,
    log: Path,
    *,
    rate: float,
    timeout_s: float,
    stop: Callable[[], bool],
    backoff_s: float = 0.1,
    max_seconds: float = 3600.0,
) -> dict[str, int]:
    """Write until `stop()` (or `max_seconds`); counts of outcomes."""
    counts = {"ok": 0, "error": 0, "timeout": 0}
    interval = 1.0 / rate
    worker = _Worker(conninfo)
    seq = 0
    t_end = time.monotonic() + max_seconds
    next_at = time.monotonic()
    with log.open("a", encoding="utf-8") as f:
        while not stop() and time.monotonic() < t_end:
            now = time.monotonic()
            if now < next_at:
                time.sleep(min(next_at - now, 0.05))
                continue
            seq += 1
            sent = time.time()
            outcome, detail = worker.write(run, seq, timeout_s)
            at = time.time()
            counts[outcome] += 1
            row: dict[str, Any] = {"seq": seq, "sent": round(sent, 6)}
            if outcome == "ok":
                row.update(ack=round(at, 6), node=detail)
                next_at += interval
                if next_at < time.monotonic() - 1:  # fell behind after an outage: do not burst
                    next_at = time.monotonic()
            else:
                row.update(error=detail, outcome=outcome, at=round(at, 6))
                next_at = time.monotonic() + backoff_s
                if outcome == "timeout":
                    worker = _Worker(conninfo)  # the old one may hang forever; leave it
            f.write(json.dumps(row, sort_keys=True) + "\n")
            f.flush()
    return counts


def run_until_signalled(conninfo: str, run: str, log: Path, *, rate: float, timeout_s: float) -> dict[str, int]:
    """The `govcloud drill load` process: writes until SIGTERM or SIGINT."""
    stopping = threading.Event()

    def _stop(_sig: int, _frame: object) -> None:
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    return generate(conninfo, run, log, rate=rate, timeout_s=timeout_s, stop=stopping.is_set)
