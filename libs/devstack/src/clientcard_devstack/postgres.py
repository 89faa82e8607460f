"""A PostgreSQL server from the system's binaries, its data in a state folder.

The development stack (`make up`) and the tests' servers both come from here, with their
own port, folder and durability.
"""

import glob
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

from clientcard_devstack import processes
from clientcard_devstack.errors import StackError
from clientcard_devstack.progress import NO_PROGRESS, Progress
from clientcard_devstack.system import (
    OsUser,
    apt_install,
    check_user_can_reach,
    chown_tree,
    popen_user_kwargs,
    unprivileged_user,
)

NAME = "postgres"
BINDIR_ENV = "CLIENTCARD_PG_BINDIR"
APP_USER = "clientcard"
APP_PASSWORD = "clientcard"
SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "postgres"
_SOCKET_PATH_MAX = 100  # sun_path holds 108 bytes, the socket's own name needs some


@dataclass(frozen=True, slots=True)
class PostgresSettings:
    directory: Path
    port: int
    host: str = "127.0.0.1"
    # Tests trade crash safety for speed; the development stack keeps its data safe.
    durable: bool = True

    @property
    def data_dir(self) -> Path:
        return self.directory / "data"

    @property
    def socket_dir(self) -> Path:
        return self.directory / "socket"

    def url(self, user: str, password: str, database: str) -> str:
        return f"postgresql+psycopg://{user}:{password}@{self.host}:{self.port}/{database}"

    def admin_url(self, database: str = "postgres") -> str:
        return self.url(SUPERUSER, SUPERUSER_PASSWORD, database)

    def app_url(self, database: str) -> str:
        return self.url(APP_USER, APP_PASSWORD, database)


def find_bindir() -> Path | None:
    override = os.environ.get(BINDIR_ENV)
    if override:
        return Path(override) if (Path(override) / "postgres").is_file() else None
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/postgres"),
        key=lambda path: int(Path(path).parent.parent.name.split(".")[0]),
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).resolve().parent if on_path else None


def ensure_bindir(progress: Progress = NO_PROGRESS) -> Path:
    """The folder of initdb and postgres, installing Debian's package when we may."""
    found = find_bindir()
    if found is not None:
        return found
    progress(NAME, "installing the postgresql package (apt-get)")
    if apt_install(["postgresql"]):
        found = find_bindir()
        if found is not None:
            return found
    raise StackError(
        "PostgreSQL server binaries (initdb, postgres) were not found: install them, "
        "e.g. `sudo apt-get install -y postgresql`, or set CLIENTCARD_PG_BINDIR to their folder"
    )


def is_initialised(settings: PostgresSettings) -> bool:
    return (settings.data_dir / "PG_VERSION").is_file()


def _prepare_folders(settings: PostgresSettings, user: OsUser | None) -> None:
    settings.directory.mkdir(parents=True, exist_ok=True)
    # Connections over the socket are trusted: only the server's own user may reach it.
    settings.socket_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    socket_path = settings.socket_dir / f".s.PGSQL.{settings.port}"
    if len(str(socket_path)) > _SOCKET_PATH_MAX:
        raise StackError(
            f"the PostgreSQL socket path {socket_path} is too long for a Unix socket: "
            "set CLIENTCARD_STATE_DIR to a shorter folder"
        )
    if user is not None:
        chown_tree(settings.directory, user)
        check_user_can_reach(settings.directory, user)


def initialise(settings: PostgresSettings, bindir: Path, user: OsUser | None) -> None:
    """initdb: superuser with a password over TCP, trust on the private socket only."""
    _prepare_folders(settings, user)
    password_file = settings.directory / "superuser.pw"
    descriptor = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(SUPERUSER_PASSWORD + "\n")
    if user is not None:
        os.chown(password_file, user.uid, user.gid)
    argv = [
        str(bindir / "initdb"),
        "--pgdata", str(settings.data_dir),
        "--username", SUPERUSER,
        "--pwfile", str(password_file),
        "--auth-local", "trust",
        "--auth-host", "scram-sha-256",
        "--encoding", "UTF8",
        # A UTF-8 character type, so that pg_trgm finds trigrams in Cyrillic names.
        "--locale", "C.UTF-8",
    ]  # fmt: skip
    if not settings.durable:
        argv.append("--no-sync")
    try:
        result = subprocess.run(
            argv,
            check=False,
            capture_output=True,
            text=True,
            cwd=settings.directory,
            **popen_user_kwargs(user),
        )
    finally:
        password_file.unlink(missing_ok=True)
    if result.returncode != 0:
        raise StackError(f"initdb failed: {result.stderr.strip() or result.stdout.strip()}")


