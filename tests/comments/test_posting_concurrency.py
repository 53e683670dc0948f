"""Posting when things happen at once, with real parallel requests.

Each request runs in its own thread with its own database connection, so these
tests commit for real (transactional_db) and put back the data the migrations
made (serialized_rollback) for the tests that follow.
"""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from comments.models import Comment, Discussion, ModerationSettings
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


def at_once(clients, send):
    """send(client, index) for every client, all started together; the answers."""
    barrier = threading.Barrier(len(clients))
    answers, errors = [None] * len(clients), []

    def run(index):
        try:
            barrier.wait()
            answers[index] = send(clients[index], index)
        except Exception as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()  # this thread's connection, not the test's

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_same_form_sent_ten_times_at_once_stores_one_and_lands_all_on_it():
    article = ArticleFactory()
    member = UserFactory()
    first = signed_in(member)
    copies = [first]
    for _ in range(9):  # the same browser: the same session cookie
        copy = Client()
        copy.cookies = first.cookies
        copies.append(copy)
    form = {"body": "Sent once, arrived ten times", "token": str(uuid.uuid4())}
    url = reverse("comments:post", args=[article.discussion_id])

    answers = at_once(copies, lambda client, _: client.post(url, form))

    stored = Comment.objects.get()
    permalink = reverse("comments:permalink", args=[stored.pk])
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, permalink)] * 10
    assert Discussion.objects.get(pk=article.discussion_id).comment_count == 1


def test_fifty_members_replying_to_one_comment_at_once_are_all_stored():
    article = ArticleFactory()
    parent = comment(article.discussion, body="Has anyone tried this?")
    clients = [signed_in(UserFactory()) for _ in range(50)]
    url = reverse("comments:reply", args=[parent.pk])

    answers = at_once(
        clients,
        lambda client, n: client.post(
            url, {"body": f"Reply number {n}", "token": str(uuid.uuid4())}
        ),
    )

    assert [a.status_code for a in answers] == [302] * 50
    replies = Comment.objects.filter(parent=parent)
    assert replies.count() == 50
    paths = list(replies.values_list("path", flat=True))
    assert len(set(paths)) == 50 and all(p.startswith(parent.path) for p in paths)
    assert Discussion.objects.get(pk=article.discussion_id).comment_count == 51
