"""How many backend workers this machine can take (`make serve`'s default for WORKERS)."""

from __future__ import annotations

import os
from pathlib import Path

# Memory one worker needs with room to work: it holds the whole app (Reflex, the chat
# model's code, SQLAlchemy) and each page's state while handling it. (A worker of this
# app measured under 200 MB resident, idle, forked from the preloaded app.)
WORKER_MEMORY_BYTES = 512 * 1024 * 1024
# Granian's own ceiling would be far above what one machine's database pool allows anyway.
MAX_WORKERS = 64


def workers_it_can_take() -> int:
    """One per CPU this process may run on (each worker runs one event loop: more would
    only take turns), fewer when the memory available would not hold them."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    memory = _available_memory()
    by_memory = memory // WORKER_MEMORY_BYTES if memory else cpus
    return max(1, min(cpus, by_memory, MAX_WORKERS))


def _available_memory() -> int | None:
    """The machine's MemAvailable (/proc/meminfo), or the container's limit when lower
    (cgroup v2's memory.max: /proc/meminfo shows the host's); None if neither is known."""
    known = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                known.append(int(line.split()[1]) * 1024)
    except (OSError, ValueError, IndexError):
        pass
    try:
        limit = Path("/sys/fs/cgroup/memory.max").read_text().strip()
        if limit.isdigit():
            known.append(int(limit))
    except OSError:
        pass
    return min(known) if known else None