def server_argv(settings: PostgresSettings, bindir: Path) -> list[str]:
    options = {
        "listen_addresses": settings.host,
        "port": str(settings.port),
        "unix_socket_directories": str(settings.socket_dir),
        # Four services with connection pools, their consumers, and the tests' own.
        "max_connections": "200",
    }
    if not settings.durable:
        options |= {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
    argv = [str(bindir / "postgres"), "-D", str(settings.data_dir)]
    for key, value in options.items():
        argv += ["-c", f"{key}={value}"]
    return argv


def admin_conninfo(settings: PostgresSettings, database: str = "postgres") -> str:
    return psycopg.conninfo.make_conninfo(
        host=settings.host,
        port=settings.port,
        user=SUPERUSER,
        password=SUPERUSER_PASSWORD,
        dbname=database,
    )


def check_ready(conninfo: str) -> str | None:
    """None when the server accepts the connection, else the error's first line."""
    try:
        with psycopg.connect(conninfo, connect_timeout=2):
            return None
    except psycopg.Error as exc:
        text = str(exc).strip()
        return text.splitlines()[0] if text else type(exc).__name__


# The functions below take a superuser's conninfo, so that they work on any server: ours,
# or one in a container.


def ensure_app_role(conninfo: str) -> None:
    """The services' login role: never a superuser, never exempt from row-level security."""
    attributes = sql.SQL("LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEROLE NOCREATEDB PASSWORD {}")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (APP_USER,)).fetchone()
        verb = sql.SQL("ALTER ROLE" if exists else "CREATE ROLE")
        conn.execute(
            sql.SQL("{} {} WITH {}").format(
                verb, sql.Identifier(APP_USER), attributes.format(sql.Literal(APP_PASSWORD))
            )
        )


def ensure_databases(conninfo: str, names: list[str]) -> list[str]:
    """Create the missing databases, owned by the app role; returns the ones it created."""
    created: list[str] = []
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for name in names:
            row = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if row is None:
                conn.execute(_create_database(name))
                created.append(name)
    return created


def recreate_database(conninfo: str, name: str) -> None:
    """An empty database owned by the app role (dropped first when it exists)."""
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(_create_database(name))


def _create_database(name: str) -> sql.Composed:
    return sql.SQL("CREATE DATABASE {} OWNER {}").format(
        sql.Identifier(name), sql.Identifier(APP_USER)
    )


@dataclass(slots=True)
class LocalPostgres:
    """One server: its settings and where its pid and log go."""

    settings: PostgresSettings
    pid_file: Path
    log_file: Path

    def running(self) -> bool:
        return processes.running(self.pid_file) is not None

    def start(self, progress: Progress = NO_PROGRESS, timeout: float = 60.0) -> None:
        """Initialise on first use, start, and wait until it accepts connections."""
        processes.ensure_port_free(NAME, self.settings.host, self.settings.port)
        bindir = ensure_bindir(progress)
        user = unprivileged_user()
        if not is_initialised(self.settings):
            progress(NAME, "initialising the data folder (initdb)")
            initialise(self.settings, bindir, user)
        progress(NAME, f"starting on port {self.settings.port}")
        process = processes.spawn(
            server_argv(self.settings, bindir),
            log_file=self.log_file,
            pid_file=self.pid_file,
            cwd=self.settings.directory,
            run_as=user,
        )
        progress(NAME, "waiting for connections")
        processes.wait_ready(
            NAME,
            lambda: check_ready(admin_conninfo(self.settings)),
            process=process,
            log_file=self.log_file,
            timeout=timeout,
        )

    def stop(self, timeout: float = 30.0) -> processes.StopOutcome:
        # SIGINT is PostgreSQL's "fast" shutdown: SIGTERM would wait for every client.
        return processes.stop(self.pid_file, sig=signal.SIGINT, timeout=timeout)
