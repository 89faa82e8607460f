"""Pid files and stopping: only a process that is provably ours is ever signalled."""

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientcard_devstack import processes
from clientcard_devstack.errors import StackError
from clientcard_devstack.processes import PidRecord, StopOutcome


@pytest.fixture
def sleeper() -> Iterator["subprocess.Popen[bytes]"]:
    """A process that is not ours in the launcher's sense: no pid file of ours made it."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def test_pid_file_round_trip(tmp_path: Path) -> None:
    record = PidRecord(pid=1234, start_ticks=99, argv=("java", "-cp", "x/*", "kafka.Kafka"))
    path = tmp_path / "run" / "kafka.pid"
    processes.write_pid_file(path, record)

    assert path.read_text().splitlines()[0] == "1234"  # plain pid first, for other tools
    assert processes.read_pid_file(path) == record


def test_unreadable_pid_file_counts_as_nothing_running(tmp_path: Path) -> None:
    path = tmp_path / "broken.pid"
    path.write_text("not a pid\n")

    assert processes.read_pid_file(path) is None
    assert processes.stop(path) is StopOutcome.NOT_RUNNING
    assert not path.exists()


def test_refuses_to_kill_a_process_whose_cmdline_is_not_ours(
    tmp_path: Path, sleeper: "subprocess.Popen[bytes]"
) -> None:
    ticks = processes.start_ticks(sleeper.pid)
    assert ticks is not None
    pid_file = tmp_path / "postgres.pid"
    # The pid and its start time match, but we recorded another command line.
    processes.write_pid_file(pid_file, PidRecord(sleeper.pid, ticks, ("postgres", "-D", "x")))

    assert processes.running(pid_file) is None
    assert processes.stop(pid_file) is StopOutcome.NOT_OURS
    assert sleeper.poll() is None, "the foreign process must still be alive"
    assert not pid_file.exists()


def test_refuses_to_kill_a_reused_pid(tmp_path: Path, sleeper: "subprocess.Popen[bytes]") -> None:
    argv = processes.cmdline(sleeper.pid)
    ticks = processes.start_ticks(sleeper.pid)
    assert argv is not None
    assert ticks is not None
    pid_file = tmp_path / "kafka.pid"
    # Same command line, but started at another time: the pid was recycled.
    processes.write_pid_file(pid_file, PidRecord(sleeper.pid, ticks + 1, argv))

    assert processes.stop(pid_file) is StopOutcome.NOT_OURS
    assert sleeper.poll() is None


def test_stops_its_own_process(tmp_path: Path) -> None:
    pid_file, log_file = tmp_path / "run" / "svc.pid", tmp_path / "logs" / "svc.log"
    code = "import time; print('up', flush=True); time.sleep(60)"
    process = processes.spawn([sys.executable, "-c", code], log_file=log_file, pid_file=pid_file)

    record = processes.running(pid_file)
    assert record is not None
    assert record.pid == process.pid
    assert processes.stop(pid_file, timeout=10) is StopOutcome.STOPPED
    assert not processes.is_alive(process.pid)
    assert not pid_file.exists()
    assert processes.stop(pid_file) is StopOutcome.NOT_RUNNING


def test_escalates_to_sigkill(tmp_path: Path) -> None:
    pid_file, log_file = tmp_path / "stubborn.pid", tmp_path / "stubborn.log"
    code = (
        "import signal, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    process = processes.spawn([sys.executable, "-c", code], log_file=log_file, pid_file=pid_file)
    processes.wait_ready(
        "stubborn",
        lambda: None if "ready" in log_file.read_text() else "starting",
        process=process,
        log_file=log_file,
        timeout=10,
    )

    assert processes.stop(pid_file, timeout=0.5) is StopOutcome.KILLED
    assert not processes.is_alive(process.pid)


def test_wait_ready_reports_an_early_exit_with_the_log(tmp_path: Path) -> None:
    pid_file, log_file = tmp_path / "x.pid", tmp_path / "x.log"
    code = "import sys; print('bad configuration: no such option'); sys.exit(3)"
    process = processes.spawn([sys.executable, "-c", code], log_file=log_file, pid_file=pid_file)

    with pytest.raises(StackError) as caught:
        processes.wait_ready("x", lambda: "never", process=process, log_file=log_file, timeout=10)

    assert "exited with code 3" in caught.value.reason
    assert "bad configuration" in caught.value.log_tail


def test_port_taken_names_the_process_holding_it() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        assert processes.listener_pid(port) is not None
        with pytest.raises(StackError, match=f"port {port} is already taken by pid"):
            processes.ensure_port_free("postgres", "127.0.0.1", port)


def test_a_script_that_execs_its_program_is_still_stopped(tmp_path: Path) -> None:
    pid_file, log_file = tmp_path / "run" / "gw.pid", tmp_path / "logs" / "gw.log"
    process = processes.spawn(
        ["/bin/sh", "-c", "exec sleep 60"], log_file=log_file, pid_file=pid_file
    )
    try:
        deadline = time.monotonic() + 5
        while processes.cmdline(process.pid) != ("sleep", "60") and time.monotonic() < deadline:
            time.sleep(0.02)
        processes.record_current_command(pid_file, process.pid)
        assert processes.stop(pid_file) is StopOutcome.STOPPED
        assert process.wait(timeout=5) is not None
    finally:
        if process.poll() is None:
            process.kill()
