"""Processes the stack starts: pid files, start, stop, port owners and readiness waits.

A pid file records the pid, the process's start time (in clock ticks since boot) and its
command line. A pid alone is not proof: after a crash or a reboot the number may belong to
someone else's process, so nothing is signalled unless all three still match.
"""

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from clientcard_devstack.errors import StackError
from clientcard_devstack.system import OsUser, popen_user_kwargs

_PROC = Path("/proc")


@dataclass(frozen=True, slots=True)
class PidRecord:
    pid: int
    start_ticks: int
    argv: tuple[str, ...]


class StopOutcome(Enum):
    STOPPED = "stopped"
    KILLED = "killed after the timeout"
    NOT_RUNNING = "not running"
    NOT_OURS = "pid now belongs to another process: left alone"


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) may contain spaces and parentheses: split after the last ')'.
    return raw.rpartition(")")[2].split()


def start_ticks(pid: int) -> int | None:
    fields = _stat_fields(pid)
    if fields is None or len(fields) < 20:
        return None
    # Field 22 of stat is the start time; fields[0] here is field 3.
    return int(fields[19])


def is_alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    # A zombie has exited already; it only waits for its parent to collect the status.
    return fields is not None and bool(fields) and fields[0] not in ("Z", "X")


def cmdline(pid: int) -> tuple[str, ...] | None:
    try:
        raw = (_PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None
    return tuple(part.decode(errors="replace") for part in raw.split(b"\0") if part)


def write_pid_file(path: Path, record: PidRecord) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    details = {"start_ticks": record.start_ticks, "argv": list(record.argv)}
    # First line: the bare pid, as other tools expect; second line: what proves it is ours.
    path.write_text(f"{record.pid}\n{json.dumps(details)}\n")


def read_pid_file(path: Path) -> PidRecord | None:
    try:
        first, second = path.read_text().splitlines()[:2]
        details = json.loads(second)
        return PidRecord(int(first), int(details["start_ticks"]), tuple(details["argv"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def record_current_command(pid_file: Path, pid: int) -> None:
    """Rewrite a pid file after its process replaced itself (a script that execs)."""
    record = read_pid_file(pid_file)
    argv = cmdline(pid)
    if record is None or record.pid != pid or argv is None:
        return
    if start_ticks(pid) == record.start_ticks:
        write_pid_file(pid_file, PidRecord(pid, record.start_ticks, argv))


def is_ours(record: PidRecord) -> bool:
    return (
        is_alive(record.pid)
        and start_ticks(record.pid) == record.start_ticks
        and cmdline(record.pid) == record.argv
    )


def running(pid_file: Path) -> PidRecord | None:
    """The recorded process when it is still ours and alive."""
    record = read_pid_file(pid_file)
    return record if record is not None and is_ours(record) else None


def spawn(
    argv: Sequence[str],
    *,
    log_file: Path,
    pid_file: Path,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    run_as: OsUser | None = None,
) -> "subprocess.Popen[bytes]":
    """Start a long-running process detached from the terminal, output appended to its log."""
    log_file.parent.mkdir(parents=True, exist_ok=True)
    with log_file.open("ab") as log:
        # A session of its own: Ctrl-C in the launcher's terminal must not stop the stack.
        process = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=dict(env) if env is not None else None,
            cwd=cwd,
            start_new_session=True,
            **popen_user_kwargs(run_as),
        )
    ticks = start_ticks(process.pid)
    if ticks is None:  # exited at once; the readiness wait reports the log
        ticks = -1
    write_pid_file(pid_file, PidRecord(process.pid, ticks, tuple(argv)))
    return process


def _reap(pid: int) -> None:
    # Collects the exit status when the process is our child (the tests' servers are).
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def _wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        _reap(pid)
        if not is_alive(pid):
            return True
        time.sleep(0.05)
    return False


def stop(
    pid_file: Path, *, sig: int = signal.SIGTERM, timeout: float = 30.0, group: bool = False
) -> StopOutcome:
    """Stop the process a pid file records, if and only if it is still ours.

    `group` signals its whole process group at once, as a crash or the kernel's OOM
    killer would end a server with its workers (see `kill`).
    """
    record = read_pid_file(pid_file)
    if record is None or not is_alive(record.pid):
        pid_file.unlink(missing_ok=True)
        return StopOutcome.NOT_RUNNING
    if not is_ours(record):
        pid_file.unlink(missing_ok=True)
        return StopOutcome.NOT_OURS
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if group and os.getpgid(record.pid) == record.pid:
            os.killpg(record.pid, sig)
        else:
            os.kill(record.pid, sig)
    outcome = StopOutcome.STOPPED
    if not _wait_gone(record.pid, timeout):
        _kill_group(record.pid)
        _wait_gone(record.pid, 10.0)
        outcome = StopOutcome.KILLED
    pid_file.unlink(missing_ok=True)
    return outcome


def kill(pid_file: Path, *, sig: int = signal.SIGKILL, timeout: float = 30.0) -> StopOutcome:
    """No shutdown of any kind: `sig` (kill -9 by default) to the process and its group."""
    return stop(pid_file, sig=sig, timeout=timeout, group=True)


def _kill_group(pid: int) -> None:
    # The process leads the session spawn() gave it, so its group holds only its own
    # children (a server's workers), which must not outlive it.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        if os.getpgid(pid) == pid:
            os.killpg(pid, signal.SIGKILL)
            return
        os.kill(pid, signal.SIGKILL)


def port_answers(host: str, port: int, timeout: float = 0.3) -> bool:
    """Whether something accepts TCP connections on the port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def _listening_inodes(port: int) -> set[str]:
    inodes: set[str] = set()
    for table in ("tcp", "tcp6"):
        try:
            lines = (_PROC / "net" / table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            local_port = int(fields[1].rpartition(":")[2], 16)
            if local_port == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def listener_pid(port: int) -> int | None:
    """The pid listening on a TCP port, when this user may see it."""
    inodes = {f"socket:[{inode}]" for inode in _listening_inodes(port)}
    if not inodes:
        return None
    for entry in _PROC.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (entry / "fd").iterdir():
                with contextlib.suppress(OSError):
                    if os.readlink(fd) in inodes:
                        return int(entry.name)
    return None


def describe_port_owner(port: int) -> str:
    pid = listener_pid(port)
    if pid is None:
        return "another process (not visible to this user)"
    argv = cmdline(pid) or ()
    shown = " ".join(argv)
    shown = shown if len(shown) <= 120 else shown[:117] + "..."
    return f"pid {pid} ({shown})"


def ensure_port_free(name: str, host: str, port: int) -> None:
    if port_answers(host, port):
        raise StackError(
            f"{name}: port {port} is already taken by {describe_port_owner(port)}; "
            "stop that process or free the port"
        )


def tail(path: Path, lines: int = 30) -> str:
    try:
        with path.open("rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            handle.seek(max(0, size - 64 * 1024))
            text = handle.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def wait_ready(
    name: str,
    check: Callable[[], str | None],
    *,
    process: "subprocess.Popen[bytes] | None",
    log_file: Path,
    timeout: float,
    interval: float = 0.2,
) -> None:
    """Poll `check` (None when ready, else why not) until ready, the timeout, or an exit."""
    deadline = time.monotonic() + timeout
    reason = "no answer yet"
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise StackError(
                f"{name} exited with code {process.returncode} while starting",
                log_tail=tail(log_file),
            )
        outcome = check()
        if outcome is None:
            return
        reason = outcome
        time.sleep(interval)
    raise StackError(
        f"{name} was not ready after {timeout:.0f} s (last check: {reason})",
        log_tail=tail(log_file),
    )
