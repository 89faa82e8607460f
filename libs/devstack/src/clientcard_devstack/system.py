"""What the stack needs from the operating system: packages and an unprivileged user."""

import os
import pwd
import shutil
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clientcard_devstack.errors import StackError

# PostgreSQL refuses to run as root; this account runs it when the launcher is root.
_SERVICE_USERS = ("postgres", "clientcard")


@dataclass(frozen=True, slots=True)
class OsUser:
    name: str
    uid: int
    gid: int


def is_root() -> bool:
    return os.geteuid() == 0


def popen_user_kwargs(user: OsUser | None) -> dict[str, Any]:
    if user is None:
        return {}
    return {"user": user.uid, "group": user.gid, "extra_groups": []}


def _lookup(name: str) -> OsUser | None:
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return None
    return OsUser(entry.pw_name, entry.pw_uid, entry.pw_gid)


def unprivileged_user() -> OsUser | None:
    """The account to run PostgreSQL as: None when we are not root (then: ourselves)."""
    if not is_root():
        return None
    for name in _SERVICE_USERS:
        found = _lookup(name)
        if found is not None:
            return found
    name = _SERVICE_USERS[-1]
    subprocess.run(
        [
            "useradd",
            "--system",
            "--user-group",
            "--no-create-home",
            "--home-dir",
            "/nonexistent",
            "--shell",
            "/usr/sbin/nologin",
            name,
        ],
        check=True,
        capture_output=True,
    )
    created = _lookup(name)
    if created is None:
        raise StackError(f"could not create the system user {name!r} to run PostgreSQL")
    return created


def chown_tree(path: Path, user: OsUser) -> None:
    for folder, _dirs, files in os.walk(path):
        os.chown(folder, user.uid, user.gid)
        for name in files:
            os.chown(os.path.join(folder, name), user.uid, user.gid)


def _may_search(folder: Path, user: OsUser) -> bool:
    # The permission bits that apply to the user: owner, else group, else others. The
    # process runs with its primary group only (see popen_user_kwargs).
    info = folder.stat()
    if info.st_uid == user.uid:
        return bool(info.st_mode & stat.S_IXUSR)
    if info.st_gid == user.gid:
        return bool(info.st_mode & stat.S_IXGRP)
    return bool(info.st_mode & stat.S_IXOTH)


def check_user_can_reach(path: Path, user: OsUser) -> None:
    """Fail clearly when a folder above `path` is closed to the unprivileged user."""
    for folder in reversed(path.resolve().parents):
        if not _may_search(folder, user):
            raise StackError(
                f"PostgreSQL runs as the system user {user.name!r}, which may not enter "
                f"{folder}: make it searchable (chmod o+x {folder}) or point "
                "CLIENTCARD_STATE_DIR at a folder outside a private home"
            )


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages when we may (root with apt-get); False when we may not."""
    if not is_root() or shutil.which("apt-get") is None:
        return False
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", *packages],
        check=True,
        env=env,
        capture_output=True,
    )
    return True
