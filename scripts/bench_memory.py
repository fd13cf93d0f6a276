"""A gunicorn server's memory, read from ``/proc``: per worker, the whole server, and what holds it.

Shared by ``bench_pygeoapi.py`` and ``bench_serve.py``. Rss counts every page a process maps,
also those it shares with the master and the other workers after a fork; Pss divides each shared
page among its sharers, so the master's and the workers' Pss add up to what the server really
takes. The benchmark process itself must not load the servers' libraries (it would share their
pages and lower their Pss): ``bench_api.build_demo`` builds the database in a child process.
"""

from __future__ import annotations

import re
import statistics
import subprocess
from collections import Counter
from pathlib import Path

MAPPING = re.compile(r"^[0-9a-f]+-[0-9a-f]+ ")


def smaps_mb(pid: int) -> dict:
    """Resident (Rss) and proportional (Pss) memory of one process, in MB."""
    sizes = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":", 1)
        if key in ("Rss", "Pss"):
            sizes[key.lower()] = int(value.split()[0]) / 1024
    return sizes


def worker_pids(proc: subprocess.Popen) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True,
                         text=True).stdout
    return [int(pid) for pid in out.split()]


def server_memory(proc: subprocess.Popen) -> dict:
    """Per worker (Rss, Pss), the whole server's Pss (master + workers) and that per worker."""
    pids = worker_pids(proc)
    workers = [smaps_mb(pid) for pid in pids]
    whole = smaps_mb(proc.pid)["pss"] + sum(w["pss"] for w in workers)
    return {"rss": statistics.mean(w["rss"] for w in workers),
            "pss": statistics.mean(w["pss"] for w in workers), "whole": whole,
            "per_worker": whole / len(workers), "workers": len(workers),
            "holders": holders([proc.pid, *pids])}


def holders(pids: list[int]) -> Counter:
    """The Pss in MB of ``pids`` (a server's master and workers) by what holds it.

    A package's files, a system library, Python's own, or ``anonymous`` (the interpreter's objects
    and every library's allocations).
    """
    held = Counter()
    for pid in pids:
        owner = "anonymous"
        for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
            if MAPPING.match(line):
                owner = _owner(line.split()[5:])
            elif line.startswith("Pss:"):
                held[owner] += int(line.split()[1]) / 1024
    return held


def _owner(path: list[str]) -> str:
    if not path or path[0].startswith("["):
        return "anonymous"
    name = path[0]
    if "site-packages/" in name:
        return name.split("site-packages/", 1)[1].split("/", 1)[0].removesuffix(".libs")
    if "/lib/python3" in name or "libpython" in name:
        return "Python"
    return name.rsplit("/", 1)[-1].split(".so", 1)[0]


def top_holders(held: Counter, count: int = 8) -> str:
    """The largest holders as ``name MB`` pairs, then the rest."""
    top = held.most_common(count)
    rest = sum(held.values()) - sum(mb for _, mb in top)
    return ", ".join([f"{name} {mb:.0f}" for name, mb in top] + [f"the rest {rest:.0f}"])
