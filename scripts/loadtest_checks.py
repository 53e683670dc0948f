"""The load test's checks (scripts/loadtest.py): what the ledger says was
acknowledged, against what the primary stores and the emails the stack wrote.
`run` is the mark of the run in every text it wrote."""

import email
import email.policy
import re
from collections import Counter
from pathlib import Path

import stack

ROOT = Path(__file__).resolve().parent.parent
COMMENT_URL = re.compile(r"/comments/(\d+)/")
MAIL = ROOT / "var" / "mail"  # the settings' EMAIL_FILE_PATH when EMAIL_URL is unset


def database():
    import psycopg  # noqa: PLC0415

    return psycopg.connect(
        host=str(stack.primary_dir()), user="postgres", dbname=stack.DB_NAME
    )


def check(ledger, run):
    acked = [w for w in ledger.writes if w.get("outcome") == "acknowledged"]
    failed = {w["token"] for w in ledger.writes if w.get("outcome") == "failed"}
    tokens = {w["token"] for w in acked}
    with database() as db:
        rows = db.execute(
            "SELECT form_token::text, id, body, parent_id, discussion_id, status,"
            " author_id FROM comments_comment WHERE body LIKE %s",
            [f"Load test {run} %"],
        ).fetchall()
        by_token = {}
        for row in rows:
            by_token.setdefault(row[0], []).append(row)
        lost = duplicated = wrong = 0
        for w in acked:
            found = by_token.get(w["token"], [])
            same_text = [r for r in rows if r[2] == w["body"]]
            if not found:
                lost += 1
                continue
            if len(found) > 1 or len(same_text) > 1:
                duplicated += 1
            row = found[0]
            if (
                row[1] != w["id"]
                or row[2] != w["body"]
                or row[3] != w["parent"]
                or (w["discussion"] and row[4] != w["discussion"])
            ):
                wrong += 1
        unexplained = [r for r in rows if r[0] not in tokens and r[0] not in failed]
        indeterminate_stored = sum(
            1 for r in rows if r[0] in failed and r[0] not in tokens
        )
        drift = db.execute(
            """SELECT count(*) FROM comments_discussion d WHERE d.comment_count <>
               (SELECT count(*) FROM comments_comment c
                WHERE c.discussion_id = d.id AND c.status = 'published')"""
        ).fetchone()[0]
        duplicate_notifications = db.execute(
            """SELECT count(*) FROM (SELECT 1 FROM accounts_notification
               GROUP BY recipient_id, kind, comment_id HAVING count(*) > 1) d"""
        ).fetchone()[0]
        ids = [w["id"] for w in acked if w["parent"]]
        due = db.execute(
            """SELECT c.id, p.author_id FROM comments_comment c
               JOIN comments_comment p ON p.id = c.parent_id
               WHERE c.id = ANY(%s) AND c.status = 'published'
               AND p.author_id IS NOT NULL AND p.author_id <> c.author_id""",
            [ids],
        ).fetchall()
        made = {
            (comment, recipient)
            for comment, recipient in db.execute(
                """SELECT comment_id, recipient_id FROM accounts_notification
                   WHERE kind = 'reply' AND comment_id = ANY(%s)""",
                [ids],
            ).fetchall()
        }
        topics = check_topics(db, ledger.topics, run)
        emails = check_emails(
            db, [comment for comment, _ in due], ledger.wall_start, run
        )
    missing_notifications = sum(1 for pair in due if pair not in made)
    return {
        "acknowledged": len(acked),
        "refused": sum(1 for w in ledger.writes if w.get("outcome") == "refused"),
        "failed (indeterminate)": len(failed - tokens),
        "indeterminate stored": indeterminate_stored,
        "lost": lost,
        "duplicated": duplicated,
        "wrong text or place": wrong,
        "stored but not acknowledged": len(unexplained),
        "count drift (discussions)": drift,
        "reply notifications due": len(due),
        "reply notifications missing": missing_notifications,
        "notifications duplicated": duplicate_notifications,
        **topics,
        **emails,
    }


