"""Deterministic data for the benchmarks."""

import random

from comments.bulk import insert_thread
from comments.models import Comment
from tests.factories import ArticleFactory, UserFactory

SENTENCES = [
    "My father was diagnosed last spring and this gives us some hope.",
    "Has anyone asked their neurologist about the trial criteria?",
    "I read the paper: the effect was small, and the sample was tiny.",
    "We switched to an eye-gaze keyboard in March; it took two weeks to learn.",
    "Please remember that **mice are not people**.",
    "Thank you for writing this up so clearly.",
    "The insurance company refused again; does anyone have a template letter?",
    "Our support group meets online on Thursdays, all are welcome.",
]


def thread(size, *, depth=8, members=20, seed=1, status=Comment.Status.PUBLISHED):
    """An article whose discussion has `size` comments, nested up to `depth` levels."""
    rng = random.Random(seed)
    people = [UserFactory() for _ in range(members)]
    article = ArticleFactory(authors=[people[0]])
    rows, depths = [], []
    for index in range(size):
        parent = None
        if index and rng.random() < 0.7:
            parent = rng.randrange(max(0, index - 50), index)
            if depths[parent] >= depth - 1:
                parent = None
        depths.append(depths[parent] + 1 if parent is not None else 0)
        guest = rng.random() < 0.3
        rows.append(
            {
                "reply_to": parent,
                "author": None if guest else rng.choice(people),
                "guest_name": "Guest reader" if guest else "",
                "guest_email": "guest@example.org" if guest else "",
                "body": " ".join(rng.sample(SENTENCES, rng.randint(1, 3))),
                "status": status,
            }
        )
    insert_thread(article.discussion, rows)
    article.discussion.refresh_from_db()
    return article, people
