"""Drafts: what a member types is kept server-side and offered back on any device."""

import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments.models import Comment, Draft, ModerationSettings
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Half a thought about the trial, typed slowly"


@pytest.fixture(autouse=True)
def publish_first_comments():
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def article():
    return ArticleFactory()


@pytest.fixture
def writer():
    return UserFactory()


def signed_in(user):
    """A new browser of the same member: another device, another session."""
    client = Client()
    client.force_login(user)
    return client


def form(body=TEXT, **changes):
    return {"body": body, "token": str(uuid.uuid4()), "homepage": "", **changes}


def post_url(article):
    return reverse("comments:post", args=[article.discussion_id])


def test_preview_keeps_a_draft_that_another_device_gets_back(article, writer):
    response = signed_in(writer).post(post_url(article), form(preview="1"))
    assert response.status_code == 200
    draft = Draft.objects.get()
    assert (draft.author, draft.place, draft.body) == (
        writer,
        f"discussion-{article.discussion_id}",
        TEXT,
    )
    html = signed_in(writer).get(article.get_absolute_url()).content.decode()
    assert f"{TEXT}</textarea>" in html
    assert "Your unsent draft from" in html and "is restored." in html
    assert 'name="discard_draft"' in html


def test_a_reply_draft_comes_back_on_the_reply_form(article, writer):
    parent = comment(article.discussion)
    url = reverse("comments:reply", args=[parent.pk])
    signed_in(writer).post(url, form(preview="1"))
    html = signed_in(writer).get(url).content.decode()
    assert f"{TEXT}</textarea>" in html and "is restored." in html
    # The discussion's own "Leave a comment" form is another form: empty.
    page = signed_in(writer).get(article.get_absolute_url()).content.decode()
    assert TEXT not in page


def test_posting_deletes_the_draft(article, writer):
    client = signed_in(writer)
    client.post(post_url(article), form(preview="1"))
    response = client.post(post_url(article), form(post="1"))
    assert response.status_code == 302
    assert Comment.objects.get().body == TEXT
    assert not Draft.objects.exists()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "is restored." not in html


def test_a_refused_comment_is_kept_as_a_draft(article, writer, settings):
    client = signed_in(writer)
    client.post(post_url(article), form("A first comment", post="1"))
    response = client.post(post_url(article), form(post="1"))  # too soon after
    assert response.status_code >= 400
    assert Comment.objects.count() == 1
    assert Draft.objects.get().body == TEXT


def test_other_members_and_guests_never_see_a_draft(article, writer):
    parent = comment(article.discussion)
    signed_in(writer).post(post_url(article), form(preview="1"))
    signed_in(writer).post(
        reverse("comments:reply", args=[parent.pk]), form(preview="1")
    )
    someone = signed_in(UserFactory())
    for client in (someone, Client()):
        page = client.get(article.get_absolute_url()).content.decode()
        assert TEXT not in page and "is restored." not in page
    reply = someone.get(reverse("comments:reply", args=[parent.pk])).content.decode()
    assert TEXT not in reply


def test_the_cached_thread_never_holds_a_draft(article, writer):
    parent = comment(article.discussion)
    client = signed_in(writer)
    client.post(post_url(article), form(preview="1"))
    client.post(reverse("comments:reply", args=[parent.pk]), form(preview="1"))
    assert TEXT in client.get(article.get_absolute_url()).content.decode()
    cached = list(cache._cache.values())  # the in-process cache of the tests
    assert cached, "the thread was cached"
    assert not any(TEXT.encode() in value for value in cached)


