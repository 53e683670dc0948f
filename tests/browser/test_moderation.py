"""Moderation as people meet it: a held comment approved in the admin; a report."""

import importlib
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from comments.models import (
    Comment,
    ModerationRecord,
    ModerationSettings,
    RemovalReason,
    Report,
    Restriction,
)
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
    admin.get_by_role("button", name="Log in", exact=True).click()
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
    attack, _ = RemovalReason.objects.get_or_create(label="Personal attack")
    removed.remove(by=None, public_reason=attack, reason="third time today")
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
        "Removed by a moderator · Personal attack"
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
        "/admin/comments/removalreason/",
    ]
    for path in paths:
        page.goto(live_server.url + path)
        assert_accessible(page)
        small = small_targets(page, skip=".queue-comment")  # links in the text
        assert small == [], f"{path}: {small}"

    # The reason asked once for a batch is a page of its own.
    page.goto(live_server.url + "/admin/comments/pendingcomment/")
    page.get_by_role("checkbox", name=re.compile("Select this object")).check()
    action = page.get_by_role("combobox", name=re.compile("^Action"))
    action.select_option(label="Reject selected comments (with a reason)")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Reject selected comments (with a reason)"
    )
    assert_accessible(page)
    assert small_targets(page) == []


def test_a_moderator_decides_on_a_comments_own_page(
    page, live_server, article, moderator
):
    RemovalReason.objects.get_or_create(label="Personal attack")
    parent = comment(article.discussion, body="Is the trial still recruiting?")
    rude = comment(parent=parent, guest_name="Kit", body="Look it up yourself.")
    sign_in(page, live_server, moderator)
    url = reverse("admin:comments_comment_change", args=[rude.pk])
    page.goto(live_server.url + url)
    expect(page.get_by_text("Is the trial still recruiting?")).to_be_visible()
    decide = page.get_by_role("region", name="Decide")
    decide.get_by_label("Public reason").select_option(label="Personal attack")
    decide.get_by_label("Note to the author").fill("Unkind to a newcomer")
    decide.get_by_role("button", name="Remove").click()
    expect(page.get_by_text("Removed 1 comment.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Select comment")
    )
    rude.refresh_from_db()
    assert (rude.status, rude.author_note) == ("removed", "Unkind to a newcomer")
    assert rude.public_reason.label == "Personal attack"


def held_comments(article, count=3):
    return [
        comment(
            article.discussion,
            guest_name=f"Guest {n}",
            body=f"Held comment number {n}: " + "a longer thought " * 12,
            status=Comment.Status.PENDING,
            status_reason="held: first comment from this author",
        )
        for n in range(count)
    ]


def test_approving_the_first_pending_comment_takes_one_key_press(
    page, live_server, article, moderator
):
    first, second, third = held_comments(article)
    sign_in(page, live_server, moderator)
    page.goto(live_server.url + reverse("admin:comments_pendingcomment_changelist"))
    presses = 0

    def press(key):
        nonlocal presses
        presses += 1
        page.keyboard.press(key)

    # Landing on the queue, the focus is on the first row's Approve button.
    press("Enter")
    expect(page.get_by_text("Approved 1 comment.")).to_be_visible()
    assert presses <= 6
    print(f"key presses to approve the first pending comment: {presses}")
    first.refresh_from_db()
    assert first.status == Comment.Status.PUBLISHED
    # Back on the queue, the focus is on the next comment's first decision.
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Approve: the comment by Guest 1"
    press("Tab")  # from Approve to Reject
    press("Tab")  # to Spam
    press("Enter")
    expect(page.get_by_text("Marked 1 comment as spam.")).to_be_visible()
    second.refresh_from_db()
    assert second.status == Comment.Status.SPAM
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Approve: the comment by Guest 2"
    )


def test_a_row_is_rejected_with_a_reason_by_keyboard(
    page, live_server, article, moderator
):
    RemovalReason.objects.get_or_create(label="Spam")
    (held,) = held_comments(article, 1)
    sign_in(page, live_server, moderator)
    page.goto(live_server.url + reverse("admin:comments_pendingcomment_changelist"))
    row = page.get_by_role("row").filter(has_text="Held comment number 0")
    row.get_by_label("Public reason").select_option(label="Spam")
    row.get_by_label("Note to the author").fill("Adverts go elsewhere.")
    row.get_by_role("button", name="Reject: the comment by Guest 0").press("Enter")
    expect(page.get_by_text("Rejected 1 comment.")).to_be_visible()
    held.refresh_from_db()
    assert (held.status, held.public_reason.label, held.author_note) == (
        "rejected",
        "Spam",
        "Adverts go elsewhere.",
    )


# The page's width, the window's, and the widest the list's own box scrolls to.
WIDTHS_JS = """[
  Math.max(document.documentElement.scrollWidth,
           ...[...document.querySelectorAll('.results')].map(e => e.scrollWidth
             - e.clientWidth + document.documentElement.clientWidth)),
  window.innerWidth]"""
QUEUES_AND_LISTS = [
    "pendingcomment",
    "reportedcomment",
    "comment",
    "moderationrecord",
    "restriction",
    "removalreason",
]


@pytest.mark.parametrize("width", [1280, 390])
def test_every_moderation_list_fits_the_window(
    browser, live_server, article, moderator, width
):
    held = held_comments(article)
    reported = comment(article.discussion, guest_name="Blunt", body="Blunt words")
    Report.objects.create(comment=reported, reporter=moderator, reason="abusive")
    Report.objects.create(comment=held[0], reporter=moderator, reason="spam")
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, moderator)
    for name in QUEUES_AND_LISTS:
        page.goto(live_server.url + reverse(f"admin:comments_{name}_changelist"))
        widths = page.evaluate(WIDTHS_JS)
        print(f"{name} at {width} px: scrollWidth {widths[0]}")
        if name == "pendingcomment":
            path = f"var/screenshots/pending-{width}.png"
            page.screenshot(path=path, full_page=True)
        assert widths[0] <= widths[1], f"{name} at {width}px: {widths}"
        if name in ("pendingcomment", "reportedcomment"):
            assert_accessible(page)
            assert small_targets(page, skip=".queue-comment") == []
    context.close()


def test_restrict_this_author_opens_the_form_filled_in_with_the_focus_on_it(
    page, live_server, article, moderator
):
    rude = comment(
        article.discussion,
        guest_name="Kit",
        guest_email="kit@example.org",
        ip_address="203.0.113.9",
        body="Look it up yourself.",
    )
    sign_in(page, live_server, moderator)
    page.goto(
        live_server.url + reverse("admin:comments_comment_change", args=[rude.pk])
    )
    page.get_by_role("link", name="Restrict this author").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Add posting restriction")
    )
    kind = page.get_by_label("Kind")
    expect(kind).to_be_focused()  # no Tab needed to reach the first field
    expect(kind).to_have_value("suspend")
    expect(page.get_by_label("Guest email")).to_have_value("kit@example.org")
    expect(page.get_by_label("IP address")).to_have_value("203.0.113.9")
    page.get_by_role("textbox", name="Reason:").fill("Cool off for a week.")
    page.get_by_role("button", name="Save", exact=True).click()
    restriction = Restriction.objects.get()
    assert (restriction.guest_email, restriction.kind) == ("kit@example.org", "suspend")
    assert restriction.until > timezone.now() + timezone.timedelta(days=6)
