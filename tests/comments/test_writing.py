"""Writing in a discussion: guests and members, preview, abuse basics, edit, delete."""

import re
import uuid
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.forms import GUEST_COOKIE
from comments.models import (
    Comment,
    ModerationRecord,
    ModerationSettings,
    Restriction,
)
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def publish_first_comments():
    # These tests are about writing; the first-comment hold is tested on its own.
    ModerationSettings.objects.create(hold_first_comments=False)


@pytest.fixture
def article():
    return ArticleFactory()


def post_url(article):
    return reverse("comments:post", args=[article.discussion_id])


def guest(body="Hello from a guest", **changes):
    return {
        "body": body,
        "name": "Rosa",
        "email": "rosa@example.org",
        "url": "",
        "homepage": "",
        **changes,
    }


def member(body="Hello from a member", **changes):
    return {"body": body, "token": str(uuid.uuid4()), "homepage": "", **changes}


def test_the_article_page_offers_the_guest_form(client, article):
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Leave a comment" in html
    assert (
        "Your email address will not be published. Required fields are marked" in html
    )
    for label in ["Comment", "Name", "Email", "Website"]:
        assert f">{label}" in html
    assert "Post comment" in html and "Preview" in html


def test_a_guest_comments_and_lands_on_the_comment(client, article):
    response = client.post(post_url(article), guest())
    made = Comment.objects.get()
    assert response["Location"] == reverse("comments:permalink", args=[made.pk])
    assert (made.guest_name, made.guest_email, made.author) == (
        "Rosa",
        "rosa@example.org",
        None,
    )
    assert made.status == Comment.Status.PUBLISHED
    landing = client.get(response["Location"])
    assert landing["Location"].endswith(f"#comment-{made.pk}")
    html = client.get(landing["Location"]).content.decode()
    assert "Hello from a guest" in html and "rosa@example.org" not in html
    assert "Your comment was posted." in html
    article.discussion.refresh_from_db()
    assert article.discussion.comment_count == 1


def test_a_guest_can_be_remembered_by_this_browser(client, article):
    client.post(post_url(article), guest(remember="on"))
    assert client.cookies[GUEST_COOKIE].value
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="Rosa"' in html and 'value="rosa@example.org"' in html
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    client.post(post_url(article), guest("Second, not remembered"))
    assert client.cookies[GUEST_COOKIE].value == ""


def test_a_member_posts_under_their_display_name(client, article):
    author = UserFactory(display_name="Miguel", email="miguel@example.org")
    client.force_login(author)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'name="email"' not in html
    client.post(post_url(article), member())
    made = Comment.objects.get()
    assert made.author == author
    html = client.get(article.get_absolute_url()).content.decode()
    assert ">Miguel</a>" in html and "miguel@example.org" not in html


def test_reply_has_its_own_page_and_nests(client, article):
    parent = comment(article.discussion, guest_name="Fran", body="Parent words")
    url = reverse("comments:reply", args=[parent.pk])
    page = client.get(url).content.decode()
    assert "<h1>Reply to Fran</h1>" in page and "Parent words" in page
    client.post(url, guest("A reply"))
    reply = Comment.objects.get(body="A reply")
    assert (reply.parent, reply.depth) == (parent, 1)
    assert reply.path.startswith(parent.path)


def test_preview_shows_the_rendered_text_and_keeps_it(client, article):
    response = client.post(post_url(article), guest("Some **bold** idea", preview=""))
    html = response.content.decode()
    assert "<strong>bold</strong>" in html
    assert "Some **bold** idea</textarea>" in html
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"body": ""}, "Please write your comment before posting."),
        ({"body": "   \n  "}, "Please write your comment before posting."),
        ({"body": "x" * 10_001}, "Your comment is 10001 characters long; the limit is"),
        ({"name": ""}, "Please give a name to show with your comment."),
        ({"email": "rosa-at-example"}, "Enter a valid email address."),
    ],
)
def test_bad_input_is_explained_and_kept(client, article, changes, message):
    response = client.post(post_url(article), guest(**changes))
    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert 'aria-invalid="true"' in html
    if changes.get("body", "").strip():
        assert changes["body"][:50] in html
    assert not Comment.objects.exists()


