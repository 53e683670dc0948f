"""Every page of the admin, as a superuser sees it: each registered model's list and
add form, and the change form of one of each where the demo data makes one. axe-core
finds nothing, and every target is at least 44 by 44 px."""

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from tests.browser.test_comments import sign_in
from tests.comments.make import comment
from tests.conftest import assert_accessible, small_targets
from tests.factories import ArticleFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def admin_pages():
    """(name, args) of the list and add page of every registered model."""
    for model in admin.site._registry:
        opts = model._meta
        for view in ("changelist", "add"):
            name = f"admin:{opts.app_label}_{opts.model_name}_{view}"
            try:
                reverse(name)
            except NoReverseMatch:
                continue
            yield name, model


def problems(page, name):
    """What axe-core and the 44 px measure find on the page, as lines."""
    found = []
    try:
        assert_accessible(page)
    except AssertionError as error:
        found.append(f"{name}: axe: {error}")
    small = small_targets(page)
    if small:
        found.append(f"{name}: small targets: {small}")
    return found


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_admin_page_is_accessible_with_large_targets(page, live_server, scheme):
    page.emulate_media(color_scheme=scheme)
    boss = UserFactory(is_staff=True, is_superuser=True, display_name="Ines")
    article = ArticleFactory(title="Tofersen, a year on")
    comment(article.discussion, body="It gave us a year.")
    sign_in(page, live_server, boss)
    failures = []
    for name, model in admin_pages():
        response = page.goto(live_server.url + reverse(name))
        if response.status == 403:  # a list only, with no add page (the queues)
            continue
        assert response.status == 200, name
        failures += problems(page, name)
        if name.endswith("_changelist"):
            first = model._default_manager.order_by("pk").first()
            change = name.replace("_changelist", "_change")
            if first is not None:
                page.goto(live_server.url + reverse(change, args=[first.pk]))
                failures += problems(page, change)
    assert failures == [], "\n".join(failures)
