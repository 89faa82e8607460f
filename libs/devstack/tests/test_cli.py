"""The launcher's commands that need no server: token, status, down, logs."""

import subprocess
import sys
from pathlib import Path

import pytest

from clientcard_devstack import cli
from clientcard_kit.auth import Role, TokenVerifier
from clientcard_kit.settings import DEV_JWT_SECRET


@pytest.fixture(autouse=True)
def empty_state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLIENTCARD_STATE_DIR", str(tmp_path))
    return tmp_path


def _verify(token: str) -> tuple[str, str, Role]:
    principal = TokenVerifier(secret=DEV_JWT_SECRET).verify(token)
    return principal.subject, principal.tenant, principal.role


def test_token_prints_a_verifiable_development_jwt(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["token", "--tenant", "t-42", "--role", "manager", "--subject", "ann"]) == 0

    output = capsys.readouterr().out
    assert output.count("\n") == 1, "only the token, so that $(...) can capture it"
    assert _verify(output.strip()) == ("ann", "t-42", Role.MANAGER)


def test_token_as_a_module() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "clientcard_devstack",
            "token",
            "--tenant",
            "demo",
            "--role",
            "OWNER",
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    assert _verify(result.stdout.strip()) == ("dev-user", "demo", Role.OWNER)


def test_token_rejects_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["token", "--tenant", "t", "--role", "ADMIN"])
    assert "invalid choice" in capsys.readouterr().err


def test_status_lists_every_component_as_not_running(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["status"]) == 0

    output = capsys.readouterr().out
    components = ("postgres", "kafka", "customers", "bonuses", "messaging", "receipts", "gateway")
    for name in (*components, "web"):
        assert name in output
    assert "running" not in output.replace("not running", "")


def test_down_with_nothing_started_touches_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["down"]) == 0
    assert "Stopped." in capsys.readouterr().out


def test_logs_of_one_component(empty_state: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (empty_state / "logs").mkdir()
    (empty_state / "logs" / "kafka.log").write_text("".join(f"line {i}\n" for i in range(100)))

    assert cli.main(["logs", "kafka", "-n", "3"]) == 0
    assert capsys.readouterr().out.split() == ["line", "97", "line", "98", "line", "99"]