def test_the_honeypot_refuses_quietly_but_clearly(client, article):
    response = client.post(post_url(article), guest(homepage="http://spam.example"))
    assert "please leave the last field empty" in response.content.decode()
    assert not Comment.objects.exists()


def test_one_comment_per_15_seconds_with_a_429(client, article):
    client.post(post_url(article), guest("First"))
    response = client.post(post_url(article), guest("Second"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Please wait" in html and "seconds" in html and "Second</textarea>" in html
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(seconds=16))
    assert client.post(post_url(article), guest("Second")).status_code == 302


def test_the_same_text_twice_is_refused_with_a_link_to_the_first(client, article):
    client.post(post_url(article), guest("Exactly this"))
    first = Comment.objects.get()
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(seconds=60))
    response = client.post(post_url(article), guest("Exactly this"))
    html = response.content.decode()
    assert "You already posted this comment." in html
    assert reverse("comments:permalink", args=[first.pk]) in html
    assert Comment.objects.count() == 1


def test_a_double_submitted_form_creates_one_comment(client, article):
    data = guest()
    first = client.post(post_url(article), data)
    second = client.post(post_url(article), data)
    assert Comment.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_no_form_expires(article):
    browser = Client(enforce_csrf_checks=True)
    browser.get(article.get_absolute_url())
    three_days_later = timezone.now() + timezone.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=three_days_later):
        response = browser.post(
            post_url(article), guest(), headers={"Sec-Fetch-Site": "same-origin"}
        )
    assert response.status_code == 302
    assert Comment.objects.get().created_at == three_days_later


def test_no_members_form_expires(article):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(UserFactory())
    page = browser.get(article.get_absolute_url()).content.decode()
    form = {
        name: re.search(rf'name="{name}" value="([^"]+)"', page).group(1)
        for name in ("csrfmiddlewaretoken", "token")
    }
    three_days_later = timezone.now() + timezone.timedelta(days=3)
    with mock.patch("django.utils.timezone.now", return_value=three_days_later):
        response = browser.post(post_url(article), member(**form))
    assert response.status_code == 302
    made = Comment.objects.get()
    assert (made.form_token, made.created_at) == (
        uuid.UUID(form["token"]),
        three_days_later,
    )


