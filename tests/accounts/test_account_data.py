"""A member's account is theirs: they download everything kept about them, and
they delete it, keeping their posts under "Former member" or leaving tombstones."""

import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils.timezone import now

from accounts.models import DiscussionEmail, Follow, Mute, Notification, User
from comments.models import (
    Comment,
    Draft,
    MemberNote,
    ModerationRecord,
    Report,
    Restriction,
    Visit,
)
from comments.models.reactions import Reaction
from forums.models import Topic
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory
from tests.forums.make import publish_first_posts, reply, topic, verified

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


@pytest.fixture
def world():
    """Ana wrote on an article and in the forums, follows, reported, was noted
    by a moderator; Ben did the same things, and answered her."""
    publish_first_posts()
    ana, ben, mod = (
        verified(display_name="Ana"),
        verified(display_name="Ben"),
        verified(),
    )
    started = topic(author=ana, title="Ana's topic", body="Ana opens")
    ben_topic = topic(author=ben, title="Ben's topic", body="Ben opens")
    article = ArticleFactory()
    said = comment(article.discussion, author=ana, body="Ana on the article")
    held = comment(
        article.discussion,
        author=ana,
        body="Ana held",
        status=Comment.Status.PENDING,
        ip_address="192.0.2.7",
    )
    answer = comment(article.discussion, parent=said, author=ben, body="Ben answers")
    their_reply = reply(started, author=ben, body="Ben in Ana's topic")
    reply(ben_topic, author=ana, body="Ana in Ben's topic")
    for who in (ana, ben):
        Follow.objects.create(member=who, discussion=ben_topic.discussion)
        Report.objects.create(
            comment=answer if who == ana else said,
            reporter=who,
            reason=Report.Reason.OTHER,
            note=f"note by {who.display_name}",
        )
        MemberNote.objects.create(member=who, text=f"about {who}", author=mod)
    Reaction.objects.create(comment=answer, member=ana, kind=Reaction.Kind.THANKS)
    Reaction.objects.create(comment=said, member=ben, kind=Reaction.Kind.HELPFUL)
    Visit.objects.create(member=ana, discussion=ben_topic.discussion, seen_at=now())
    Visit.objects.create(member=ben, discussion=article.discussion, seen_at=now())
    Draft.objects.keep(author=ana, place=f"reply-{answer.pk}", body="Ana drafts")
    Draft.objects.keep(author=ben, place=f"reply-{said.pk}", body="Ben drafts")
    Notification.objects.create(
        recipient=ana, kind=Notification.Kind.REPLY, actor=ben, comment=answer
    )
    Restriction.objects.create(
        kind=Restriction.Kind.HOLD,
        member=ana,
        reason="Hold for a while",
        created_by=mod,
    )
    for who in (ana, ben):
        Authenticator.objects.create(
            user=who,
            type=Authenticator.Type.WEBAUTHN,
            data={"name": f"{who.display_name}'s phone", "credential": {}},
        )
    Mute.objects.create(muter=ana, muted=mod)
    Mute.objects.create(muter=ben, muted=ana)
    for who in (ana, ben):
        DiscussionEmail.objects.create(
            member=who, discussion=ben_topic.discussion, sent_at=now()
        )
    ana.email_choices = {"mention": "digest"}
    ana.save()
    return {
        "ana": ana,
        "ben": ben,
        "article": article,
        "said": said,
        "held": held,
        "answer": answer,
        "topic": started,
        "their_reply": their_reply,
        "ben_topic": ben_topic,
    }


def download(client, member):
    client.force_login(member)
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    return json.loads(response.content)


