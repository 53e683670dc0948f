"""Categories, topics and replies, stored the way the site stores them."""

import itertools

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import ModerationSettings
from comments.posting import Submission, Verdict
from comments.services import store_comment
from forums.models import Category
from forums.services import start_topic
from tests.factories import UserFactory

_numbers = itertools.count(1)


def category(**fields):
    n = next(_numbers)
    fields.setdefault("name", f"Category {n}")
    fields.setdefault("slug", f"category-{n}")
    return Category.objects.create(**fields)


def verified(**fields):
    user = UserFactory(**fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    return user


def in_group(name, **fields):
    user = verified(is_staff=True, **fields)
    user.groups.add(Group.objects.get(name=name))
    return user


def publish_first_posts():
    settings = ModerationSettings.current()
    settings.hold_first_comments = False
    settings.save()


def topic(in_category=None, author=None, title=None, body="Hello, everyone.", **kw):
    """A topic started through forums.services.start_topic (judged), published
    unless the rules hold it; each is six minutes after the one before, in the
    past, so that no rate applies."""
    n = next(_numbers)
    moment = kw.pop("now", None) or (
        timezone.now() - timezone.timedelta(days=30) + timezone.timedelta(minutes=6 * n)
    )
    made, verdict = start_topic(
        category=in_category or category(),
        author=author or verified(),
        title=title or f"Topic number {n}",
        body=f"{body} ({n})",
        now=moment,
        **kw,
    )
    assert made is not None, verdict
    return made


def reply(topic, author=None, parent=None, body="A reply", held=False):
    """A reply stored as the comments engine stores one (counts move with it)."""
    verdict = (
        Verdict("hold", rule="test", reason="held") if held else Verdict("publish")
    )
    submission = Submission(
        discussion=topic.discussion,
        body=body,
        author=author or verified(),
        parent=parent,
    )
    return store_comment(submission=submission, verdict=verdict)