def test_other_text_sent_with_a_used_form_is_refused_and_kept(client, article):
    client.force_login(UserFactory())
    data = member("The first text")
    client.post(post_url(article), data)
    first = Comment.objects.get()
    response = client.post(post_url(article), {**data, "body": "A second thought"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "This form was already used to post a comment" in html
    assert "A second thought</textarea>" in html
    assert reverse("comments:permalink", args=[first.pk]) in html
    fresh = re.search(r'name="token" value="([^"]+)"', html).group(1)
    assert fresh != data["token"]
    assert Comment.objects.count() == 1
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    resent = client.post(
        post_url(article), {**data, "body": "A second thought", "token": fresh}
    )
    assert resent.status_code == 302
    assert Comment.objects.filter(body="A second thought").count() == 1


def test_a_guest_sending_other_text_at_once_is_asked_to_wait(client, article):
    client.post(post_url(article), guest("The first text"))
    response = client.post(post_url(article), guest("A second thought"))
    assert response.status_code == 429
    assert "A second thought</textarea>" in response.content.decode()
    assert Comment.objects.count() == 1


def test_two_guests_on_one_address_keep_their_own_pace(client, article):
    client.post(post_url(article), guest("From Rosa", email="rosa@example.org"))
    other = client.post(post_url(article), guest("From Ada", email="ada@example.org"))
    assert other.status_code == 302
    again = client.post(post_url(article), guest("Rosa again"))
    assert again.status_code == 429 and "Please wait" in again.content.decode()
    assert Comment.objects.count() == 2


def test_one_address_posts_at_most_ten_guest_comments_a_minute(client, article):
    for n in range(10):
        email = f"guest{n}@example.org"
        assert (
            client.post(post_url(article), guest(f"Hello {n}", email=email)).status_code
            == 302
        )
    eleventh = client.post(post_url(article), guest("Hello 10", email="x@example.org"))
    assert eleventh.status_code == 429
    html = eleventh.content.decode()
    assert "Many comments were just posted from your network" in html
    assert "Hello 10</textarea>" in html
    assert Comment.objects.count() == 10
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(seconds=61))
    assert (
        client.post(
            post_url(article), guest("Hello 10", email="x@example.org")
        ).status_code
        == 302
    )


def test_closed_discussions_stay_readable_without_forms(client, article):
    comment(article.discussion, body="Before closing")
    article.discussion.is_closed = True
    article.discussion.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Before closing" in html and "Comments are closed." in html
    assert 'name="body"' not in html and "/reply/" not in html
    response = client.post(post_url(article), guest())
    assert response.status_code == 403
    assert not Comment.objects.filter(guest_name="Rosa").exists()
    # Closed while someone was typing: they are told, and their text is given back.
    html = response.content.decode()
    assert "Comments are closed." in html
    assert f"{guest()['body']}</textarea>" in html and "readonly" in html


def test_comments_close_by_themselves_after_the_set_days(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_CLOSE_AFTER_DAYS": 30}
    article.discussion.opened_at = timezone.now() - timezone.timedelta(days=31)
    article.discussion.save()
    assert (
        "Comments are closed."
        in client.get(article.get_absolute_url()).content.decode()
    )
    assert client.post(post_url(article), guest()).status_code == 403


def test_guests_can_be_turned_away(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_ALLOW_GUESTS": False}
    html = client.get(article.get_absolute_url()).content.decode()
    assert "to comment." in html and 'name="body"' not in html
    response = client.post(post_url(article), guest())
    assert reverse("account_login") in response["Location"]


def test_author_edits_within_the_window_and_it_says_edited(client, article):
    author = UserFactory()
    client.force_login(author)
    client.post(post_url(article), member("Frist"))
    made = Comment.objects.get()
    html = client.get(article.get_absolute_url()).content.decode()
    assert reverse("comments:edit", args=[made.pk]) in html
    client.post(reverse("comments:edit", args=[made.pk]), {"body": "First"})
    made.refresh_from_db()
    assert made.body == "First" and made.edited_at
    assert "(edited)" in client.get(article.get_absolute_url()).content.decode()
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=31))
    assert client.get(reverse("comments:edit", args=[made.pk])).status_code == 404


@pytest.mark.parametrize(
    "situation, message",
    [
        ("banned", "You can no longer post here."),
        ("suspended", "You can read but not post until"),
        ("closed", "Comments are closed."),
    ],
)
def test_an_edit_that_may_not_be_made_is_refused_with_the_text_kept(
    client, article, situation, message
):
    author = UserFactory()
    client.force_login(author)
    made = comment(article.discussion, author=author, body="Frist")
    opened = opened_form(client, made)
    if situation == "closed":
        article.discussion.is_closed = True
        article.discussion.save()
    else:
        Restriction.objects.create(
            kind="ban" if situation == "banned" else "suspend",
            member=author,
            until=timezone.now() + timezone.timedelta(days=1),
            reason="Insults",
        )
    url = reverse("comments:edit", args=[made.pk])
    assert message in client.get(url).content.decode()  # told before typing
    response = client.post(url, {"body": "First, I meant", "opened": opened})
    assert response.status_code == 403
    html = response.content.decode()
    field = html[html.index('<div class="field') : html.index("</textarea>")]
    assert message in field  # next to the field it is about
    assert "First, I meant" in field
    made.refresh_from_db()
    assert (made.body, made.edited_at) == ("Frist", None)


@pytest.mark.parametrize("minutes_ago, open_", [(4, True), (6, False)])
def test_the_edit_link_and_the_edit_form_keep_one_window(
    client, article, settings, minutes_ago, open_
):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_EDIT_MINUTES": 5}
    author = UserFactory()
    client.force_login(author)
    posted = timezone.now() - timezone.timedelta(minutes=minutes_ago)
    made = comment(article.discussion, author=author, created_at=posted)
    edit_url = reverse("comments:edit", args=[made.pk])
    html = client.get(article.get_absolute_url()).content.decode()
    assert (edit_url in html) == open_
    assert client.get(edit_url).status_code == (200 if open_ else 404)


def opened_form(client, made):
    html = client.get(reverse("comments:edit", args=[made.pk])).content.decode()
    return re.search(r'name="opened" value="([^"]+)"', html).group(1)


def test_an_edit_begun_in_time_is_saved_however_long_the_typing(client, article):
    author = UserFactory()
    client.force_login(author)
    made = comment(article.discussion, author=author, body="Frist")
    opened = opened_form(client, made)
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(hours=2))
    url = reverse("comments:edit", args=[made.pk])
    response = client.post(url, {"body": "First, typed slowly", "opened": opened})
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.body == "First, typed slowly"


