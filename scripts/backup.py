"""`make backup` and `make restore BACKUP=var/backups/STAMP`.

backup: one consistent dump of the database (pg_dump's custom format: a single
snapshot, however many writes go on meanwhile) and the media files, in a dated
folder under var/backups/ (BACKUP_DIR), with a manifest of what it holds.
restore: into a NEW database (RESTORE_DATABASE_URL, default a database named
after the backup on the same server as DATABASE_URL), never over one that has
tables, and the media into a new folder (RESTORE_MEDIA_ROOT). Point
DATABASE_URL and DJANGO_MEDIA_ROOT at them to serve the restored site.

The database is the one in DATABASE_URL, or the project's cluster when unset.
"""

import datetime
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import localdb  # noqa: E402

DUMP = "database.dump"
MEDIA = "media.tar.gz"


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or localdb.url()


def media_root() -> Path:
    return Path(os.environ.get("DJANGO_MEDIA_ROOT", ROOT / "var" / "media"))


def tool(name: str) -> str:
    return str(localdb._bindir() / name)


def libpq_url(url: str) -> str:
    """libpq's spelling of a URL (django-environ also takes postgres://)."""
    return url.replace("postgres://", "postgresql://", 1).replace(
        "pgsql://", "postgresql://", 1
    )


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def backup(folder: Path | None = None) -> Path:
    now = datetime.datetime.now(datetime.timezone.utc)  # noqa: UP017 (Python 3.10)
    stamp = now.strftime("%Y-%m-%dT%H%M%SZ")
    base = Path(os.environ.get("BACKUP_DIR", ROOT / "var" / "backups"))
    folder = folder or base / stamp
    folder.mkdir(parents=True)
    url = libpq_url(database_url())
    subprocess.run(
        [tool("pg_dump"), "--format=custom", "--no-owner", f"--file={folder / DUMP}"]
        + [f"--dbname={url}"],
        check=True,
    )
    media = media_root()
    with tarfile.open(folder / MEDIA, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname="media")
    manifest = {
        "taken_at": stamp,
        "database": database_name(url),
        "dump": DUMP,
        "dump_bytes": (folder / DUMP).stat().st_size,
        "media": MEDIA,
        "media_files": sum(1 for p in media.rglob("*") if p.is_file())
        if media.exists()
        else 0,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"Backup written to {folder}")
    return folder


def _connect(url: str, dbname: str):
    import psycopg  # noqa: PLC0415

    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    return psycopg.connect(
        host=query.get("host") or parts.hostname,
        port=parts.port or query.get("port"),
        user=parts.username or query.get("user"),
        password=parts.password,
        dbname=dbname,
        autocommit=True,
    )


def create_empty_database(url: str) -> None:
    """CREATE DATABASE, or accept an existing one only when it has no tables."""
    name = database_name(url)
    with _connect(url, "postgres") as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            return
    with _connect(url, name) as conn:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()[0]
    if tables:
        sys.exit(f"{name} already has tables: restore into a new database.")


def restore(folder: Path, url: str | None = None, media: Path | None = None):
    folder = folder.resolve()
    manifest = json.loads((folder / "manifest.json").read_text())
    source = libpq_url(database_url())
    new_name = f"{manifest['database']}_{manifest['taken_at']}".lower()
    url = libpq_url(
        url
        or os.environ.get("RESTORE_DATABASE_URL")
        or with_database(source, new_name.replace("-", "_"))
    )
    media = media or Path(
        os.environ.get(
            "RESTORE_MEDIA_ROOT", ROOT / "var" / f"media-{manifest['taken_at']}"
        )
    )
    create_empty_database(url)
    subprocess.run(
        [
            tool("pg_restore"),
            "--no-owner",
            "--exit-on-error",
            "--single-transaction",
            f"--dbname={url}",
            str(folder / DUMP),
        ],
        check=True,
    )
    if media.exists() and any(media.iterdir()):
        sys.exit(f"{media} is not empty: restore the media into a new folder.")
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA) as archive:
        for member in archive.getmembers():
            if member.name == "media" or not member.name.startswith("media/"):
                continue
            member.name = member.name.removeprefix("media/")
            archive.extract(member, media, filter="data")
    print(f"Restored into {url}\nMedia files in {media}")
    print(f"Serve it with DATABASE_URL={url} DJANGO_MEDIA_ROOT={media}")
    return url, media


def main(argv: list[str]) -> None:
    command = argv[1] if len(argv) > 1 else ""
    if command == "backup":
        backup()
    elif command == "restore" and len(argv) > 2 and argv[2]:
        restore(Path(argv[2]))
    else:
        sys.exit("Usage: backup.py backup | backup.py restore BACKUP_FOLDER")


if __name__ == "__main__":
    main(sys.argv)
