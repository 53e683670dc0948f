"""The demo forum: categories and topics from forums/demo/, written for Kindred.

A category is a Markdown file in demo/categories/ (its description), a topic one
in demo/topics/ (its first post), each with TOML front matter between `+++`
lines. A topic's replies are written as in comments.demo.parse_outline, one per line,
"Name: text", indented two spaces per level of reply. `article = "SLUG"` links
the topic to the article it discusses.
"""

import random
from datetime import timedelta
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import Article
from comments.bulk import insert_thread
from comments.demo import parse_outline
from forums.bulk import insert_topics
from forums.models import Category, Topic

DEMO = Path(__file__).parent / "demo"
# Forum regulars beyond the site's demo accounts; they cannot log in.
REGULARS = [
    ("Ade Okonkwo", "Husband, cook, hoist expert."),
    ("Rosa Martín", "My brother has ALS. Nurse by training."),
    ("Hannah Cole", "Diagnosed at 34. Mother of two."),
    ("Kenji Mori", "Retired engineer, bulbar onset, types with a switch."),
]


def read(path):
    """(front matter as a dict, Markdown body) of one demo file."""
    text = path.read_text()
    _, front, body = text.split("+++\n", 2)
    return tomllib.loads(front), body.strip()


def seed_forums(*, now=None):
    """Load the demo forum once; return the number of topics added."""
    if Category.objects.exists():
        return 0
    now = now or timezone.now()
    people = _people()
    categories = {}
    for path in sorted((DEMO / "categories").glob("*.md")):
        front, description = read(path)
        categories[front["slug"]] = Category.objects.create(
            description=description, **front
        )
    moderator = people["Sam Reyes"]
    topics = []
    for path in sorted((DEMO / "topics").glob("*.md")):
        front, body = read(path)
        created = now - timedelta(days=front["days_ago"], hours=len(topics) % 7)
        [topic] = insert_topics(
            categories[front["category"]],
            [
                {
                    "title": front["title"],
                    "author": people[front["author"]],
                    "body": body,
                    "created_at": created,
                }
            ],
        )
        rows = parse_outline(front.get("replies", ""), people)
        rng = random.Random(front["title"])
        span = min(now - created, timedelta(days=5))
        offsets = sorted(rng.random() for _ in rows)
        for row, offset in zip(rows, offsets, strict=True):
            row["created_at"] = created + span * (0.01 + 0.98 * offset)
        insert_thread(topic.discussion, rows)
        if slug := front.get("article"):  # "Discuss this in the forums"
            article = Article.objects.filter(slug=slug).first()
            Topic.objects.filter(pk=topic.pk).update(article=article)
        if front.get("pinned"):
            topic.pin(by=moderator)
        if reason := front.get("locked"):
            topic.lock(by=moderator, reason=reason)
        topics.append(topic)
    return len(topics)


def _people():
    """Display name to member: the demo accounts and the forum regulars."""
    User = get_user_model()
    for name, bio in REGULARS:
        email = f"{name.split()[0].lower()}@forum.kindred.example"
        if not User.objects.filter(email=email).exists():
            user = User.objects.create_user(
                email=email, password=None, display_name=name, bio=bio
            )
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
    return {user.display_name: user for user in User.objects.all()}
