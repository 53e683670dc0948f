import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True, display_name="Dana Editor")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def png(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def article_form(editor, **changes):
    data = {
        "title": "Trial results are in",
        "slug": "",
        "summary": "A short summary.",
        "body": "## Findings\n\n![chart](https://example.org/c.png)\n\nText.",
        "section": SectionFactory().pk,
        "authors": [editor.pk],
        "status": Article.Status.DRAFT,
        "published_at": "",
        "image_alt": "",
        "image_caption": "",
        "study_title": "",
        "study_journal": "",
        "study_url": "",
    }
    data.update(changes)
    return data


def test_editor_writes_a_draft_with_slug_from_the_title(client, editor):
    response = client.post(reverse("admin:articles_article_add"), article_form(editor))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.slug == "trial-results-are-in"
    assert article.status == Article.Status.DRAFT
    assert "<h2>Findings</h2>" in article.body_html
    assert '<img src="https://example.org/c.png" alt="chart">' in article.body_html
    assert client.get(article.get_absolute_url()).status_code == 200
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_a_second_article_with_the_same_headline_gets_its_own_slug(client, editor):
    ArticleFactory(title="Trial results are in", slug="trial-results-are-in")
    client.post(reverse("admin:articles_article_add"), article_form(editor))
    assert Article.objects.filter(slug="trial-results-are-in-2").exists()


def test_publishing_without_a_time_publishes_now(client, editor):
    client.post(
        reverse("admin:articles_article_add"),
        article_form(editor, status=Article.Status.PUBLISHED),
    )
    article = Article.objects.get()
    assert article.is_published
    assert article.discussion.opened_at == article.published_at


def test_an_image_needs_alt_text_and_the_right_type(client, editor):
    response = client.post(
        reverse("admin:articles_article_add"), article_form(editor, image=png())
    )
    assert response.status_code == 200
    assert (
        "Describe the image for people who cannot see it." in response.content.decode()
    )
    text_file = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(editor, image=text_file, image_alt="A chart"),
    )
    assert response.status_code == 200
    assert not Article.objects.exists()
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(editor, image=png(), image_alt="A chart of results"),
    )
    assert response.status_code == 302
    assert Article.objects.get().image_alt == "A chart of results"


def test_an_image_over_the_size_limit_is_refused(client, editor, settings):
    settings.KINDRED = {**settings.KINDRED, "IMAGE_MAX_BYTES": 10}
    response = client.post(
        reverse("admin:articles_article_add"),
        article_form(editor, image=png(), image_alt="A chart"),
    )
    assert response.status_code == 200
    assert "the limit is" in response.content.decode()
    assert not Article.objects.exists()


def test_editor_closes_comments_from_the_article_form(client, editor):
    article = ArticleFactory(authors=[editor])
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = article_form(
        editor,
        title=article.title,
        slug=article.slug,
        section=article.section_id,
        status=Article.Status.PUBLISHED,
        published_at=timezone.localtime(article.published_at).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        comments_closed="on",
    )
    assert client.post(url, data).status_code == 302
    article.discussion.refresh_from_db()
    assert article.discussion.is_closed
    before = article.published_at.replace(second=0, microsecond=0)
    article.refresh_from_db()
    assert article.published_at == before  # the one date-time field kept it


def test_editor_schedules_with_one_date_time_field(client, editor):
    when = timezone.localtime() + timezone.timedelta(days=2)
    data = article_form(
        editor,
        status=Article.Status.PUBLISHED,
        published_at=when.strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_scheduled
    assert article.published_at == when.replace(second=0, microsecond=0)
    html = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert 'type="datetime-local"' in html.content.decode()
    assert 'type="checkbox" name="authors"' in html.content.decode()


def test_article_list_shows_draft_scheduled_and_published(client, editor):
    ArticleFactory(title="Draft one", status=Article.Status.DRAFT)
    ArticleFactory(
        title="Later one", published_at=timezone.now() + timezone.timedelta(1)
    )
    ArticleFactory(title="Live one")
    html = client.get(reverse("admin:articles_article_changelist")).content.decode()
    labels = {}
    for row in re.findall(r"<tr[ >].*?</tr>", html, re.S):
        title = re.search(r'<th class="field-title">.*?>([^<]+)</a>', row, re.S)
        label = re.search(r'<td class="field-publication">([^<]*)</td>', row)
        if title and label:
            labels[title.group(1)] = label.group(1)
    assert labels == {
        "Draft one": "Draft",
        "Later one": "Scheduled",
        "Live one": "Published",
    }
    response = client.get(
        reverse("admin:articles_article_changelist"), {"publication": "scheduled"}
    )
    assert [a.title for a in response.context["cl"].result_list] == ["Later one"]


def test_article_change_page_links_to_the_site(client, editor):
    article = ArticleFactory()
    html = client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    assert "View on site" in html


def test_members_and_anonymous_cannot_reach_the_article_admin(client):
    url = reverse("admin:articles_article_changelist")
    assert client.get(url).status_code == 302
    client.force_login(UserFactory())
    assert client.get(url).status_code == 302


def test_staff_without_the_editor_role_cannot_edit_articles(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 403
