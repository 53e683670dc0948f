"""The page shown while the primary database is down (templates/503.html), with
a form's text given back: axe-core finds nothing, every target is 44 x 44 px."""

import pytest
from django.template.loader import render_to_string

from tests.conftest import NOT_TARGETS, assert_accessible, small_targets

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_database_unavailable_page_is_accessible(page, scheme):
    page.emulate_media(color_scheme=scheme)
    typed = [{"id": "typed-body", "label": "Your comment", "value": "My words."}]
    page.set_content(
        render_to_string(
            "503.html", {"typed": typed, "was_sending": True, "retry_after": 30}
        )
    )
    assert page.get_by_label("Your comment").input_value() == "My words."
    assert_accessible(page)
    assert small_targets(page, within="main", skip=NOT_TARGETS) == []
