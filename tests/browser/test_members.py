"""Members' pages in chromium: axe-core finds nothing and every target is at
least 44 by 44 px; a picture is chosen and shown as a person would do it."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from accounts.emails import unsubscribe_token
from accounts.models import Notification, User
from comments.models import Comment
from tests.browser.test_comments import sign_in
from tests.browser.test_every_page import check
from tests.comments.make import comment
from tests.conftest import assert_accessible
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def member():
    user = UserFactory(display_name="Grace", role=User.Role.CAREGIVER, bio="Hello.")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_profile_and_settings_are_accessible(page, live_server, member, scheme):
    page.emulate_media(color_scheme=scheme)
    article = ArticleFactory(title="Living with a feeding tube")
    for n in range(25):
        comment(article.discussion, author=member, body=f"Note {n}")
    check(page, live_server.url + member.get_absolute_url(), "Grace")
    expect(page.get_by_text("Caregiver", exact=True)).to_be_visible()
    sign_in(page, live_server, member)
    check(page, live_server.url + reverse("accounts:settings"), "Account settings")


def test_a_member_chooses_a_picture_and_sees_it_beside_their_comment(
    page, live_server, member, tmp_path
):
    article = ArticleFactory(title="Living with a feeding tube")
    comment(article.discussion, author=member, body="It took me a month.")
    photo = tmp_path / "me.png"
    Image.new("RGB", (640, 480), "teal").save(photo)
    sign_in(page, live_server, member)
    page.goto(live_server.url + reverse("accounts:settings"))
    page.get_by_label("Picture").set_input_files(photo)
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_text("Your profile was saved.")).to_be_visible()
    member.refresh_from_db()
    page.goto(live_server.url + article.get_absolute_url())
    avatar = page.locator(f"#comment-{article.discussion.comments.get().pk} img")
    expect(avatar).to_have_attribute("src", member.avatar.url)
    size = avatar.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert size == [256, 256]  # served, and re-encoded to the stored square


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_notifications_are_accessible_and_read_from_the_bell(
    page, live_server, member, scheme
):
    page.emulate_media(color_scheme=scheme)
    article = ArticleFactory(title="Living with a feeding tube")
    ben = UserFactory(display_name="Ben")
    mine = comment(article.discussion, author=member, body="It took me a month.")
    replies = []
    for n in range(2):
        reply = comment(article.discussion, parent=mine, author=ben, body=f"Same {n}")
        Notification.objects.create(
            recipient=member, kind=Notification.Kind.REPLY, actor=ben, comment=reply
        )
        replies.append(reply)
    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("link", name="Notifications: 2 unread").click()
    check(page, page.url, "Notifications")
    page.get_by_role("button", name="Mark read the notification from Ben").first.click()
    expect(page.get_by_role("link", name="Notifications: 1 unread")).to_be_visible()
    # Newest first: the first was marked read, the last (the older reply) is opened.
    page.get_by_role("link", name="Open the comment by Ben").last.click()
    expect(page.locator(f"#comment-{replies[0].pk}")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_a_notification_about_removed_content_says_so_without_a_link(
    page, live_server, member
):
    article = ArticleFactory(title="Living with a feeding tube")
    ben = UserFactory(display_name="Ben")
    mine = comment(article.discussion, author=member, body="It took me a month.")
    gone = comment(article.discussion, parent=mine, author=ben, body="Buy my cure")
    Notification.objects.create(
        recipient=member, kind=Notification.Kind.REPLY, actor=ben, comment=gone
    )
    Comment.objects.filter(pk=gone.pk).update(status=Comment.Status.REMOVED)
    sign_in(page, live_server, member)
    check(page, live_server.url + reverse("notifications:list"), "Notifications")
    expect(page.get_by_text("This comment is no longer public.")).to_be_visible()
    expect(page.get_by_role("link", name="Open the comment by Ben")).to_have_count(0)
    expect(page.get_by_text("Buy my cure")).to_have_count(0)
    page.get_by_role("button", name="Mark read the notification from Ben").click()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()


def test_email_choices_and_unsubscribing_are_accessible(page, live_server, member):
    link = reverse("accounts:unsubscribe", args=[unsubscribe_token(member, ["reply"])])
    check(page, live_server.url + link, "Stop emails?")
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert_accessible(page)
    sign_in(page, live_server, member)
    check(page, live_server.url + reverse("accounts:emails"), "Emails")
    choice = page.get_by_label("Replies to my comments and topics")
    expect(choice).to_have_value("off")  # as unsubscribed, while logged out
    choice.select_option("now")
    page.get_by_role("button", name="Save email choices").click()
    expect(page.get_by_text("Your email choices were saved.")).to_be_visible()
