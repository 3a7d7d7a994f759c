"""CPU time of every process an import runs on: this one, its extraction workers, and
the Postgres backends serving its database.

On a shared machine wall time says how busy the neighbours were; CPU time says what
the import itself cost. Summed per article and per process it gives the rate the same
work would reach on idle cores (`modelled_rate`), which is what the targets are about.

Neither Postgres backends nor extraction workers (forked by a fork server, so not this
process's children) show in Python's own clocks. A sampling thread reads their CPU time
from `/proc/<pid>/stat`: backends found by their command line (`postgres: ...
<database> ...`), workers as descendants of this process. A process that exits during
the run (a pool's worker, a worker's connection) counts up to its last sample, a fifth
of a second before at most; pools' workers sit idle by then.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path


def _cpu_seconds(pid: int) -> float | None:
    """CPU seconds of a process (all its threads), None once it is gone.

    From the scheduler's own nanosecond count (`schedstat`): the user and system times
    of `/proc/<pid>/stat` are sampled at clock ticks, which mis-charges a backend whose
    bursts last a few milliseconds each."""
    total = 0
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            total += int((task / "schedstat").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total / 1e9


def _postgres_pids(database: str) -> list[int]:
    """Backends (and autovacuum workers) of `database`: their title names it."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres:") and f" {database} ".encode() in title:
            pids.append(int(entry.name))
    return pids


def _descendants(root: int) -> list[int]:
    """Every process below `root`, by the parent pid in `/proc/<pid>/stat`."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    found, frontier = [], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


@dataclass(slots=True)
class CpuUse:
    """CPU seconds spent during a measured block, by process."""

    own: float = 0.0
    """This process: the reading, storing and bookkeeping of an import."""
    children: float = 0.0
    """Processes below this one: extraction workers (their start-up included) and the
    fork server, or `demarche worker` processes with theirs."""
    postgres: float = 0.0
    """Backends of the measured database."""
    wall: float = 0.0

    @property
    def total(self) -> float:
        return self.own + self.children + self.postgres


@dataclass(slots=True)
class CpuMeter:
    """Measures `CpuUse` of a block: `with CpuMeter(database) as meter: ...; meter.use`."""

    database: str
    interval: float = 0.2
    use: CpuUse = field(default_factory=CpuUse)
    _baseline: dict[int, float] = field(default_factory=dict)
    _latest: dict[int, float] = field(default_factory=dict)
    _postgres: set[int] = field(default_factory=set)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _start: tuple[float, float] = (0.0, 0.0)
    _sampling: float = 0.0
    """CPU time of the sampling thread, taken off this process's."""

    def _pids(self) -> list[int]:
        backends = _postgres_pids(self.database)
        self._postgres.update(backends)
        return backends + _descendants(os.getpid())

    def _sample(self) -> None:
        for pid in self._pids():
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                self._baseline.setdefault(pid, 0.0)
                self._latest[pid] = seconds

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self._sample()
        self._sampling = time.thread_time()

    def so_far(self) -> tuple[float, float]:
        """CPU seconds of the other processes and of Postgres since the block began, as
        of the last sample: read during a long run to split it by stretches."""
        spent = {pid: self._latest[pid] - self._baseline[pid] for pid in list(self._latest)}
        postgres = sum(v for pid, v in spent.items() if pid in self._postgres)
        return sum(spent.values()) - postgres, postgres

    def __enter__(self) -> CpuMeter:
        for pid in self._pids():
            seconds = _cpu_seconds(pid)
            if seconds is not None:
                self._baseline[pid] = self._latest[pid] = seconds
        self._start = (time.perf_counter(), time.process_time())
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        wall, own = self._start
        self.use.wall = time.perf_counter() - wall
        own = time.process_time() - own
        self._sample()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        self.use.own = own - self._sampling
        self.use.children, self.use.postgres = self.so_far()


def modelled_rate(
    *, articles: int, extraction: float, storing: float, postgres: float, processes: int, cores: int
) -> float:
    """Articles per second on `cores` idle cores, from CPU seconds spent per stage.

    `extraction` ran in `processes` worker processes (0: in the storing process, where
    it is counted in `storing`); the storing process and its backend take turns, so
    their sum bounds the rate, as each worker's share of extraction and the cores' total
    do.
    """
    per = 1 / articles
    bounds = [cores / ((extraction + storing + postgres) * per), 1 / ((storing + postgres) * per)]
    if processes:
        bounds.append(min(processes, cores) / (extraction * per))
    return min(bounds)
