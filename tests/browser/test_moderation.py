"""Moderation as people meet it: a held comment approved in the admin; a report."""

import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment, ModerationRecord, ModerationSettings, Report
from tests.browser.test_comments import sign_in, textbox
from tests.comments.make import comment
from tests.conftest import assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
MODERATOR_PASSWORD = "calm words for hot threads"
THREE_LINKS = (
    "Cheaper edaravone: https://pharma-deals.example/a, "
    "https://pharma-deals.example/b and https://pharma-deals.example/c"
)


@pytest.fixture
def article():
    # Only the links rule is in play: first comments are not held here.
    ModerationSettings.objects.create(hold_first_comments=False)
    return ArticleFactory(title="Edaravone by mouth: what the trial found")


def moderators_group():
    """The group of the data migration (transactional tests flush it away)."""
    migration = importlib.import_module("comments.migrations.0004_moderators_group")
    group, _ = Group.objects.get_or_create(name=migration.MODERATORS)
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in migration.PERMISSIONS
    )
    return group


@pytest.fixture
def moderator():
    user = UserFactory(
        email="mo@kindred.example", display_name="Mo", is_staff=True, password=""
    )
    user.set_password(MODERATOR_PASSWORD)
    user.save()
    user.groups.add(moderators_group())
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def test_a_held_comment_is_approved_in_the_admin_and_then_seen(
    browser, live_server, article, moderator
):
    url = live_server.url + article.get_absolute_url()
    guest = browser.new_context().new_page()
    guest.goto(url)
    textbox(guest, "Comment").fill(THREE_LINKS)
    textbox(guest, "Name").fill("Dealer Dan")
    textbox(guest, "Email").fill("dan@example.org")
    guest.get_by_role("button", name="Post comment").click()

    held = Comment.objects.get(guest_name="Dealer Dan")
    assert held.status == Comment.Status.PENDING
    assert "3 links" in held.status_reason
    expect(guest.get_by_text("Your comment is awaiting moderation")).to_be_visible()
    expect(guest.locator(f"#comment-{held.pk}")).to_contain_text("Awaiting moderation")

    reader = browser.new_context().new_page()
    reader.goto(url)
    expect(reader.get_by_text("Cheaper edaravone")).to_have_count(0)

    admin = browser.new_context().new_page()
    admin.goto(live_server.url + "/admin/")
    expect(admin.get_by_role("heading", level=1)).to_have_text(re.compile("Log in"))
    admin.get_by_label("Email").fill(moderator.email)
    admin.get_by_label("Password").fill(MODERATOR_PASSWORD)
    admin.get_by_role("button", name="Log in").click()
    admin.get_by_role("link", name=re.compile("^Pending comments")).first.click()
    row = admin.get_by_role("row").filter(has_text="Dealer Dan")
    expect(row).to_contain_text("held: 3 links")
    row.get_by_role("checkbox").check()
    action = admin.get_by_role("combobox", name=re.compile("^Action"))
    action.select_option(label="Approve selected comments")
    admin.get_by_role("button", name="Go").click()
    expect(admin.get_by_text("Approved 1 comment.")).to_be_visible()

    held.refresh_from_db()
    assert held.status == Comment.Status.PUBLISHED
    record = ModerationRecord.objects.filter(comment=held).latest("pk")
    assert (record.from_status, record.to_status, record.actor) == (
        "pending",
        "published",
        moderator,
    )
    reader.reload()
    expect(reader.locator(f"#comment-{held.pk}")).to_contain_text("Cheaper edaravone")
    expect(reader.locator(f"#comment-{held.pk}")).not_to_contain_text(
        "Awaiting moderation"
    )


def test_a_member_reports_a_comment(page, live_server, article):
    rude = comment(
        article.discussion,
        guest_name="Troll",
        body="Anyone who trusts this trial is a fool.",
    )
    member = UserFactory(display_name="Priya")
    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#comment-{rude.pk}").get_by_role(
        "link", name="Report this comment to the moderators"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a comment")
    expect(page.get_by_role("blockquote")).to_contain_text("is a fool")
    assert_accessible(page)
    page.get_by_role("radio", name="Abusive or hateful").check()
    page.get_by_label("Anything the moderators should know").fill(
        "Name-calling, again."
    )
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("your report was received")).to_be_visible()

    report = Report.objects.get(comment=rude)
    assert (report.reporter, report.reason, report.note) == (
        member,
        "abusive",
        "Name-calling, again.",
    )


