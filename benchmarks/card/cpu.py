"""CPU time from /proc: of groups of processes (with their children), and of the machine."""

import os
from collections.abc import Mapping, Sequence
from pathlib import Path


def cpu_times() -> tuple[int, int]:
    """The machine's idle and total CPU time so far, in ticks (every process)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return fields[3] + fields[4], sum(fields[:8])  # idle + iowait, everything but guests


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """The share of all cores that was busy between two `cpu_times`."""
    total = after[1] - before[1]
    return 1 - (after[0] - before[0]) / total if total else 0.0


def cpu_seconds(groups: Mapping[str, Sequence[int]]) -> dict[str, float]:
    """User and system CPU seconds of each group's processes and all their descendants."""
    children: dict[int, list[int]] = {}
    spent: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        spent[pid] = int(fields[11]) + int(fields[12])
    seconds = {}
    for group, roots in groups.items():
        ticks, stack = 0, list(roots)
        while stack:
            pid = stack.pop()
            ticks += spent.get(pid, 0)
            stack.extend(children.get(pid, []))
        seconds[group] = ticks / os.sysconf("SC_CLK_TCK")
    return seconds
