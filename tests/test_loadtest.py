"""The load test's email check (scripts/loadtest_checks.py) reads what the
stack's file backend wrote."""

import importlib.util
import time
from pathlib import Path

from django.core import mail
from django.core.mail import EmailMultiAlternatives

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "loadtest.py"


def load_checks():
    """scripts/loadtest_checks.py, as scripts/loadtest.py imports it (it puts
    scripts/ on the path)."""
    spec = importlib.util.spec_from_file_location("loadtest_script", SCRIPT)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    import loadtest_checks  # noqa: PLC0415

    return loadtest_checks


def test_emails_written_as_files_are_read_back_with_the_comments_they_link(
    settings, tmp_path
):
    loadtest = load_checks()
    loadtest.MAIL = settings.EMAIL_FILE_PATH = tmp_path
    started = time.time() - 1
    with mail.get_connection() as connection:  # two messages in one file
        for to, ids in [("ana@example.com", [12, 15]), ("ben@example.com", [7])]:
            links = "\n\n".join(
                f"Read it and reply: https://kindred.example/comments/{n}/" for n in ids
            )
            message = EmailMultiAlternatives(
                "New replies", f"Ana’s reply — {links}", to=[to], connection=connection
            )
            message.attach_alternative("<p>html</p>", "text/html")
            message.send()

    assert sorted(loadtest.sent_emails(started)) == [
        ("ana@example.com", {12, 15}),
        ("ben@example.com", {7}),
    ]
    assert list(loadtest.sent_emails(time.time() + 60)) == []
