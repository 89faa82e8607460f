"""The fault suite's short form: each of the four services killed with SIGKILL, the broker
killed with SIGKILL and PostgreSQL stopped in immediate mode, in turn, under receipts,
registrations, manual accruals and a mailing; nothing lost, nothing twice, every read
model equal to its source, nothing in a dead letter (`make chaos` is the long form).

It runs as `python -m clientcard_devstack.chaos --short` on servers of its own (a test
slot apart from this session's), since it kills them.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from clientcard_devstack.chaos.cluster import DEFAULT_SLOT, FAULTS
from clientcard_devstack.testservers import SLOT_ENV

pytestmark = pytest.mark.integration


# The suite takes about 3 minutes on an idle 2-core machine and half as long again on a
# busy one; its own limit comes first, so a run that hangs still reports where it was.
SUITE_LIMIT_SECONDS = 900
CLEANUP_SECONDS = 90


@pytest.mark.timeout(SUITE_LIMIT_SECONDS + CLEANUP_SECONDS + 60)
def test_no_fault_loses_or_doubles_anything(tmp_path: Path) -> None:
    results_file, state = tmp_path / "results.json", tmp_path / "state"
    own_slot = os.environ.get(SLOT_ENV, "")
    slot = DEFAULT_SLOT if own_slot != DEFAULT_SLOT else str(int(DEFAULT_SLOT) + 1)
    command = [sys.executable, "-m", "clientcard_devstack.chaos", "--short"]
    run = _run_suite(
        [*command, "--json", str(results_file), "--state", str(state)],
        env={**os.environ, SLOT_ENV: slot},
    )
    assert results_file.exists(), run.stderr[-5000:]
    results = json.loads(results_file.read_text())
    print(run.stdout)  # the report, shown by pytest when something below fails
    assert [result["fault"] for result in results] == list(FAULTS)
    for result in results:
        counts = result["counts"]
        # The load really ran through the fault: every kind of request was confirmed.
        assert all(count["sent"] > 0 for count in counts.values()), result
        outcome = {kind: (count["duplicated"], count["lost"]) for kind, count in counts.items()}
        assert outcome == dict.fromkeys(counts, (0, 0)), result
        assert not any(result["read_models"].values()), result
        assert (result["dead_letters"], result["unconfirmed"]) == (0, []), result
        assert result["recovered_seconds"] is not None, result
    assert run.returncode == 0, run.stderr[-5000:]


def _run_suite(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run the suite; past its limit, interrupt it so it stops the servers it started
    (a SIGKILL would leave PostgreSQL, Kafka and four services behind)."""
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as suite:
        try:
            stdout, stderr = suite.communicate(timeout=SUITE_LIMIT_SECONDS)
        except subprocess.TimeoutExpired:
            suite.send_signal(signal.SIGINT)
            try:
                stdout, stderr = suite.communicate(timeout=CLEANUP_SECONDS)
            except subprocess.TimeoutExpired:
                suite.kill()
                stdout, stderr = suite.communicate()
            pytest.fail(f"the suite ran over {SUITE_LIMIT_SECONDS} s:\n{stderr[-5000:]}")
    return subprocess.CompletedProcess(command, suite.returncode, stdout, stderr)
