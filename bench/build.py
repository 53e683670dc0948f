"""Deterministic data for the benchmarks, built without the test suite's factories."""

import itertools
import random

from django.utils import timezone

from accounts.models import User
from articles.models import Article, Section
from comments.bulk import insert_thread
from comments.demo import pick_parent
from comments.models import Comment

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
_numbers = itertools.count(1)


def member(**fields):
    """A member who signs in only through Client.force_login (no usable password)."""
    number = next(_numbers)
    return User.objects.create_user(
        email=f"bench{number}@example.com", display_name=f"Member {number}", **fields
    )


def article(author):
    """A published article, an hour old, in the benchmarks' own section."""
    section, _ = Section.objects.get_or_create(
        slug="bench", defaults={"name": "Benchmarks"}
    )
    made = Article.objects.create(
        title=f"Research update number {next(_numbers)}",
        summary="What a new study means for people living with ALS.",
        body="A trial reported **encouraging** results.\n\nMore work is needed.",
        section=section,
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timezone.timedelta(hours=1),
    )
    made.authors.set([author])
    return made


def thread(size, *, depth=8, members=20, seed=1, status=Comment.Status.PUBLISHED):
    """An article whose discussion has `size` comments, nested up to `depth` levels."""
    rng = random.Random(seed)
    people = [member() for _ in range(members)]
    story = article(people[0])
    rows, depths = [], []
    for index in range(size):
        parent = pick_parent(
            rng, index, depths, chance=0.7, window=50, max_depth=depth - 1
        )
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
    insert_thread(story.discussion, rows)
    story.discussion.refresh_from_db()
    return story, people
