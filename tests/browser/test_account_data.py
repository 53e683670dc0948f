"""A member downloads their data and deletes their account, by keyboard and
mouse alike; the page passes axe-core and every target is 44 px."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import User
from tests.browser.test_comments import sign_in
from tests.comments.make import comment
from tests.conftest import NOT_TARGETS, assert_accessible, small_targets
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_their_data_then_deletes_their_account(page, live_server):
    grace = UserFactory(display_name="Grace")
    comment(author=grace, body="It took me a month.")
    sign_in(page, live_server, grace)
    page.goto(live_server.url + reverse("accounts:settings"))
    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Your data and your account"
    )
    assert_accessible(page)
    assert small_targets(page, within="main", skip=NOT_TARGETS) == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download my data").click()
    with open(download.value.path()) as saved:
        data = json.load(saved)
    assert [c["text"] for c in data["comments"]] == ["It took me a month."]

    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("This is not your password.").first).to_be_visible()
    expect(page.get_by_text("Choose what becomes of your posts.").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Keep my posts, shown under “Former member”").check()
    page.get_by_label("Your password").fill("correct horse battery")
    page.get_by_label("Your password").press("Enter")
    expect(page.get_by_text("Your account was deleted. Goodbye.")).to_be_visible()
    grace = User.objects.get(pk=grace.pk)
    assert grace.display_name == "Former member" and not grace.is_active
