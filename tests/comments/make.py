"""Quick ways to put comments in a thread, counted like the site counts them."""

import random

from comments.bulk import insert_thread
from comments.demo import pick_parent
from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory


def comment(discussion=None, parent=None, status=Comment.Status.PUBLISHED, **fields):
    if discussion is None:
        discussion = parent.discussion if parent else ArticleFactory().discussion
    if "author" not in fields:
        fields.setdefault("guest_name", "Fran")
        fields.setdefault("guest_email", "fran@example.com")
    made = Comment.objects.create(
        discussion=discussion,
        parent=parent,
        body=fields.pop("body", "Hello there"),
        status=status,
        **fields,
    )
    if status == Comment.Status.PUBLISHED:
        discussion.record_change(published_delta=1)
    return made


def thread(size, *, seed=1, members=5):
    """An article and its `members`; its discussion has `size` published comments,
    one in three by a guest, nested up to eight levels in a shape set by `seed`."""
    rng = random.Random(seed)
    people = UserFactory.create_batch(members)
    article = ArticleFactory(authors=[people[0]])
    rows, depths = [], []
    for index in range(size):
        parent = pick_parent(rng, index, depths, chance=0.7, window=50, max_depth=7)
        depths.append(depths[parent] + 1 if parent is not None else 0)
        who = {"author": people[index % members]}
        if index % 3 == 2:
            who = {"guest_name": "Guest reader", "guest_email": "guest@example.org"}
        rows.append({"reply_to": parent, "body": f"Comment number {index}.", **who})
    insert_thread(article.discussion, rows)
    article.discussion.refresh_from_db()
    return article, people
