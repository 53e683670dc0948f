import pytest
from django.urls import reverse

from accounts.models import Notification
from articles.models import Article
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def notification(recipient, kind=Notification.Kind.REPLY, **fields):
    actor = fields.pop("actor", None) or UserFactory(display_name="Ben")
    article = Article.objects.filter(title="Tofersen news").first()
    article = article or ArticleFactory(title="Tofersen news")
    said = comment(article.discussion, author=actor, body="Which clinic is it?")
    return Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, comment=said, **fields
    )


def test_the_bell_shows_the_unread_count_as_text(client):
    ana = UserFactory()
    notification(ana)
    notification(ana, kind=Notification.Kind.MENTION)
    notification(ana, read_at="2026-01-01T00:00Z")
    client.force_login(ana)
    html = client.get(reverse("articles:home")).content.decode()
    assert "Notifications: 2 unread" in html
    assert reverse("notifications:list") in html


def test_the_bell_costs_one_query(client, django_assert_num_queries):
    ana = UserFactory()
    client.force_login(ana)
    notification(ana)
    # The session, the user, the sections of the menu, the count, the muted.
    with django_assert_num_queries(5) as counted:
        html = client.get(reverse("accounts:settings")).content.decode()
    assert "Notifications: 1 unread" in html
    counts = [q["sql"] for q in counted.captured_queries if "notification" in q["sql"]]
    assert len(counts) == 1 and '"read_at" IS NULL' in counts[0]


def test_the_list_names_who_what_and_where(client):
    ana = UserFactory()
    notification(ana)
    notification(ana, kind=Notification.Kind.MENTION)
    notification(ana, kind=Notification.Kind.FOLLOWED)
    client.force_login(ana)
    html = client.get(reverse("notifications:list")).content.decode()
    assert "Ben replied to you on “Tofersen news”" in html
    assert "Ben mentioned you on “Tofersen news”" in html
    assert "Ben commented on “Tofersen news”, which you follow" in html
    assert html.count("Which clinic is it?") == 3 and html.count(">New<") == 3


def test_the_list_costs_the_same_for_many_notifications(
    client, django_assert_num_queries
):
    ana = UserFactory()
    client.force_login(ana)
    notification(ana)
    client.get(reverse("notifications:list"))
    # The session, the user, their permissions (two: a moderator may still open
    # a removed comment), the page's count, the bell, the page of notifications.
    with django_assert_num_queries(7) as few:
        client.get(reverse("notifications:list"))
    for _ in range(10):
        notification(ana)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(reverse("notifications:list"))


def test_opening_a_notification_goes_to_the_comment_and_marks_it_read(client):
    ana = UserFactory()
    note = notification(ana)
    client.force_login(ana)
    response = client.get(note.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == note.comment.get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None


def test_mark_one_and_mark_all_read(client):
    ana = UserFactory()
    first, second, third = (notification(ana) for _ in range(3))
    client.force_login(ana)
    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.status_code == 302
    assert list(ana.notifications.unread().order_by("pk")) == [second, third]
    client.post(reverse("notifications:read_all"))
    assert not ana.notifications.unread().exists()


def test_a_member_cannot_open_someone_elses_notification(client):
    note = notification(UserFactory())
    client.force_login(UserFactory())
    assert client.get(note.get_absolute_url()).status_code == 404
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_notifications_need_a_login(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
