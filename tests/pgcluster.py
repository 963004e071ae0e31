"""A throwaway PostgreSQL cluster for the tests: initdb in a temporary folder, one server on 127.0.0.1, fresh databases.

The cluster runs as the `postgres` system user when the tests run as root (neither initdb nor
postgres runs as root), else as the current user. A migrated template database makes each
test's fresh database one `CREATE DATABASE … TEMPLATE` away.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

TEMPLATE = "tipkb_template"
TIMEZONE = "Asia/Bishkek"  # UTC+6


class ClusterUnavailable(RuntimeError):
    """PostgreSQL is not installed here, or its server does not start."""


def binaries() -> Path:
    """Return the folder of the newest installed PostgreSQL server's programs."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        raise ClusterUnavailable("PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; "
                                 "`make sysdeps` installs it as root)")
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """One PostgreSQL server over a temporary data folder, with trust authentication on 127.0.0.1 only."""

    def __init__(self):
        self.bin = binaries()
        self.root = Path(tempfile.mkdtemp(prefix="tipkb-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as = []
        if os.getuid() == 0:  # the server refuses to run as root
            owner = pwd.getpwnam("postgres")
            os.chown(self.root, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run([*self._as, *args], capture_output=True, text=True, timeout=120, cwd=self.root)
        if done.returncode:
            raise ClusterUnavailable(f"{Path(args[0]).name} failed ({done.returncode}): {done.stderr or done.stdout}")

    def start(self) -> Cluster:
        """Create the cluster if it is new, start its server and wait until it accepts connections."""
        if not self.data.exists():
            self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "-E", "UTF8", "--locale=C.UTF-8", "--no-sync")
        # A server time zone far from UTC, so that code assuming the server speaks UTC fails its tests.
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c timezone={TIMEZONE}"
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
                  "-o", options, "-w", "-t", "60", "start")
        return self

    def stop(self) -> None:
        """Stop the server (fast shutdown: open connections are ended)."""
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        """Stop the server if it runs and delete the cluster's folder."""
        with contextlib.suppress(ClusterUnavailable):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        """Return the SQLAlchemy URL of one of the cluster's databases."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _admin(self, sql: str) -> None:
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres",
                             autocommit=True) as connection:
            connection.execute(sql)

    def make_template(self) -> None:
        """Create the template database and migrate it to the newest revision."""
        from tipkb.db import upgrade

        self._admin(f"CREATE DATABASE {TEMPLATE}")
        upgrade(self.url(TEMPLATE))  # its engine is disposed: a template must have no connections when copied

    def new_database(self, *, migrated: bool = True) -> str:
        """Create a fresh database (migrated, or empty) and return its URL."""
        name = f"test_{next(self._names)}"
        self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE if migrated else 'template0'}")
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by `new_database`, ending the connections still open to it."""
        self._admin(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")