def test_the_export_holds_exactly_the_members_data(client, world):
    ana = world["ana"]
    data = download(client, ana)
    assert data["profile"]["email"] == ana.email
    assert data["profile"]["display_name"] == "Ana"
    assert data["profile"]["email_addresses"] == [
        {"email": ana.email, "verified": True, "primary": False}
    ]
    texts = [c["text"] for c in data["comments"]]
    assert len(texts) == 4 and all(t.startswith("Ana") for t in texts)
    assert [t["title"] for t in data["topics"]] == ["Ana's topic"]
    assert data["topics"][0]["url"] == "http://testserver" + (
        world["topic"].get_absolute_url()
    )
    assert [f["where"] for f in data["follows"]] == ["Ben's topic"]
    assert data["reactions"] == [
        {
            "comment": world["answer"].pk,
            "reaction": "Thanks for sharing",
            "left": data["reactions"][0]["left"],
        }
    ]
    assert [d["text"] for d in data["drafts"]] == ["Ana drafts"]
    assert [k["name"] for k in data["passkeys"]] == ["Ana's phone"]
    assert [m["member"] for m in data["mutes"]] == [
        Mute.objects.get(muter=ana).muted_id
    ]
    assert [v["where"] for v in data["pages_read"]] == ["Ben's topic"]
    assert [n["comment"] for n in data["notifications"]] == [world["answer"].pk]
    assert [e["where"] for e in data["emails_sent"]] == ["Ben's topic"]
    assert data["email_settings"]["Mentions of my name"] == "Email me a daily digest"
    assert data["email_settings"]["Replies to my comments and topics"] == (
        "Email me at once"
    )
    moderation = data["moderation"]
    assert [r["note"] for r in moderation["reports_made"]] == ["note by Ana"]
    assert [r["reason"] for r in moderation["restrictions"]] == ["Hold for a while"]
    assert [n["note"] for n in moderation["moderators_notes"]] == ["about Ana"]
    held = next(c for c in data["comments"] if c["text"] == "Ana held")
    assert held["ip_address"] == "192.0.2.7"
    assert held["status"] == "Awaiting moderation"
    assert {c["id"] for c in data["comments"]} == set(
        Comment.objects.filter(author=ana).values_list("pk", flat=True)
    )
    everything = json.dumps(data)
    bens_things = ("Ben answers", "Ben in", "Ben opens", "Ben drafts", "Helpful")
    for bens in (*bens_things, world["ben"].email):
        assert bens not in everything
    assert "note by Ben" not in json.dumps(data)


