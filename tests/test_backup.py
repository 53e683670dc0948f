"""`make backup` / `make restore`: a backup taken while comments are being
written restores into a fresh PostgreSQL cluster with every row of one moment,
the counts matching the rows, the media files, and an article page that renders."""

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections, transaction

from comments.models import Comment, Discussion
from config import localdb
from tests.comments.make import comment
from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)


def current_database_url():
    info = connection.settings_dict
    host = info["OPTIONS"].get("host") or info["HOST"]
    return f"postgresql://{info['USER']}@/{info['NAME']}?host={host}"


@pytest.fixture
def fresh_cluster():
    """A PostgreSQL cluster of its own, made for this test and removed after;
    the postgres user must reach it, so not under pytest's private tmp dir."""
    folder = Path(tempfile.mkdtemp(prefix="kindred-restore-"))
    folder.chmod(0o755)
    data = folder / "data"
    localdb.start(data)
    yield data
    localdb.stop(data)
    shutil.rmtree(folder, ignore_errors=True)


def script(*args, **env):
    environment = {**os.environ, "DATABASE_URL": current_database_url(), **env}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def counts(conn):
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    ]
    count = 'SELECT count(*) FROM "{}"'
    return {t: conn.execute(count.format(t)).fetchone()[0] for t in tables}


def test_a_backup_taken_during_writes_restores_into_a_fresh_cluster(
    tmp_path, fresh_cluster
):
    article = ArticleFactory(title="Kept through a restore")
    discussion = article.discussion
    for n in range(20):
        comment(discussion=discussion, body=f"Before the backup {n}")
    media = tmp_path / "media"
    (media / "avatars").mkdir(parents=True)
    (media / "avatars" / "one.jpg").write_bytes(b"\xff\xd8 a picture")

    # Comments keep arriving, each with its count in one transaction, while
    # pg_dump runs.
    stop, written = threading.Event(), []

    def writer():
        try:
            while not stop.is_set():
                with transaction.atomic():
                    made = comment(discussion=discussion, body="During the backup")
                written.append(made.pk)
        finally:
            connections.close_all()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        script(
            "scripts/backup.py",
            "backup",
            BACKUP_DIR=str(tmp_path / "backups"),
            DJANGO_MEDIA_ROOT=str(media),
        )
    finally:
        stop.set()
        thread.join()
    assert written, "nothing was written during the backup"
    (folder,) = (tmp_path / "backups").iterdir()

    restored_url = f"postgresql://kindred@/restored?host={fresh_cluster}"
    restored_media = tmp_path / "restored-media"
    script(
        "scripts/backup.py",
        "restore",
        str(folder),
        RESTORE_DATABASE_URL=restored_url,
        RESTORE_MEDIA_ROOT=str(restored_media),
    )

    with psycopg.connect(
        host=str(fresh_cluster), user="kindred", dbname="restored"
    ) as restored:
        kept = [
            pk
            for (pk,) in restored.execute(
                "SELECT id FROM comments_comment WHERE body = 'During the backup'"
                " ORDER BY id"
            ).fetchall()
        ]
        # One moment: the comments written during the dump are a prefix of
        # those acknowledged, in order, with none missing in between.
        assert kept == written[: len(kept)]
        count = restored.execute(
            "SELECT comment_count FROM comments_discussion WHERE id = %s",
            [discussion.pk],
        ).fetchone()[0]
        assert count == 20 + len(kept)
        restored_counts = counts(restored)
    connection.ensure_connection()
    live = counts(connection.connection)
    changed = {"comments_comment", "comments_discussion"}
    assert {t: n for t, n in restored_counts.items() if t not in changed} == {
        t: n for t, n in live.items() if t not in changed
    }
    assert restored_counts["comments_comment"] == 20 + len(kept)
    assert Comment.objects.count() == 20 + len(written)
    assert Discussion.objects.get(pk=discussion.pk).comment_count == 20 + len(written)
    picture = restored_media / "avatars" / "one.jpg"
    assert picture.read_bytes() == b"\xff\xd8 a picture"

    # The restored database serves the article page, its discussion included.
    page = script(
        "manage.py",
        "shell",
        "-v",
        "0",
        "-c",
        "from django.test import Client; "
        f"r = Client(HTTP_HOST='localhost').get('{article.get_absolute_url()}'); "
        "print(r.status_code); print(r.content.decode())",
        DATABASE_URL=restored_url,
        DJANGO_MEDIA_ROOT=str(restored_media),
    )
    assert page.startswith("200\n")
    assert "Kept through a restore" in page
    assert "Before the backup 19" in page
