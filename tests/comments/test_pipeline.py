"""The whole pipeline through the real form: rules in combination, people restricted."""

import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from comments import posting
from comments.models import (
    Comment,
    ModerationRecord,
    ModerationSettings,
    ModerationWord,
    RemovalReason,
    Restriction,
)
from comments.posting import Submission, judge
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db
LINKS = "See https://one.example.org and https://two.example.org and https://three.example.org"


@pytest.fixture
def article():
    return ArticleFactory()


def post(client, article, body, **fields):
    data = {"body": body, "token": str(uuid.uuid4()), "homepage": "", **fields}
    return client.post(reverse("comments:post", args=[article.discussion_id]), data)


def guest(**changes):
    return {"name": "Rosa", "email": "rosa@example.org", **changes}


def test_a_guest_with_three_links_is_held_and_told_what_happens(client, article):
    response = post(client, article, LINKS, **guest())
    held = Comment.objects.get()
    assert held.status == Comment.Status.PENDING
    assert held.status_reason == "held: 3 links"
    record = ModerationRecord.objects.get(comment=held)
    assert (record.to_status, record.rule) == ("pending", "links")
    html = client.get(response["Location"], follow=True).content.decode()
    assert "Your comment is awaiting moderation" in html
    assert "Awaiting moderation" in html and "three.example.org" in html
    client.cookies.clear()
    public = client.get(article.get_absolute_url()).content.decode()
    assert "three.example.org" not in public
    article.discussion.refresh_from_db()
    assert article.discussion.comment_count == 0


def test_first_comment_is_held_then_the_next_after_approval_is_not(client, article):
    member = UserFactory()
    client.force_login(member)
    post(client, article, "My very first words")
    first = Comment.objects.get()
    assert first.status_reason == "held: first comment from this author"
    first.approve(by=UserFactory())
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    post(client, article, "Second words")
    assert Comment.objects.get(body="Second words").status == Comment.Status.PUBLISHED


def test_a_blocked_word_refuses_and_keeps_the_text(client, article):
    ModerationWord.objects.create(word="idiot", kind="blocked")
    response = post(client, article, "You IDIOT, read the paper", **guest())
    html = response.content.decode()
    assert "“idiot”, which is not allowed here" in html
    error = html.index('id="id_body_error"')  # next to the field it is about
    assert "which is not allowed here" in html[error : error + 400]
    assert 'aria-invalid="true"' in html
    assert "You IDIOT, read the paper</textarea>" in html
    assert not Comment.objects.exists()


def test_watched_word_holds_with_the_word_named_for_moderators(client, article):
    ModerationSettings.objects.create(hold_first_comments=False)
    ModerationWord.objects.create(word="cure", kind="watched")
    post(client, article, "This herb is a Cure", **guest())
    assert Comment.objects.get().status_reason == "held: watched word “cure”"


def test_blocked_beats_held_and_a_hold_beats_nothing():
    ModerationWord.objects.create(word="scam", kind="blocked")
    discussion = ArticleFactory().discussion
    verdict = judge(
        Submission(
            discussion=discussion, body=f"{LINKS} scam", guest_email="x@example.org"
        )
    )
    assert (verdict.action, verdict.rule) == ("refuse", "blocked_word")
    verdict = judge(
        Submission(discussion=discussion, body=LINKS, guest_email="x@example.org")
    )
    assert (verdict.action, verdict.rule) == ("hold", "links")


@pytest.mark.parametrize(
    "body, count",
    [
        # Top-level domains the linkifier does not know are still counted.
        ("a https://x.deals/1 b http://x.deals/2 c www.x.deals/3", 3),
        ("[the trial](https://x.org/t) and <https://x.org/u>", 2),
        ("[https://x.org/t](https://x.org/t) once", 1),
    ],
)
def test_links_are_counted_however_they_are_written(body, count):
    ModerationSettings.objects.create(links_to_hold=1)
    verdict = posting.links(Submission(discussion=None, body=body))
    assert verdict.reason == f"held: {count} links"


def test_a_held_duplicate_is_still_refused(client, article):
    post(client, article, LINKS, **guest())
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    response = post(client, article, LINKS, **guest())
    assert "You already posted this comment." in response.content.decode()
    assert Comment.objects.count() == 1


def test_closed_comes_before_everything(article):
    article.discussion.is_closed = True
    verdict = judge(
        Submission(discussion=article.discussion, body="", honeypot="filled")
    )
    assert verdict.rule == "closed"


def test_suspended_member_reads_but_cannot_post_and_sees_until_when(client, article):
    member = UserFactory()
    comment(
        article.discussion,
        author=member,
        body="Earlier words",
        created_at=timezone.now() - timezone.timedelta(days=1),
    )
    until = timezone.now() + timezone.timedelta(days=7)
    Restriction.objects.create(
        kind="suspend",
        member=member,
        until=until,
        reason="Insults in the trials thread",
    )
    client.force_login(member)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Earlier words" in html
    assert "You can read but not post until" in html
    assert "Insults in the trials thread" in html and 'name="body"' not in html
    response = post(client, article, "Let me in")
    assert response.status_code == 403
    assert not Comment.objects.filter(body="Let me in").exists()
    Restriction.objects.update(until=timezone.now() - timezone.timedelta(seconds=1))
    post(client, article, "Back again")
    assert Comment.objects.filter(body="Back again").exists()