def test_the_export_needs_a_login_and_a_post(client):
    response = client.post(reverse("accounts:export"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:export")).status_code == 405


def delete(client, member, posts, **confirm):
    client.force_login(member)
    data = {"posts": posts, "password": PASSWORD, **confirm}
    return client.post(reverse("accounts:account"), data)


def assert_person_gone(ana, email):
    ana.refresh_from_db()
    assert ana.display_name == "Former member"
    assert ana.email != email and "@deleted.invalid" in ana.email
    assert not ana.is_active and not ana.has_usable_password()
    assert (ana.bio, ana.role, ana.avatar.name, ana.email_choices) == ("", "", "", {})
    assert not EmailAddress.objects.filter(user=ana).exists()
    assert not Authenticator.objects.filter(user=ana).exists()
    assert not Follow.objects.filter(member=ana).exists()
    assert not Notification.objects.filter(recipient=ana).exists()
    assert not MemberNote.objects.filter(member=ana).exists()
    assert not Draft.objects.filter(author=ana).exists()
    assert not Visit.objects.filter(member=ana).exists()
    assert not Mute.objects.filter(muter=ana).exists()
    assert not DiscussionEmail.objects.filter(member=ana).exists()
    assert not User.objects.filter(email=email).exists()
    # The decisions stay, without the person's words.
    assert Restriction.objects.filter(member=ana).count() == 1
    assert list(Report.objects.filter(reporter=ana).values_list("note", flat=True)) == [
        ""
    ]
    assert not Comment.objects.filter(author=ana, ip_address__isnull=False).exists()


def test_deleting_and_keeping_posts_shows_them_under_former_member(client, world):
    ana, email = world["ana"], world["ana"].email
    other = Client()
    other.force_login(ana)  # a session in another browser
    response = delete(client, ana, "keep")
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:home")
    assert_person_gone(ana, email)
    assert Comment.objects.get(pk=world["said"].pk).body == "Ana on the article"
    assert Comment.objects.get(pk=world["said"].pk).status == Comment.Status.PUBLISHED
    assert Topic.objects.get(pk=world["topic"].pk).title == "Ana's topic"
    assert not any(
        s.get_decoded().get("_auth_user_id") == str(ana.pk)
        for s in Session.objects.all()
    )
    page = client.get(world["article"].get_absolute_url()).content.decode()
    assert "Former member" in page and "Ana on the article" in page
    assert ">Ana<" not in page
    assert other.get(reverse("accounts:settings")).status_code == 302
    profile = client.get(ana.get_absolute_url())
    assert profile.status_code == 410
    assert "This member deleted their account." in profile.content.decode()


def test_deleting_with_tombstones_keeps_threads_whole(client, world):
    ana, email = world["ana"], world["ana"].email
    article = world["article"]
    article.discussion.refresh_from_db()
    before = article.discussion.comment_count
    assert before == 2
    topic_before = Topic.objects.get(pk=world["ben_topic"].pk).reply_count
    response = delete(client, ana, "tombstones")
    assert response.status_code == 302
    assert_person_gone(ana, email)
    theirs = Comment.objects.filter(author=ana)
    assert theirs.count() == 4
    assert set(theirs.values_list("body", flat=True)) == {""}
    assert set(theirs.values_list("body_html", flat=True)) == {""}
    assert set(theirs.values_list("status", flat=True)) == {Comment.Status.DELETED}
    assert (
        ModerationRecord.objects.filter(
            comment__author=ana, to_status=Comment.Status.DELETED, actor=None
        ).count()
        == 4
    )
    # Replies stay where they were, under the tombstones.
    answer = Comment.objects.get(pk=world["answer"].pk)
    assert answer.parent_id == world["said"].pk and answer.body == "Ben answers"
    assert answer.status == Comment.Status.PUBLISHED
    article.discussion.refresh_from_db()
    assert article.discussion.comment_count == before - 1  # the held one never counted
    assert Topic.objects.get(pk=world["ben_topic"].pk).reply_count == topic_before - 1
    started = Topic.objects.get(pk=world["topic"].pk)
    assert started.title == "Deleted by the author"
    assert Comment.objects.get(pk=world["their_reply"].pk).body == "Ben in Ana's topic"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Deleted by the author" in page and "Ben answers" in page
    assert "Ana on the article" not in page
    topic_page = client.get(started.get_absolute_url(), follow=True)
    assert topic_page.status_code == 200
    assert "Ben in Ana" in topic_page.content.decode()
    # Ben's data is untouched.
    ben = User.objects.get(pk=world["ben"].pk)
    assert ben.display_name == "Ben" and ben.is_active
    assert Follow.objects.filter(member=ben).count() == 1
    assert Report.objects.get(reporter=ben).note == "note by Ben"
    assert Draft.objects.filter(author=ben).count() == 1
    assert Visit.objects.filter(member=ben).count() == 1
    assert Mute.objects.filter(muter=ben).count() == 1  # Ben still folds her posts
    assert DiscussionEmail.objects.filter(member=ben).count() == 1


def test_a_wrong_password_deletes_nothing_and_says_so(client, world):
    ana = world["ana"]
    response = delete(client, ana, "keep", password="not it")
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is not your password." in html
    assert 'value="keep"' in html and "checked" in html
    ana.refresh_from_db()
    assert ana.is_active and ana.display_name == "Ana"
    response = delete(client, ana, "", password="")
    html = response.content.decode()
    assert "Choose what becomes of your posts." in html
    assert "Type your password to confirm." in html


def test_wrong_passwords_are_counted(client, world):
    ana = world["ana"]
    for _ in range(5):
        delete(client, ana, "keep", password="guess")
    response = delete(client, ana, "keep")  # now the right one: too late
    assert "Too many wrong tries" in response.content.decode()
    ana.refresh_from_db()
    assert ana.is_active


def test_an_account_without_a_password_confirms_with_an_emailed_code(client, settings):
    from tests.conftest import read_mail

    ana = UserFactory(display_name="Ana")
    ana.set_unusable_password()
    ana.save()
    comment(author=ana, body="Ana speaks")
    client.force_login(ana)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Email me a code" in page and 'name="password"' not in page
    response = client.post(reverse("accounts:account"), {"posts": "keep", "code": "1"})
    assert "This code is wrong or has expired." in response.content.decode()
    assert client.post(reverse("accounts:send_code")).status_code == 302
    mail = read_mail(settings)[-1]
    assert ana.email in mail
    code = next(line.strip() for line in mail.splitlines() if line.strip().isdigit())
    response = client.post(
        reverse("accounts:account"), {"posts": "tombstones", "code": code}
    )
    assert response.status_code == 302
    ana.refresh_from_db()
    assert ana.display_name == "Former member" and not ana.is_active
    assert Comment.objects.get(author=ana).status == Comment.Status.DELETED


def test_the_settings_page_leads_to_download_and_deletion(client):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:settings")).content.decode()
    assert reverse("accounts:account") + "#download" in html
    page = client.get(reverse("accounts:account"))
    assert page.status_code == 200
    assert "Download my data" in page.content.decode()
    assert 'name="password"' in page.content.decode()


def test_the_picture_file_goes_with_the_account(
    client, django_capture_on_commit_callbacks
):
    from tests.accounts.test_profiles import picture, save_settings

    ana = UserFactory(display_name="Ana")
    client.force_login(ana)
    save_settings(client, display_name="Ana", avatar=picture())
    ana.refresh_from_db()
    stored = ana.avatar.path
    with open(stored, "rb"):
        pass
    with django_capture_on_commit_callbacks(execute=True):
        assert delete(client, ana, "keep").status_code == 302
    ana.refresh_from_db()
    assert ana.avatar.name == ""
    with pytest.raises(FileNotFoundError):
        open(stored, "rb")


def test_cached_sessions_end_too(client, settings):
    from django.contrib.sessions.backends.cached_db import SessionStore

    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    ana = UserFactory()
    other = Client()
    other.force_login(ana)
    key = other.session.session_key
    assert SessionStore(session_key=key).load().get("_auth_user_id") == str(ana.pk)
    assert delete(client, ana, "keep").status_code == 302
    assert SessionStore(session_key=key).load() == {}
    assert not Session.objects.filter(session_key=key).exists()
