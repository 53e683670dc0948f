"""An article's lead image: resized copies made on save, served with srcset."""

import importlib
import io

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from articles.models import Article
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def jpeg(width, height, name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 110, 120)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def sizes_of(article):
    found = []
    for variant in article.image_variants["variants"]:
        with default_storage.open(variant["name"]) as file, Image.open(file) as image:
            found.append((image.format, image.size))
    return found


def test_saving_an_image_makes_three_resized_jpeg_copies():
    article = ArticleFactory(image=jpeg(2000, 1000), image_alt="A teal square")
    assert sizes_of(article) == [
        ("JPEG", (480, 240)),
        ("JPEG", (960, 480)),
        ("JPEG", (1600, 800)),
    ]


def test_a_small_image_is_never_enlarged():
    article = ArticleFactory(image=jpeg(700, 350), image_alt="A teal square")
    assert sizes_of(article) == [("JPEG", (480, 240)), ("JPEG", (700, 350))]


def test_a_new_image_replaces_the_old_copies():
    article = ArticleFactory(image=jpeg(1000, 500), image_alt="A teal square")
    old = [variant["name"] for variant in article.image_variants["variants"]]
    article.image = jpeg(600, 600, name="square.jpg")
    article.save()
    assert sizes_of(article) == [("JPEG", (480, 480)), ("JPEG", (600, 600))]
    assert not any(default_storage.exists(name) for name in old)


def test_removing_the_image_removes_its_copies():
    article = ArticleFactory(image=jpeg(1000, 500), image_alt="A teal square")
    old = [variant["name"] for variant in article.image_variants["variants"]]
    article.image = None
    article.save()
    assert article.image_variants == {}
    assert not any(default_storage.exists(name) for name in old)


def test_saving_other_fields_keeps_the_copies():
    article = ArticleFactory(image=jpeg(1000, 500), image_alt="A teal square")
    before = article.image_variants
    article.title = "A new headline"
    article.save()
    assert Article.objects.get(pk=article.pk).image_variants == before


def test_article_page_serves_the_copies_with_srcset_sizes_and_dimensions(client):
    article = ArticleFactory(
        image=jpeg(2000, 1000),
        image_alt="Teal light over a clinic corridor",
        image_caption="The trial unit in Lyon.",
        image_credit="Photo: Ana Ruiz",
    )
    html = client.get(article.get_absolute_url()).content.decode()
    urls = [v["url"] for v in article.picture]
    srcset = f'srcset="{urls[0]} 480w, {urls[1]} 960w, {urls[2]} 1600w"'
    assert srcset in html
    assert 'width="960" height="480" alt="Teal light over a clinic corridor"' in html
    assert "sizes=" in html
    assert "The trial unit in Lyon." in html
    assert "Photo: Ana Ruiz" in html


def test_list_pages_show_thumbnails_loaded_lazily(client):
    section = SectionFactory(slug="research")
    ArticleFactory(section=section, image=jpeg(1000, 500), image_alt="Teal waves")
    ArticleFactory(section=section, is_lead=True)
    for url in [reverse("articles:home"), section.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert 'alt="Teal waves" loading="lazy"' in html, url


@pytest.fixture
def editor(client):
    user = UserFactory(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def add_article(client, editor, image):
    return client.post(
        reverse("admin:articles_article_add"),
        {
            "title": "Trial results are in",
            "summary": "A short summary.",
            "body": "Text.",
            "section": SectionFactory().pk,
            "authors": [editor.pk],
            "status": Article.Status.DRAFT,
            "image": image,
            "image_alt": "A chart of results",
            "image_credit": "Chart: Kindred",
        },
    )


def test_an_editor_uploads_an_image_and_its_copies_are_made(client, editor):
    response = add_article(client, editor, jpeg(1200, 800))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.image_credit == "Chart: Kindred"
    assert [v["width"] for v in article.image_variants["variants"]] == [480, 960, 1200]


def test_a_broken_image_is_refused_with_a_message_next_to_the_field(client, editor):
    broken = SimpleUploadedFile("photo.jpg", b"not really a JPEG", "image/jpeg")
    response = add_article(client, editor, broken)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["image"]
    assert "Upload a valid image" in errors["image"][0]
    assert not Article.objects.exists()


def test_the_migration_makes_copies_for_images_stored_before_it():
    migration = importlib.import_module(
        "articles.migrations.0003_image_credit_and_variants"
    )
    article = ArticleFactory(image=jpeg(1000, 500), image_alt="A teal square")
    Article.objects.filter(pk=article.pk).update(image_variants={})
    ArticleFactory()  # without an image: left alone
    migration.copies_for_existing_images(apps, schema_editor=None)
    article.refresh_from_db()
    assert [size for _, size in sizes_of(article)] == [
        (480, 240),
        (960, 480),
        (1000, 500),
    ]


def test_the_editor_sees_the_image_as_readers_will(client, editor):
    article = ArticleFactory(image=jpeg(1000, 500), image_alt="A teal square")
    url = reverse("admin:articles_article_change", args=[article.pk])
    html = client.get(url).content.decode()
    small = article.picture[0]["url"]
    assert f'<img src="{small}" width="480" height="240" alt="A teal square">' in html
