import pytest
from django.urls import reverse

from comments.models import Comment, Report
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported():
    return comment(ArticleFactory().discussion, body="You are all fools")


def test_reporting_needs_an_account(client, reported):
    response = client.post(
        reverse("comments:report", args=[reported.pk]), {"reason": "abusive"}
    )
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    assert not Report.objects.exists()


def test_a_member_reports_a_comment_and_is_told_it_was_received(client, reported):
    member = UserFactory()
    client.force_login(member)
    page = client.get(reverse("comments:report", args=[reported.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "You are all fools" in html and "Medical misinformation" in html
    response = client.post(
        reverse("comments:report", args=[reported.pk]),
        {"reason": "abusive", "note": "Name-calling"},
        follow=True,
    )
    assert "your report was received" in response.content.decode()
    report = Report.objects.get()
    assert (report.reporter, report.reason, report.note) == (
        member,
        "abusive",
        "Name-calling",
    )


def test_a_member_reports_a_comment_only_once(client, reported):
    client.force_login(UserFactory())
    url = reverse("comments:report", args=[reported.pk])
    client.post(url, {"reason": "abusive"})
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert "already reported this comment" in response.content.decode()
    assert Report.objects.count() == 1


def test_a_report_without_a_reason_is_refused_next_to_the_field(client, reported):
    client.force_login(UserFactory())
    response = client.post(
        reverse("comments:report", args=[reported.pk]), {"note": "kept text"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html and "kept text" in html
    assert not Report.objects.exists()


def test_three_members_reporting_hold_the_comment(client, reported):
    for _ in range(3):
        client.force_login(UserFactory())
        client.post(reverse("comments:report", args=[reported.pk]), {"reason": "spam"})
    reported.refresh_from_db()
    assert reported.status == Comment.Status.PENDING


def test_hidden_comments_cannot_be_reported(client):
    hidden = comment(status=Comment.Status.PENDING)
    client.force_login(UserFactory())
    url = reverse("comments:report", args=[hidden.pk])
    assert client.get(url).status_code == 404


def test_members_get_a_report_link_on_others_comments_only(client):
    article = ArticleFactory()
    member = UserFactory()
    theirs = comment(article.discussion, body="Theirs")
    mine = comment(article.discussion, author=member, body="Mine")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "/report/" not in html  # not for anonymous readers
    client.force_login(member)
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("comments:report", args=[theirs.pk]) in html
    assert reverse("comments:report", args=[mine.pk]) not in html
