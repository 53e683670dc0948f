"""Opening the comment a notification is about marks that notification read,
whichever link led there (an email links straight to the comment)."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_opening_the_comment_from_an_email_link_marks_its_notifications_read(client):
    rosa, ade = UserFactory(), UserFactory()
    article = ArticleFactory()
    mine = comment(article.discussion, author=rosa, body="Mine.")
    reply = comment(article.discussion, parent=mine, author=ade, body="An answer.")
    other = comment(article.discussion, author=ade, body="Elsewhere.")
    about_reply = Notification.objects.create(
        recipient=rosa, kind=Notification.Kind.REPLY, actor=ade, comment=reply
    )
    about_other = Notification.objects.create(
        recipient=rosa, kind=Notification.Kind.FOLLOWED, actor=ade, comment=other
    )
    for_ade = Notification.objects.create(
        recipient=ade, kind=Notification.Kind.MENTION, actor=rosa, comment=reply
    )
    client.force_login(rosa)
    response = client.get(reverse("comments:permalink", args=[reply.pk]))
    assert response.status_code == 302
    about_reply.refresh_from_db()
    about_other.refresh_from_db()
    for_ade.refresh_from_db()
    assert about_reply.read_at is not None
    assert about_other.read_at is None  # another comment
    assert for_ade.read_at is None  # another member's


def test_a_guest_opens_a_comment_without_touching_notifications(client):
    rosa = UserFactory()
    written = comment(ArticleFactory().discussion, body="A guest's words.")
    note = Notification.objects.create(
        recipient=rosa, kind=Notification.Kind.FOLLOWED, comment=written
    )
    assert (
        client.get(reverse("comments:permalink", args=[written.pk])).status_code == 302
    )
    note.refresh_from_db()
    assert note.read_at is None
