"""Muting a member: their posts fold away for the muter, and they send the muter
no notifications."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Follow, Mute, Notification
from accounts.notifications import notify
from comments.models import Visit
from comments.services import react_to_comment
from comments.views import reading
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return UserFactory(display_name="Rosa"), UserFactory(display_name="Vic")


def mute(client, person, on=True, next_url=""):
    return client.post(
        reverse("accounts:mute", args=[person.pk]),
        {"mute": "1" if on else "0", "next": next_url},
    )


def card(html, pk):
    start = html.index(f'<li id="comment-{pk}"')
    return html[start : html.index("</article>", start)]


def test_a_member_mutes_and_unmutes_from_the_profile(client, people):
    rosa, vic = people
    client.force_login(rosa)
    profile = client.get(vic.get_absolute_url()).content.decode()
    assert 'name="mute" value="1"' in profile and "Mute<span" in profile
    response = mute(client, vic, next_url=vic.get_absolute_url())
    assert response.status_code == 302 and response.url == vic.get_absolute_url()
    assert Mute.objects.filter(muter=rosa, muted=vic).exists()
    profile = client.get(vic.get_absolute_url()).content.decode()
    assert "You muted Vic" in profile  # the message
    assert "You muted this member" in profile and "Unmute<span" in profile
    mute(client, vic, on=False)
    assert not Mute.objects.exists()


def test_the_settings_page_lists_the_muted_and_undoes_a_mute(client, people):
    rosa, vic = people
    Mute.objects.create(muter=rosa, muted=vic)
    client.force_login(rosa)
    html = client.get(reverse("accounts:settings")).content.decode()
    listed = html[html.index('id="muted"') :]
    assert f'href="{vic.get_absolute_url()}">Vic</a>' in listed
    assert 'name="mute" value="0"' in listed
    response = mute(client, vic, on=False, next_url=reverse("accounts:settings"))
    assert response.url == reverse("accounts:settings")
    assert not Mute.objects.exists()
    html = client.get(reverse("accounts:settings")).content.decode()
    assert "You have muted nobody" in html


def test_muting_needs_a_signed_in_member_and_a_post(client, people):
    rosa, vic = people
    response = mute(client, vic)
    assert response.status_code == 302 and "login" in response.url
    client.force_login(rosa)
    assert client.get(reverse("accounts:mute", args=[vic.pk])).status_code == 405
    assert not Mute.objects.exists()


def test_nobody_mutes_themselves_and_next_stays_on_the_site(client, people):
    rosa, vic = people
    client.force_login(rosa)
    response = mute(client, rosa)
    assert not Mute.objects.exists()
    assert "You cannot mute yourself" in client.get(response.url).content.decode()
    assert "Mute<span" not in client.get(rosa.get_absolute_url()).content.decode()
    response = mute(client, vic, next_url="https://elsewhere.example/")
    assert response.url == vic.get_absolute_url()


def test_a_muted_members_posts_fold_for_the_muter_only(client, people):
    rosa, vic = people
    article = ArticleFactory()
    said = comment(article.discussion, author=vic, body="Loud words")
    answer = comment(parent=said, author=UserFactory(), body="A calm answer")
    own = comment(article.discussion, author=rosa, body="My words")
    Mute.objects.create(muter=rosa, muted=vic)
    client.force_login(rosa)
    html = client.get(article.get_absolute_url()).content.decode()
    folded = card(html, said.pk)
    assert '<details class="muted-post"><summary>Post by a muted member' in folded
    assert '<span class="when-closed">(show)</span>' in folded
    assert "Loud words" in folded  # inside the <details>: "show" opens it
    assert 'name="mute" value="0"' in folded  # and Unmute there
    # Their replies' authors are not muted: those stay as they were, with Mute.
    assert "muted-post" not in card(html, answer.pk)
    assert 'name="mute" value="1"' in card(html, answer.pk)
    assert "mute-form" not in card(html, own.pk)
    # Someone else reads it unfolded, and the shared cache holds nothing of it.
    client.force_login(UserFactory())
    html = client.get(article.get_absolute_url()).content.decode()
    assert "muted-post" not in html and "Loud words" in html
    client.logout()
    assert "mute-form" not in client.get(article.get_absolute_url()).content.decode()


def test_a_comments_mute_button_brings_the_muter_back_to_it(client, people):
    rosa, vic = people
    article = ArticleFactory()
    said = comment(article.discussion, author=vic, body="Hello")
    client.force_login(rosa)
    html = client.get(article.get_absolute_url()).content.decode()
    back = f"{article.get_absolute_url()}#comment-{said.pk}"
    assert f'name="next" value="{back}"' in card(html, said.pk)
    response = mute(client, vic, next_url=back)
    assert response.url == back
    html = client.get(article.get_absolute_url()).content.decode()
    assert "muted-post" in card(html, said.pk)


def test_folding_costs_a_page_one_query(client, people, monkeypatch):
    rosa, vic = people
    article = ArticleFactory()
    for n in range(20):
        comment(article.discussion, author=vic if n % 2 else UserFactory())
    Mute.objects.create(muter=rosa, muted=vic)
    client.force_login(rosa)
    client.get(article.get_absolute_url())
    passes = list(reading.READER_PASSES)

    def count(chosen):
        monkeypatch.setattr(reading, "READER_PASSES", chosen)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            html = client.get(article.get_absolute_url()).content.decode()
        return len(queries.captured_queries), html

    others = [p for p in passes if p.__name__ != "fold_muted"]
    without, _plain = count(others)
    with_folds, html = count(passes)
    assert html.count("muted-post") == 10
    assert with_folds == without + 1


def test_a_muted_member_sends_the_muter_no_notifications(people):
    rosa, vic = people
    ben = UserFactory()
    article = ArticleFactory()
    Follow.objects.create(member=rosa, discussion=article.discussion)
    Follow.objects.create(member=ben, discussion=article.discussion)
    asked = comment(article.discussion, author=rosa, body="Any advice?")
    Mute.objects.create(muter=rosa, muted=vic)
    reply = comment(parent=asked, author=vic, body="@Rosa here is some")
    notify(reply)
    assert list(Notification.objects.values_list("recipient", flat=True)) == [ben.pk]
    # Unmuted, the same reply reaches her.
    Mute.objects.all().delete()
    notify(reply)
    assert Notification.objects.filter(recipient=rosa, kind="reply").exists()


def test_a_muted_members_reaction_does_not_notify(
    people, django_capture_on_commit_callbacks
):
    rosa, vic = people
    said = comment(ArticleFactory().discussion, author=rosa, body="Hard week")
    Mute.objects.create(muter=rosa, muted=vic)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        react_to_comment(comment=said, member=vic, kind="thinking")
    assert callbacks == []
    assert not Notification.objects.exists()


def test_a_folded_post_is_not_pointed_to_as_new(client, people):
    rosa, vic = people
    article = ArticleFactory()
    client.force_login(rosa)
    client.get(article.get_absolute_url())  # a first visit
    Visit.objects.update(seen_at=timezone.now() - timedelta(hours=1))
    loud = comment(article.discussion, author=vic, body="Loud")
    calm = comment(article.discussion, author=UserFactory(), body="Calm")
    Mute.objects.create(muter=rosa, muted=vic)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "1 new comment on this page" in html
    assert f'href="#comment-{calm.pk}">Next new comment' in html
    assert "New</strong>" not in card(html, loud.pk)
    assert "is-folded" in card(html, loud.pk)
