"""Every page type not covered by the other browser tests: axe-core finds nothing,
and every target is at least 44 by 44 px."""

import importlib

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from playwright.sync_api import expect

from comments.models import Comment
from tests.browser.test_comments import sign_in
from tests.comments.make import comment
from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.factories import ArticleFactory, TagFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page, url, heading):
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    small = small_targets(page, within="main", skip=NOT_TARGETS)
    assert small == [], f"{url}: {small}"


def editors_group():
    """The group of the data migration (transactional tests flush it away)."""
    migration = importlib.import_module("articles.migrations.0002_editors_group")
    group, _ = Group.objects.get_or_create(name=migration.EDITORS)
    group.permissions.set(
        Permission.objects.get(content_type__app_label=app, codename=f"{verb}_{model}")
        for app, verb, model in migration.PERMISSIONS
    )
    return group


@pytest.fixture
def member():
    user = UserFactory(display_name="Grace", bio="Daughter, spreadsheet keeper.")
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_for_everyone(page, live_server, member, scheme):
    page.emulate_media(color_scheme=scheme)
    article = ArticleFactory(title="Living with a feeding tube")
    comment(article.discussion, author=member, body="It took me a month.")
    base = live_server.url
    check(page, base + "/no-such-page/", "Page not found")
    check(page, base + member.get_absolute_url(), "Grace")
    check(page, base + reverse("account_reset_password"), "Forgotten your password?")
    check(page, base + reverse("account_reset_password_done"), "Check your email")
    check(page, base + reverse("pages:about"), "About us")
    check(page, base + reverse("pages:guidelines"), "Community guidelines")
    check(page, base + reverse("pages:privacy"), "Privacy")
    check(page, base + reverse("pages:contact"), "Contact")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_pages_for_members(page, live_server, member, scheme):
    page.emulate_media(color_scheme=scheme)
    article = ArticleFactory(title="Living with a feeding tube")
    mine = comment(article.discussion, author=member, body="It took me a month.")
    sign_in(page, live_server, member)
    base = live_server.url
    check(page, base + reverse("accounts:settings"), "Account settings")
    check(page, base + reverse("account_email"), "Email Address")
    check(page, base + reverse("account_change_password"), "Change Password")
    check(page, base + reverse("accounts:account"), "Your data and your account")
    check(page, base + reverse("mfa_list_webauthn"), "Passkeys")
    check(page, base + reverse("account_logout"), "Log out")
    edit = reverse("comments:edit", args=[mine.pk])
    delete = reverse("comments:delete", args=[mine.pk])
    check(page, base + edit, "Edit your comment")
    check(page, base + delete, "Delete your comment?")


def test_a_refused_form_gives_back_the_text_accessibly(page, live_server, member):
    """A member's form is checked against the CSRF cookie; when the cookie is gone
    (cleared in another tab), the form is refused with the typed text kept."""
    article = ArticleFactory(title="Living with a feeding tube")
    sign_in(page, live_server, member)
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Comment", exact=True).fill("Typed for an hour.")
    page.context.clear_cookies(name="csrftoken")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your form was not sent")
    expect(page.get_by_role("textbox", name="Your comment")).to_have_value(
        "Typed for an hour."
    )
    assert_accessible(page)
    page.get_by_role("link", name="Go back to the page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Living with a feeding tube"
    )


def test_a_guest_whose_cookies_were_cleared_still_posts(page, live_server):
    """A guest's form needs no cookie: the browser says where it came from."""
    article = ArticleFactory(title="Living with a feeding tube")
    page.goto(live_server.url + article.get_absolute_url())
    page.get_by_role("textbox", name="Comment", exact=True).fill("Typed for an hour.")
    page.get_by_role("textbox", name="Name", exact=True).fill("Rosa")
    page.get_by_role("textbox", name="Email", exact=True).fill("rosa@example.org")
    page.context.clear_cookies()
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Typed for an hour.")).to_be_visible()
    assert Comment.objects.get().body == "Typed for an hour."


def test_the_editors_admin_is_accessible_with_large_targets(page, live_server):
    editor = UserFactory(is_staff=True, display_name="Dana")
    editor.groups.add(editors_group())
    article = ArticleFactory(title="Draft on tofersen", authors=[editor])
    TagFactory(name="Biomarkers")
    sign_in(page, live_server, editor)
    for name, args in [
        ("admin:index", []),
        ("admin:articles_article_changelist", []),
        ("admin:articles_article_add", []),
        ("admin:articles_article_change", [article.pk]),
        ("admin:articles_section_add", []),
    ]:
        page.goto(live_server.url + reverse(name, args=args))
        assert_accessible(page)
        small = small_targets(page)
        assert small == [], f"{name}: {small}"
