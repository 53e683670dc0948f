"""Reacting when things happen at once, with real parallel requests (each in
its own thread and database connection, committed for real)."""

import pytest
from django.urls import reverse

from comments.models import Reaction
from tests.comments.make import comment
from tests.comments.test_posting_concurrency import at_once, signed_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_members_reacting_at_once_count_each_other():
    post = comment(ArticleFactory().discussion, author=UserFactory())
    clients = [signed_in(UserFactory()) for _ in range(8)]
    url = reverse("comments:react", args=[post.pk])
    kinds = ["helpful", "same"]
    answers = at_once(
        clients, lambda client, i: client.post(url, {"kind": kinds[i % 2]})
    )
    assert [answer.status_code for answer in answers] == [302] * 8
    assert Reaction.objects.filter(comment=post).count() == 8
    post.refresh_from_db()
    assert post.reaction_counts == {"same": 4, "helpful": 4}


def test_one_form_sent_five_times_at_once_leaves_one_reaction():
    post = comment(ArticleFactory().discussion, author=UserFactory())
    member = UserFactory()
    clients = [signed_in(member) for _ in range(5)]
    url = reverse("comments:react", args=[post.pk])
    answers = at_once(clients, lambda client, i: client.post(url, {"kind": "same"}))
    assert [answer.status_code for answer in answers] == [302] * 5
    assert list(Reaction.objects.values_list("member", "kind")) == [(member.pk, "same")]
    post.refresh_from_db()
    assert post.reaction_counts == {"same": 1}
