"""A private, throwaway PostgreSQL server for the test session.

Usage (e.g. in tests/conftest.py)::

    from tests.pg_server import PostgresServer

    server = PostgresServer.start(Path(tempfile.mkdtemp(prefix="debtdesk-pg-")))
    try:
        server.create_database("debtdesk_test")
        url = server.url("debtdesk_test")
        ...
    finally:
        server.stop()

The server listens on 127.0.0.1 only, on a free port, with trust authentication for
the ``postgres`` superuser, and fast-but-unsafe settings (fsync off): it is for tests
only.

Binaries: ``$DEBTDESK_PG_BINDIR`` if set, else the newest
``/usr/lib/postgresql/<version>/bin`` (Debian's ``postgresql`` package), else
``pg_config --bindir``, else ``initdb``/``pg_ctl`` on PATH.

Running as root (CI, containers): PostgreSQL refuses to run as root, so the server
runs as the ``postgres`` system user (``runuser -u postgres --``) and ``base_dir``
is handed to that user. If the ``postgres`` user cannot reach ``base_dir`` (e.g. it
is under pytest's ``/tmp/pytest-of-root``, which is mode 0700), a private directory
is created under the system temporary directory instead and removed by ``stop()``.
As a normal user the server simply runs as that user.

A small watchdog process stops the server if the process that started it dies
without calling ``stop()`` (killed, crashed, interrupted hard), so a server is never
left running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from types import TracebackType

import psycopg
from psycopg import sql

__all__ = ["PostgresServer"]

_SUPERUSER = "postgres"
_SYSTEM_USER = "postgres"  # OS account the server runs as when we are root
_START_ATTEMPTS = 3
_MAX_SOCKET_PATH = 100  # sun_path is 108 bytes; leave room for "/.s.PGSQL.NNNNN"

# Safe for throwaway test data only.
_FAST_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
    "log_min_messages": "warning",
}


def _find_bindir() -> Path:
    override = os.environ.get("DEBTDESK_PG_BINDIR")
    if override:
        candidate = Path(override)
        if (candidate / "pg_ctl").is_file():
            return candidate
        raise RuntimeError(f"DEBTDESK_PG_BINDIR={override!r} does not contain pg_ctl")

    def version_key(path: Path) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", path.parent.name))

    debian = [
        p.parent
        for p in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")
        if re.fullmatch(r"\d+(\.\d+)*", p.parent.parent.name)
    ]
    if debian:
        return max(debian, key=version_key)

    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            if out and (Path(out) / "pg_ctl").is_file():
                return Path(out)

    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).parent

    raise RuntimeError(
        "PostgreSQL server binaries (initdb, pg_ctl) not found. On Debian 12 install "
        "them with `apt-get install postgresql` (./bootstrap.sh does this), or set "
        "DEBTDESK_PG_BINDIR."
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, lines: int = 40) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


class PostgresServer:
    """A running private PostgreSQL server. Create it with :meth:`start`."""

    def __init__(
        self,
        *,
        bindir: Path,
        base_dir: Path,
        port: int,
        as_root: bool,
        owns_base_dir: bool,
    ) -> None:
        self.bindir = bindir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.log_file = base_dir / "server.log"
        self.port = port
        self.host = "127.0.0.1"
        self._as_root = as_root
        self._owns_base_dir = owns_base_dir
        self._running = False
        self._watchdog: subprocess.Popen[bytes] | None = None

    # ------------------------------------------------------------------ start/stop

    @classmethod
    def start(cls, base_dir: Path) -> PostgresServer:
        """initdb into ``base_dir/data`` and start a server on a free local port."""
        bindir = _find_bindir()
        as_root = os.geteuid() == 0
        base_dir = Path(base_dir).resolve()
        base_dir.mkdir(parents=True, exist_ok=True)
        owns_base_dir = False
        if as_root:
            runuser = shutil.which("runuser") or "/usr/sbin/runuser"
            if not Path(runuser).exists():
                raise RuntimeError("running as root but `runuser` (util-linux) is missing")
            base_dir, owns_base_dir = cls._prepare_root_base_dir(base_dir)

        server = cls(
            bindir=bindir,
            base_dir=base_dir,
            port=0,
            as_root=as_root,
            owns_base_dir=owns_base_dir,
        )
        try:
            server._initdb()
            server._start_postmaster()
        except BaseException:
            server._cleanup_dirs()
            raise
        atexit.register(server.stop)
        server._start_watchdog()
        return server

    def stop(self, *, keep_data: bool = False) -> None:
        """Stop the server (fast shutdown) and delete its files. Safe to call twice.

        The cluster (``base_dir/data``, about 60 MB) and the server log are removed
        unless ``keep_data`` is true; ``base_dir`` itself is removed only if it is then
        empty.
        """
        pid_file = self.data_dir / "postmaster.pid"
        if self._running:
            pg_ctl = [self._bin("pg_ctl"), "-D", str(self.data_dir)]
            self._run([*pg_ctl, "-m", "fast", "-w", "-t", "30", "stop"], check=False)
            if pid_file.exists():
                self._run([*pg_ctl, "-m", "immediate", "-w", "-t", "30", "stop"], check=False)
            if pid_file.exists():
                # Leave the watchdog in place: it stops the server when we exit.
                warnings.warn(
                    f"test PostgreSQL server in {self.data_dir} did not stop; "
                    "it will be stopped when this process exits",
                    RuntimeWarning,
                    stacklevel=2,
                )
                return
            self._running = False
        if self._watchdog is not None:
            with contextlib.suppress(ProcessLookupError):
                self._watchdog.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self._watchdog.wait(timeout=5)
            self._watchdog = None
        if not keep_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
            with contextlib.suppress(OSError):
                self.log_file.unlink()
            with contextlib.suppress(OSError):
                self.base_dir.rmdir()  # only if empty: it may hold the caller's files
        self._cleanup_dirs()
        with contextlib.suppress(Exception):
            atexit.unregister(self.stop)

    def __enter__(self) -> PostgresServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # ------------------------------------------------------------------ databases

    def url(self, dbname: str) -> str:
        """SQLAlchemy URL for database ``dbname`` on this server."""
        return f"postgresql+psycopg://{_SUPERUSER}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        """libpq connection string (for psycopg.connect)."""
        return f"host={self.host} port={self.port} user={_SUPERUSER} dbname={dbname}"

    def create_database(self, name: str, template: str | None = None) -> None:
        query = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template is not None:
            query = sql.SQL("{} TEMPLATE {}").format(query, sql.Identifier(template))
        self._admin(query)

    def drop_database(self, name: str) -> None:
        """Drop ``name`` if it exists, disconnecting any sessions still using it."""
        self._admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _admin(self, query: sql.Composed) -> None:
        with psycopg.connect(self.conninfo("postgres"), autocommit=True) as conn:
            conn.execute(query)

    # ------------------------------------------------------------------ internals

    @staticmethod
    def _prepare_root_base_dir(base_dir: Path) -> tuple[Path, bool]:
        """Give base_dir to the postgres user, or fall back to a private temp dir."""
        shutil.chown(base_dir, user=_SYSTEM_USER, group=_SYSTEM_USER)
        base_dir.chmod(0o700)
        probe = subprocess.run(
            ["runuser", "-u", _SYSTEM_USER, "--", "test", "-w", str(base_dir)],
            capture_output=True,
            cwd="/",
        )
        if probe.returncode == 0:
            return base_dir, False
        fallback = Path(tempfile.mkdtemp(prefix="debtdesk-pg-"))  # 0700, root-owned
        shutil.chown(fallback, user=_SYSTEM_USER, group=_SYSTEM_USER)
        return fallback, True

    def _bin(self, name: str) -> str:
        return str(self.bindir / name)

    def _wrap(self, argv: list[str]) -> list[str]:
        if self._as_root:
            return ["runuser", "-u", _SYSTEM_USER, "--", *argv]
        return argv

    def _run(
        self, argv: list[str], *, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        result = subprocess.run(
            self._wrap(argv),
            capture_output=True,
            text=True,
            cwd=self.base_dir,  # readable by the server user (avoids "cannot chdir /root")
            env=env,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise RuntimeError(
                f"{' '.join(argv)} failed (exit {result.returncode}):\n"
                f"{result.stdout}{result.stderr}"
            )
        return result

    def _initdb(self) -> None:
        if (self.data_dir / "PG_VERSION").exists():
            return  # reuse an existing cluster in base_dir
        self._run(
            [
                self._bin("initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                _SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
                "--no-instructions",
            ]
        )

    def _start_postmaster(self) -> None:
        socket_dir = str(self.base_dir)
        if len(socket_dir) > _MAX_SOCKET_PATH:
            socket_dir = ""  # path too long for a unix socket: TCP only
        last_error = ""
        for _attempt in range(_START_ATTEMPTS):
            self.port = _free_port()
            options = [
                "-c listen_addresses=127.0.0.1",
                f"-p {self.port}",
                f"-c unix_socket_directories={shlex.quote(socket_dir)}",
                *(f"-c {key}={value}" for key, value in _FAST_SETTINGS.items()),
            ]
            result = self._run(
                [
                    self._bin("pg_ctl"),
                    "-D",
                    str(self.data_dir),
                    "-l",
                    str(self.log_file),
                    "-o",
                    " ".join(options),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ],
                check=False,
            )
            if result.returncode == 0:
                self._running = True
                return
            last_error = f"{result.stdout}{result.stderr}".strip()
            if (self.data_dir / "postmaster.pid").exists():
                self._run(
                    [self._bin("pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "stop"],
                    check=False,
                )
            log = _tail(self.log_file)
            if "could not bind" not in log and "Address already in use" not in log:
                break  # not a port race: retrying will not help
        raise RuntimeError(
            f"could not start the test PostgreSQL server ({self.bindir}) in {self.data_dir} "
            f"on 127.0.0.1:{self.port}.\npg_ctl said: {last_error}\n"
            f"--- tail of {self.log_file} ---\n{_tail(self.log_file)}"
        )

    def _start_watchdog(self) -> None:
        """Stop the server if this process dies without calling stop()."""
        pg_ctl = [self._bin("pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop"]
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null"
            f" && [ -e {shlex.quote(str(self.data_dir / 'postmaster.pid'))} ]; do sleep 1; done; "
            f"if [ -e {shlex.quote(str(self.data_dir / 'postmaster.pid'))} ]; then "
            f"{shlex.join(self._wrap(pg_ctl))} >/dev/null 2>&1; fi"
        )
        if self._owns_base_dir:
            script += f"; rm -rf {shlex.quote(str(self.base_dir))}"
        self._watchdog = subprocess.Popen(
            ["/bin/sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd="/",
            start_new_session=True,  # survives Ctrl-C / SIGTERM sent to our process group
            close_fds=True,
        )

    def _cleanup_dirs(self) -> None:
        if self._owns_base_dir:
            shutil.rmtree(self.base_dir, ignore_errors=True)


if __name__ == "__main__":  # manual smoke test: python tests/pg_server.py
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="debtdesk-pg-smoke-") as tmp:
        Path(tmp).chmod(0o755)
        with PostgresServer.start(Path(tmp)) as pg:
            print(f"started {pg.bindir} on port {pg.port} in {time.perf_counter() - started:.2f}s")
            pg.create_database("smoke")
            with psycopg.connect(pg.conninfo("smoke")) as conn:
                row = conn.execute("select 1, version()").fetchone()
            print("select 1 ->", row)
            pg.drop_database("smoke")
        print(f"stopped after {time.perf_counter() - started:.2f}s")
    sys.exit(0)