def sent_emails(since):
    """(recipient, ids of the comments it links to) of each email the stack
    wrote since `since` (wall clock): in development and in the stack, Django's
    file backend writes each batch of messages to one file of MAIL, each message
    followed by a line of 79 dashes."""
    if not MAIL.is_dir():
        return
    for path in MAIL.glob("*.log"):
        if path.stat().st_mtime < since:
            continue
        for raw in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            text = message.get_body(("plain",)).get_content()
            yield str(message["To"]), {int(n) for n in COMMENT_URL.findall(text)}


def check_emails(db, replies, since, run):
    """Every email due to a member of the run was sent at most once.

    Due: the run's members want replies emailed at once (the default), at most
    one email per discussion an hour, later replies folding into one email sent
    when the hour is up (after the run). So each (member, discussion) that got a
    reply during the run is due exactly one email now; no reply may be in two
    emails, and no member may have two emails about one discussion in the run.
    Only the run's members are counted: they have no earlier emails whose hour
    could hold theirs back.
    """
    replied = db.execute(
        """SELECT c.id, c.discussion_id, u.email FROM comments_comment c
           JOIN comments_comment p ON p.id = c.parent_id
           JOIN accounts_user u ON u.id = p.author_id
           WHERE c.id = ANY(%s) AND u.email LIKE %s""",
        [replies, f"lt-{run}-%"],
    ).fetchall()
    discussion_of = {comment: discussion for comment, discussion, _ in replied}
    due = {(to, discussion) for _, discussion, to in replied}
    emails = [(to, ids) for to, ids in sent_emails(since) if f"lt-{run}-" in to]
    per_reply, per_discussion = Counter(), Counter()
    for to, ids in emails:
        per_reply.update((to, comment) for comment in ids)
        per_discussion.update({(to, discussion_of.get(c)) for c in ids} - {None})
    return {
        "emails due": len(due),
        "emails sent": len(emails),
        "emails due but missing": len(due - set(per_discussion)),
        "replies emailed twice": sum(1 for n in per_reply.values() if n > 1),
        "second emails about one discussion": sum(
            n - 1 for n in per_discussion.values() if n > 1
        ),
    }


def check_topics(db, topics, run):
    """Every acknowledged topic exists once, with its exact title, first post
    and category; no topic of the run exists that was not acknowledged,
    unless its request failed."""
    acked = {t["token"]: t for t in topics if t.get("outcome") == "acknowledged"}
    failed = {t["token"] for t in topics if t.get("outcome") == "failed"}
    rows = db.execute(
        """SELECT c.form_token::text, t.id, t.title, c.body, k.slug
           FROM forums_topic t JOIN comments_comment c ON c.id = t.opening_post_id
           JOIN forums_category k ON k.id = t.category_id
           WHERE c.body LIKE %s OR t.title LIKE %s""",
        [f"Topic of load test {run} %", f"Load test {run} topic %"],
    ).fetchall()
    by_token = {}
    for row in rows:
        by_token.setdefault(row[0], []).append(row)
    lost = duplicated = wrong = 0
    for token, topic in acked.items():
        found = by_token.get(token, [])
        if not found:
            lost += 1
            continue
        duplicated += len(found) > 1
        expected = (topic["id"], topic["title"], topic["body"], topic["category"])
        wrong += tuple(found[0][1:]) != expected
    return {
        "topics acknowledged": len(acked),
        "topics refused": sum(1 for t in topics if t.get("outcome") == "refused"),
        "topics failed (indeterminate)": len(failed - set(acked)),
        "topics lost": lost,
        "topics duplicated": duplicated,
        "topics with wrong title, text or category": wrong,
        "topics stored but not acknowledged": sum(
            1 for r in rows if r[0] not in acked and r[0] not in failed
        ),
    }


# Any of these above 0 fails the run.
FAILING = [
    "lost",
    "duplicated",
    "count drift (discussions)",
    "topics lost",
    "topics duplicated",
    "notifications duplicated",
    "replies emailed twice",
    "second emails about one discussion",
]