def test_an_edit_sent_after_the_window_without_a_form_keeps_the_text(client, article):
    author = UserFactory()
    client.force_login(author)
    made = comment(article.discussion, author=author, body="Frist")
    other = comment(article.discussion, author=author, body="Other")
    stolen = opened_form(client, other)  # a form for another comment does not count
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(hours=2))
    url = reverse("comments:edit", args=[made.pk])
    for opened in ["", "forged", stolen]:
        response = client.post(url, {"body": "Too late", "opened": opened})
        html = response.content.decode()
        assert response.status_code == 200
        assert "The time for editing this comment is over" in html
        assert "Too late</textarea>" in html
    made.refresh_from_db()
    assert made.body == "Frist"


def test_nobody_edits_or_deletes_another_persons_comment(client, article):
    theirs = comment(article.discussion, author=UserFactory(), body="Theirs")
    client.force_login(UserFactory())
    assert client.get(reverse("comments:edit", args=[theirs.pk])).status_code == 404
    assert (
        client.post(
            reverse("comments:edit", args=[theirs.pk]), {"body": "Mine now"}
        ).status_code
        == 404
    )
    assert client.post(reverse("comments:delete", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.body == "Theirs" and theirs.status == Comment.Status.PUBLISHED


def test_guests_edit_only_from_the_same_browser_session(client, article):
    client.post(post_url(article), guest("Guest text"))
    made = Comment.objects.get()
    assert client.get(reverse("comments:edit", args=[made.pk])).status_code == 200
    client.cookies.clear()
    assert client.get(reverse("comments:edit", args=[made.pk])).status_code == 404


def test_deleting_keeps_replies_in_place_and_every_row(client, article):
    author = UserFactory()
    client.force_login(author)
    mine = comment(article.discussion, author=author, body="My words")
    reply = comment(parent=mine, body="Their reply")
    lonely = comment(article.discussion, author=author, body="Alone")
    client.post(reverse("comments:delete", args=[mine.pk]))
    client.post(reverse("comments:delete", args=[lonely.pk]))
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Deleted by the author" in html and "Their reply" in html
    assert "My words" not in html and "Alone" not in html
    assert f'id="comment-{lonely.pk}"' not in html
    assert Comment.objects.count() == 3
    reply.refresh_from_db()
    assert reply.parent_id == mine.pk
    assert ModerationRecord.objects.filter(to_status="deleted").count() == 2
    article.discussion.refresh_from_db()
    assert article.discussion.comment_count == 1


def test_delete_asks_first(client, article):
    author = UserFactory()
    client.force_login(author)
    mine = comment(article.discussion, author=author, body="My words")
    page = client.get(reverse("comments:delete", args=[mine.pk])).content.decode()
    assert "Delete your comment?" in page and "My words" in page
    mine.refresh_from_db()
    assert mine.status == Comment.Status.PUBLISHED


def test_counts_show_on_lists_and_the_article(client, article):
    for n in range(3):
        comment(article.discussion, body=f"c{n}")
    assert "3 comments" in client.get(reverse("articles:home")).content.decode()
    assert "3 comments" in client.get(article.get_absolute_url()).content.decode()


def test_storing_a_reply_takes_four_queries(article, django_assert_num_queries):
    """Its id, the row with its path, the discussion's count, and the outbox row
    that hands its notifications to the worker in the same transaction."""
    from comments.models import Discussion, path_step
    from comments.posting import PUBLISH, Submission
    from comments.services import store_comment

    parent = comment(article.discussion)
    submission = Submission(
        discussion=Discussion.objects.get(pk=article.discussion_id),
        body="Reply",
        parent=parent,
        guest_name="A",
        guest_email="a@example.org",
    )
    before = list(Comment.objects.values_list("pk", "path"))
    with django_assert_num_queries(4):
        made = store_comment(submission=submission, verdict=PUBLISH)
    assert made.path == parent.path + path_step(made.pk)
    assert Discussion.objects.get(pk=article.discussion_id).comment_count == 2
    assert list(Comment.objects.exclude(pk=made.pk).values_list("pk", "path")) == before


def notice_after(html, pk):
    """The confirmation right after comment `pk`'s own card, or None."""
    found = re.search(
        rf'<li id="comment-{pk}" tabindex="-1" class="just-changed [^"]*"[^>]*>'
        r'.*?</article><p class="comment-notice" id="comment-notice" '
        r'role="status">([^<]*)</p>',
        html,
        re.S,
    )
    return found and found[1]


def test_a_posted_comment_is_marked_with_its_confirmation_beside_it(client, article):
    response = client.post(post_url(article), guest(), follow=True)
    made = Comment.objects.get()
    html = response.content.decode()
    assert notice_after(html, made.pk) == "Your comment was posted."
    assert html.count("Your comment was posted.") == 1  # not also at the top
    again = client.get(article.get_absolute_url()).content.decode()
    assert "Your comment was posted." not in again  # said once


def test_an_edit_lands_on_the_comment_with_its_confirmation(client, article):
    author = UserFactory()
    client.force_login(author)
    mine = comment(article.discussion, author=author, body="Frist")
    response = client.post(
        reverse("comments:edit", args=[mine.pk]), {"body": "First"}, follow=True
    )
    assert notice_after(response.content.decode(), mine.pk) == (
        "Your comment was updated."
    )


def test_a_report_lands_on_the_comment_with_its_confirmation(client, article):
    theirs = comment(article.discussion, body="Buy pills")
    client.force_login(UserFactory())
    response = client.post(
        reverse("comments:report", args=[theirs.pk]), {"reason": "spam"}, follow=True
    )
    assert notice_after(response.content.decode(), theirs.pk).startswith(
        "Thank you: your report was received."
    )


def test_a_deleted_comment_leaves_its_author_where_it_was(client, article, settings):
    settings.KINDRED = {**settings.KINDRED, "COMMENTS_PER_PAGE": 2}
    author = UserFactory()
    client.force_login(author)
    for n in range(2):
        comment(article.discussion, body=f"thread {n}")
    above = comment(article.discussion, body="just above")
    mine = comment(article.discussion, author=author, body="Going")
    response = client.post(reverse("comments:delete", args=[mine.pk]))
    assert response["Location"] == (
        f"{article.get_absolute_url()}?page=2#comment-{above.pk}"
    )
    html = client.get(response["Location"]).content.decode()
    assert notice_after(html, above.pk) == "Your comment was deleted."


def test_a_deleted_comment_with_replies_keeps_the_place_itself(client, article):
    author = UserFactory()
    client.force_login(author)
    mine = comment(article.discussion, author=author, body="Going")
    comment(parent=mine, body="Staying")
    response = client.post(reverse("comments:delete", args=[mine.pk]), follow=True)
    assert notice_after(response.content.decode(), mine.pk) == (
        "Your comment was deleted."
    )


def test_reply_edit_and_delete_pages_open_in_their_form(client, article):
    author = UserFactory()
    client.force_login(author)
    mine = comment(article.discussion, author=author)
    reply = client.get(reverse("comments:reply", args=[mine.pk])).content.decode()
    assert re.search(r"<textarea[^>]* autofocus", reply)
    edit = client.get(reverse("comments:edit", args=[mine.pk])).content.decode()
    assert re.search(r"<textarea[^>]* autofocus", edit)
    delete = client.get(reverse("comments:delete", args=[mine.pk])).content.decode()
    assert '<button type="submit" autofocus>Delete comment</button>' in delete


def test_after_preview_the_page_opens_at_the_preview_above_the_form(client, article):
    html = client.post(post_url(article), guest("A **bold** idea", preview=""))
    html = html.content.decode()
    assert re.search(r'<section class="preview" id="preview"[^>]* autofocus>', html)
    assert not re.search(r"<textarea[^>]* autofocus", html)
    between = html[
        html.index('id="preview"') : html.index('<form class="comment-form"')
    ]
    assert "<strong>bold</strong>" in between and "<h2" in between


def test_the_report_form_asks_its_question_with_nothing_chosen(client, article):
    theirs = comment(article.discussion, body="Buy pills")
    client.force_login(UserFactory())
    html = client.get(reverse("comments:report", args=[theirs.pk])).content.decode()
    assert "<legend>What is wrong with this comment?" in html
    assert "---------" not in html
    assert 'type="radio"' in html and "checked" not in html