@pytest.fixture
def troubled_thread(article):
    """A removed and a deleted comment, each with a reply, and a held comment."""
    author = UserFactory(display_name="Tom")
    removed = comment(article.discussion, body="You are all deluded.")
    comment(parent=removed, guest_name="Lena", body="Please be kind here.")
    removed.remove(by=None, reason="Personal attack")
    deleted = comment(article.discussion, author=author, body="I regret this.")
    comment(parent=deleted, guest_name="Ade", body="Still glad you said it.")
    deleted.delete_by_author(by=author)
    pending = comment(
        article.discussion,
        author=author,
        body="Held until someone reads it.",
        status=Comment.Status.PENDING,
    )
    return {"author": author, "removed": removed, "deleted": deleted, "held": pending}


def expect_placeholders(page, thread):
    expect(page.locator(f"#comment-{thread['removed'].pk}")).to_contain_text(
        "Removed by a moderator: Personal attack"
    )
    expect(page.locator(f"#comment-{thread['removed'].pk}")).to_contain_text(
        "Please be kind here."
    )
    expect(page.locator(f"#comment-{thread['deleted'].pk}")).to_contain_text(
        "Deleted by the author"
    )
    expect(page.locator(f"#comment-{thread['deleted'].pk}")).to_contain_text(
        "Still glad you said it."
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_with_pending_removed_and_deleted_comments_are_accessible(
    page, live_server, article, troubled_thread, moderator, scheme
):
    page.emulate_media(color_scheme=scheme)
    url = live_server.url + article.get_absolute_url()

    page.goto(url)  # a reader: placeholders keep the replies in place
    expect_placeholders(page, troubled_thread)
    expect(page.get_by_text("Held until someone reads it.")).to_have_count(0)
    assert_accessible(page)

    sign_in(page, live_server, troubled_thread["author"])
    page.goto(url)  # the author sees their own held comment, marked
    held = page.locator(f"#comment-{troubled_thread['held'].pk}")
    expect(held).to_contain_text("Held until someone reads it.")
    expect(held).to_contain_text("Awaiting moderation")
    assert_accessible(page)

    sign_in(page, live_server, moderator)
    page.goto(url + "?moderation=on")  # moderators see everything, marked
    expect(page.get_by_text("Moderator view")).to_be_visible()
    expect(page.get_by_text("You are all deluded.")).to_be_visible()
    expect(page.get_by_text("Held until someone reads it.")).to_be_visible()
    assert_accessible(page)


def test_the_moderation_admin_is_accessible_with_large_targets(
    page, live_server, article, moderator
):
    held = comment(
        article.discussion, body="Held for a look.", status=Comment.Status.PENDING
    )
    sign_in(page, live_server, moderator)
    paths = [
        "/admin/",
        "/admin/comments/comment/",
        "/admin/comments/pendingcomment/",
        "/admin/comments/reportedcomment/",
        f"/admin/comments/comment/{held.pk}/change/",
        "/admin/comments/moderationrecord/",
        "/admin/comments/restriction/add/",
        "/admin/comments/moderationword/add/",
        "/admin/comments/moderationsettings/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)
        small = small_targets(page)
        assert small == [], f"{path}: {small}"

    # The reason asked once for a batch is a page of its own.
    page.goto(live_server.url + "/admin/comments/pendingcomment/")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    action = page.get_by_role("combobox", name=re.compile("^Action"))
    action.select_option(label="Reject selected comments (with a reason)")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reject comments")
    assert_accessible(page)
    assert small_targets(page) == []


def test_a_moderator_decides_on_a_comments_own_page(
    page, live_server, article, moderator
):
    parent = comment(article.discussion, body="Is the trial still recruiting?")
    rude = comment(parent=parent, guest_name="Kit", body="Look it up yourself.")
    sign_in(page, live_server, moderator)
    url = reverse("admin:comments_comment_change", args=[rude.pk])
    page.goto(live_server.url + url)
    expect(page.get_by_text("Is the trial still recruiting?")).to_be_visible()
    decide = page.get_by_role("region", name="Decide")
    decide.get_by_role("button", name="Remove (with a reason)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove comments")
    page.get_by_role("textbox", name=re.compile("Reason")).fill("Unkind to a newcomer")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Removed 1 comment.")).to_be_visible()
    rude.refresh_from_db()
    assert (rude.status, rude.status_reason) == ("removed", "Unkind to a newcomer")