def test_guests_keep_no_server_drafts(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_ALLOW_GUESTS": True}
    guest = form(preview="1", name="Rosa", email="rosa@example.org", url="")
    assert client.post(post_url(article), guest).status_code == 200
    response = client.post(post_url(article), {**guest, "save_draft": "1"})
    assert response.status_code == 403
    assert not Draft.objects.exists()


def test_autosave_keeps_the_text_and_says_so(article, writer):
    response = signed_in(writer).post(post_url(article), form(save_draft="1"))
    assert response.status_code == 200
    assert response.json()["message"] == "Draft saved"
    assert Draft.objects.get().body == TEXT
    # A second save replaces it: one draft per member and form.
    signed_in(writer).post(post_url(article), form("Shorter now", save_draft="1"))
    assert list(Draft.objects.values_list("body", flat=True)) == ["Shorter now"]
    assert not Comment.objects.exists()


def test_autosave_of_an_empty_form_removes_the_draft(article, writer):
    client = signed_in(writer)
    client.post(post_url(article), form(save_draft="1"))
    assert client.post(post_url(article), form("", save_draft="1")).status_code == 200
    assert not Draft.objects.exists()


def test_text_over_the_limit_is_refused_not_cut(article, writer, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_MAX_LENGTH": 50}
    client = signed_in(writer)
    client.post(post_url(article), form("Short and kept", save_draft="1"))
    long = "x" * 51
    response = client.post(post_url(article), form(long, save_draft="1"))
    assert response.status_code == 400
    assert "51 characters long; the limit is 50" in response.json()["message"]
    preview = client.post(post_url(article), form(long, preview="1"))
    html = preview.content.decode()
    assert "51 characters long; the limit is 50" in html
    assert long in html  # what they typed stays in the form
    assert list(Draft.objects.values_list("body", flat=True)) == ["Short and kept"]


def test_discard_draft_works_without_javascript(article, writer):
    client = signed_in(writer)
    client.post(post_url(article), form(preview="1"))
    response = client.post(post_url(article), {"discard_draft": "1"})
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url() + "#leave-comment"
    assert not Draft.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Your draft was discarded." in html and TEXT not in html


def test_a_member_discards_only_their_own_draft(article, writer):
    signed_in(writer).post(post_url(article), form(preview="1"))
    signed_in(UserFactory()).post(post_url(article), {"discard_draft": "1"})
    assert Draft.objects.get().author == writer


def test_an_edit_keeps_its_own_draft_until_saved(article, writer):
    mine = comment(article.discussion, author=writer, body="What I first said")
    url = reverse("comments:edit", args=[mine.pk])
    signed_in(writer).post(url, {"body": TEXT, "preview": "1"})
    assert Draft.objects.get().place == f"edit-{mine.pk}"
    html = signed_in(writer).get(url).content.decode()
    assert f"{TEXT}</textarea>" in html and "is restored." in html
    client = signed_in(writer)
    opened = client.get(url).content.decode()
    note = opened.split('name="opened" value="')[1].split('"')[0]
    response = client.post(url, {"body": TEXT, "opened": note, "save": "1"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body == TEXT and not Draft.objects.exists()


def test_nobody_keeps_a_draft_on_another_persons_comment(article, writer):
    theirs = comment(article.discussion, author=UserFactory())
    url = reverse("comments:edit", args=[theirs.pk])
    response = signed_in(writer).post(url, {"body": TEXT, "save_draft": "1"})
    assert response.status_code == 404
    assert not Draft.objects.exists()


def test_a_members_page_spends_one_query_on_drafts(article, writer):
    client = signed_in(writer)
    client.post(post_url(article), form(preview="1"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    on_drafts = [q for q in queries.captured_queries if "comments_draft" in q["sql"]]
    assert len(on_drafts) == 1


def test_a_draft_outlives_the_closing_of_its_discussion(article, writer):
    client = signed_in(writer)
    client.post(post_url(article), form(save_draft="1"))
    article.discussion.is_closed = True
    article.discussion.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Comments are closed." in html
    assert "Your unsent draft (not posted; copy it to keep it)" in html
    assert f"{TEXT}</textarea>" in html
    response = client.post(post_url(article), {"discard_draft": "1"})
    assert response.status_code == 302 and not Draft.objects.exists()


def test_a_reply_sent_after_closing_is_kept_and_shown_to_copy(article, writer):
    parent = comment(article.discussion)
    url = reverse("comments:reply", args=[parent.pk])
    article.discussion.is_closed = True
    article.discussion.save()
    response = signed_in(writer).post(url, form(post="1"))
    assert response.status_code == 403
    assert Draft.objects.get().body == TEXT
    html = signed_in(writer).get(url).content.decode()
    assert f"{TEXT}</textarea>" in html and "copy it to keep it" in html


def test_the_list_of_drafts_leads_back_to_each_form(article, writer):
    parent = comment(article.discussion, guest_name="Fran")
    client = signed_in(writer)
    client.post(post_url(article), form("For everyone", preview="1"))
    client.post(reverse("comments:reply", args=[parent.pk]), form(preview="1"))
    signed_in(UserFactory()).post(post_url(article), form("Not mine", preview="1"))
    html = client.get(reverse("comments:drafts")).content.decode()
    reply_url = reverse("comments:reply", args=[parent.pk])
    assert f'<a href="{reply_url}">Reply to Fran on “{article.title}”</a>' in html
    leave = article.get_absolute_url() + "#leave-comment"
    assert f'<a href="{leave}">Comment on “{article.title}”</a>' in html
    assert f"{TEXT}</textarea>" in html and "For everyone</textarea>" in html
    assert "Not mine" not in html


def test_a_draft_is_discarded_from_the_list_by_its_member_only(article, writer):
    signed_in(writer).post(post_url(article), form(preview="1"))
    draft = Draft.objects.get()
    url = reverse("comments:discard_draft", args=[draft.pk])
    assert signed_in(UserFactory()).post(url).status_code == 404
    assert signed_in(writer).get(url).status_code == 405
    client = signed_in(writer)
    response = client.post(url)
    assert response["Location"] == reverse("comments:drafts")
    assert not Draft.objects.exists()
    html = client.get(response["Location"]).content.decode()
    assert "Your draft was discarded." in html and "no unsent drafts" in html


def test_guests_have_no_list_of_drafts(client):
    response = client.get(reverse("comments:drafts"))
    assert response.status_code == 302 and "login" in response["Location"]
