"""Public corpora of bad input through the real form and the one sanitiser."""

import html as htmllib
import json
import re
import uuid
from pathlib import Path

import pytest
from django.urls import reverse

from comments.markup import _cleaners, render_markup
from comments.models import Comment, ModerationSettings
from tests.factories import ArticleFactory, UserFactory

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
NAUGHTY = json.loads((CORPORA / "blns.json").read_text())
SANITIZER_CASES = json.loads((CORPORA / "html5lib-sanitizer-tests1.json").read_text())
DANGEROUS_URL = re.compile(r"^\s*(javascript|vbscript|data|livescript)\s*:", re.I)


def assert_harmless(html):
    assert not re.search(r"<\s*script", html, re.I)
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html, re.I), html
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        assert not DANGEROUS_URL.match(htmllib.unescape(url)), url
    assert not re.search(r"<\s*(iframe|object|embed|style|svg|math|form)", html, re.I)


@pytest.mark.django_db
def test_every_naughty_string_through_the_comment_form(client, settings):
    settings.KINDRED = {
        **settings.KINDRED,
        "COMMENTS_RATE_SECONDS": 0,
        "COMMENTS_PER_PAGE": 1000,
    }
    ModerationSettings.objects.create(hold_first_comments=False)
    article = ArticleFactory()
    client.force_login(UserFactory())
    url = reverse("comments:post", args=[article.discussion_id])
    refused = []
    for text in NAUGHTY:
        response = client.post(url, {"body": text, "token": str(uuid.uuid4())})
        assert response.status_code in (200, 302), repr(text)
        if response.status_code == 302:
            stored = Comment.objects.latest("created_at")
            assert stored.body == text, repr(text)
            assert_harmless(stored.body_html)
            continue
        page = response.content.decode()
        assert 'class="errorlist' in page or 'class="form-errors"' in page, repr(text)
        refused.append(text)
    # Only what cannot be a comment is refused: nothing, blanks, NUL characters,
    # and repeats of an earlier string (the duplicate rule).
    for text in refused:
        assert (
            not text.strip()
            or "\x00" in text
            or NAUGHTY.index(text) != len(NAUGHTY) - 1 - NAUGHTY[::-1].index(text)
            or Comment.objects.filter(body=text).exists()
        ), repr(text)
    page = client.get(article.get_absolute_url()).content.decode()
    thread = page[page.index('<ol class="thread">') : page.index('id="leave-comment"')]
    # The site's own reaction forms (built from ids and fixed words, no user
    # text) are the only forms a thread may hold.
    site_forms = re.compile(
        r'<form class="reaction-form" method="post" '
        r'action="/comments/\d+/react/">(?:<input type="hidden" '
        r'name="csrfmiddlewaretoken" value="\w+">)(?:<button [^<>]+>[\w ]+</button>)+'
        r"</form>"
    )
    assert len(site_forms.findall(thread)) == Comment.objects.published().count()
    assert_harmless(site_forms.sub("", thread))
    assert Comment.objects.count() >= len(NAUGHTY) - 20


@pytest.mark.parametrize(
    "case", SANITIZER_CASES, ids=[c["name"] for c in SANITIZER_CASES]
)
@pytest.mark.parametrize("staff", [False, True])
def test_html5lib_sanitizer_cases_leave_nothing_that_runs(case, staff):
    assert_harmless(render_markup(case["input"], staff=staff))


def test_a_numbered_list_may_start_where_the_writer_started_it():
    assert render_markup("5. Find one person").startswith('<ol start="5">')
    # Nothing but a number: no script, no absurd length.
    assert "start" not in _cleaners[False].clean('<ol start="x">a</ol>')
    assert "start" not in _cleaners[False].clean('<ol start="1234567">a</ol>')
    kept = _cleaners[False].clean('<ol start="2" onclick="x()">a</ol>')
    assert kept == '<ol start="2">a</ol>'