def test_banned_member_cannot_post_and_is_told_why(client, article):
    member = UserFactory()
    Restriction.objects.create(kind="ban", member=member, reason="Harassment")
    client.force_login(member)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "You can no longer post here" in html and "Harassment" in html
    assert post(client, article, "Hello").status_code == 403
    reply_to = comment(article.discussion, body="Someone else")
    page = client.get(reverse("comments:reply", args=[reply_to.pk]))
    assert page.status_code == 403 and "Harassment" in page.content.decode()


def test_a_blocked_guest_email_cannot_post(client, article):
    Restriction.objects.create(
        kind="ban", guest_email="rosa@example.org", reason="Spam"
    )
    response = post(client, article, "Hello there", **guest())
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_hold_every_comment_by_an_author(client, article):
    ModerationSettings.objects.create(hold_first_comments=False)
    member = UserFactory()
    Restriction.objects.create(kind="hold", member=member, reason="New and heated")
    client.force_login(member)
    post(client, article, "Calm words")
    assert Comment.objects.get().status == Comment.Status.PENDING


def test_author_sees_the_reason_on_a_rejected_comment(client, article):
    member = UserFactory()
    held = comment(
        article.discussion,
        author=member,
        body="Miracle cure!",
        status=Comment.Status.PENDING,
    )
    held.reject(
        by=UserFactory(),
        public_reason=RemovalReason.objects.get(label="Medical misinformation"),
        note="Medical claims without a source",
        reason="held: watched word “miracle cure”",
    )
    client.force_login(member)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Miracle cure!" in html and "Medical claims without a source" in html
    assert "Medical misinformation" in html and "watched word" not in html
    client.force_login(UserFactory())
    assert (
        "Miracle cure!" not in client.get(article.get_absolute_url()).content.decode()
    )


def test_moderators_see_held_and_removed_comments_in_the_thread(client, article):
    from django.contrib.auth.models import Group

    held = comment(article.discussion, body="Held words", status=Comment.Status.PENDING)
    removed = comment(article.discussion, body="Removed words")
    removed.remove(by=UserFactory(), reason="Off topic")
    moderator = UserFactory(is_staff=True)
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(moderator)
    response = client.get(
        reverse("comments:moderate_in_thread", args=[held.pk]), follow=True
    )
    html = response.content.decode()
    assert "Moderator view" in html
    assert "Held words" in html and "Removed words" in html
    assert "Awaiting moderation" in html and "Off topic" in html
    client.force_login(UserFactory())
    html = client.get(article.get_absolute_url(), {"moderation": "on"}).content.decode()
    assert "Held words" not in html and "Moderator view" not in html


def test_a_reply_beyond_the_deepest_level_is_refused_with_a_reason():
    from comments.models.discussion import MAX_DEPTH

    deepest = Comment(depth=MAX_DEPTH - 1, path="x")
    verdict = posting.too_deep(Submission(discussion=None, body="Hi", parent=deepest))
    assert verdict.action == "refuse"
    assert "nested as deep as it can go" in verdict.message
    shallower = Comment(depth=MAX_DEPTH - 2, path="x")
    assert (
        posting.too_deep(Submission(discussion=None, body="Hi", parent=shallower))
        is None
    )


def test_a_comment_edited_to_carry_three_links_is_held_again(client, article):
    ModerationSettings.objects.create(hold_first_comments=False)
    member = UserFactory()
    client.force_login(member)
    made = comment(article.discussion, author=member, body="No links yet")
    response = client.post(reverse("comments:edit", args=[made.pk]), {"body": LINKS})
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.status, made.body) == (Comment.Status.PENDING, LINKS)
    record = ModerationRecord.objects.get(comment=made)
    assert (record.from_status, record.to_status, record.rule) == (
        "published",
        "pending",
        "links",
    )
    article.discussion.refresh_from_db()
    assert article.discussion.comment_count == 0


def test_typing_an_approved_guests_email_does_not_skip_the_first_comment_hold(
    client, article
):
    comment(article.discussion, guest_email="rosa@example.org", body="Approved once")
    post(client, article, "I am Rosa, trust me", **guest())
    impostor = Comment.objects.get(body="I am Rosa, trust me")
    assert impostor.status == Comment.Status.PENDING
    assert impostor.status_reason == "held: first comment from this author"


def test_a_guest_whose_comment_was_approved_posts_freely_from_that_session(
    client, article
):
    post(client, article, "My first words", **guest())
    first = Comment.objects.get()
    assert first.status == Comment.Status.PENDING
    first.approve(by=UserFactory())
    Comment.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=1))
    post(client, article, "My second words", **guest())
    second = Comment.objects.get(body="My second words")
    assert second.status == Comment.Status.PUBLISHED
