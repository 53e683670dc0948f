"""The project's own PostgreSQL cluster: durable, its own role, back after a crash.

These tests run a throwaway cluster of their own in a temp dir (not the one the
other tests use), so they can kill it.
"""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from config import localdb


@pytest.fixture(scope="module")
def cluster():
    # A short path (socket names are limited) that the postgres user can enter.
    parent = Path(tempfile.mkdtemp(prefix="kindred-pgtest-"))
    parent.chmod(0o755)
    data = parent / "pg"
    localdb.start(data)
    yield data
    localdb.stop(data)
    shutil.rmtree(parent, ignore_errors=True)


def connect(data, user=localdb.ROLE, dbname=localdb.DB_NAME):
    return psycopg.connect(host=str(data), user=user, dbname=dbname, autocommit=True)


def show(data, name):
    with connect(data) as conn:
        return conn.execute(f"SHOW {name}").fetchone()[0]


def test_cluster_keeps_every_acknowledged_write(cluster):
    settings = {name: show(cluster, name) for name in localdb.DURABILITY}
    assert settings == dict.fromkeys(localdb.DURABILITY, "on")


def test_start_makes_an_older_cluster_durable(cluster):
    with open(cluster / "postgresql.conf", "a") as conf:
        conf.write("fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n")
    localdb.start(cluster)
    assert [show(cluster, name) for name in localdb.DURABILITY] == ["on"] * 3
    lines = (cluster / "postgresql.conf").read_text().splitlines()
    written = [line for line in lines if line.startswith(localdb.DURABILITY)]
    assert written == [f"{name} = on" for name in localdb.DURABILITY]


def test_site_role_owns_its_database_and_is_no_superuser(cluster):
    with connect(cluster) as conn:
        role = conn.execute(
            "SELECT rolsuper, rolcreatedb FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
        owner = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database"
            " WHERE datname = current_database()"
        ).fetchone()[0]
        # The migrations' extensions are "trusted": a database owner may add them.
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    assert role == (False, True)
    assert owner == localdb.ROLE


def test_start_hands_a_superuser_owned_database_to_the_site_role(cluster):
    with connect(cluster, user="postgres") as conn:
        conn.execute(f"ALTER DATABASE {localdb.DB_NAME} OWNER TO postgres")
        conn.execute("CREATE TABLE made_as_postgres (id bigserial PRIMARY KEY)")
    localdb.start(cluster)
    with connect(cluster) as conn:
        conn.execute("INSERT INTO made_as_postgres DEFAULT VALUES")
        owners = conn.execute(
            "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class"
            " WHERE relname LIKE 'made_as_postgres%'"
        ).fetchall()
    assert owners == [(localdb.ROLE,)]


def test_start_comes_back_after_a_crash_whose_pid_is_taken(cluster):
    with connect(cluster) as conn:
        conn.execute("CREATE TABLE acknowledged (note text)")
        conn.execute("INSERT INTO acknowledged VALUES ('kept')")
    pidfile = cluster / "postmaster.pid"
    lines = pidfile.read_text().splitlines()
    os.kill(int(lines[0]), signal.SIGKILL)
    # The dead server's pid now belongs to a live process of the same user,
    # which PostgreSQL alone takes for a running server.
    other = subprocess.Popen(
        ["sleep", "60"], user="postgres" if localdb._as_root() else None
    )
    try:
        pidfile.write_text("\n".join([str(other.pid), *lines[1:]]) + "\n")
        localdb.start(cluster)
        with connect(cluster) as conn:
            notes = conn.execute("SELECT note FROM acknowledged").fetchall()
    finally:
        other.kill()
        other.wait()
    assert notes == [("kept",)]
