import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from accounts.avatars import PALETTE, contrast_ratio, initials
from accounts.models import User
from comments.models import Discussion
from tests.comments.make import comment
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.django_db


def picture(size=(800, 600), kind="PNG", mode="RGB", name="me.png"):
    out = io.BytesIO()
    Image.new(mode, size, "orange" if mode == "RGB" else 1).save(out, kind)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{kind}")


def save_settings(client, **changes):
    data = {"display_name": "Dee", "bio": "", "role": "", **changes}
    return client.post(reverse("accounts:settings"), data)


def test_an_uploaded_picture_is_stored_as_a_small_square_jpeg(client):
    user = UserFactory()
    client.force_login(user)
    response = save_settings(client, avatar=picture(size=(1200, 800)))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar.name.startswith("avatars/") and user.avatar.name.endswith(".jpg")
    with Image.open(user.avatar.path) as stored:
        assert (stored.format, stored.size) == ("JPEG", (256, 256))
    html = client.get(user.get_absolute_url()).content.decode()
    assert f'src="{user.avatar.url}"' in html


@pytest.mark.parametrize(
    "upload, message",
    [
        (
            SimpleUploadedFile("me.png", b"%PDF-1.4 not a picture"),
            "This file is not a picture we can read.",
        ),
        (
            SimpleUploadedFile("big.jpg", b"\0" * (20 * 1024 * 1024)),
            "This picture is 20.0\xa0MB; the largest we take is 5.0\xa0MB.",
        ),
        (
            picture(size=(10_000, 10_000), mode="1", name="bomb.png"),
            "This picture has too many pixels to open safely.",
        ),
    ],
    ids=["not-an-image", "20-MB", "decompression-bomb"],
)
def test_a_refused_picture_is_explained_next_to_the_field(client, upload, message):
    user = UserFactory(display_name="Dee")
    client.force_login(user)
    response = save_settings(client, avatar=upload, bio="Typed with care")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["avatar"] and errors["avatar"][0].startswith(message)
    html = response.content.decode()
    assert 'id="id_avatar_error"' in html and "Typed with care" in html
    user.refresh_from_db()
    assert not user.avatar and user.bio == ""


def test_a_member_without_a_picture_gets_initials_that_can_be_read():
    assert initials("Ana María López") == "AL"
    assert initials("grace") == "G"
    assert initials("  ") == "?"
    assert initials("(Dr) Jo") == "DJ"  # the first letter, not the bracket
    assert initials("/ana") == "A"  # a slash would not fit in the picture's URL
    assert initials("ßa x") == "SX"
    assert all(contrast_ratio(colour) >= 4.5 for colour in PALETTE)
    user = UserFactory(display_name="Ana López")
    response = Client().get(user.avatar_url)
    assert response["Content-Type"] == "image/svg+xml"
    assert ">AL</text>" in response.content.decode()
    assert Client().get(user.avatar_url.replace("AL", "ALX")).status_code == 404
    evil = reverse("accounts:initials", args=["<a", 0])
    assert "&lt;a</text>" in Client().get(evil).content.decode()


def test_removing_the_picture_brings_back_the_initials(client):
    user = UserFactory()
    client.force_login(user)
    save_settings(client, avatar=picture())
    user.refresh_from_db()
    stored = user.avatar.path
    save_settings(client, remove_avatar="on")
    user.refresh_from_db()
    assert not user.avatar
    assert not __import__("os").path.exists(stored)


def test_the_profile_shows_role_and_month_joined(client):
    user = UserFactory(display_name="Rosa", role=User.Role.CAREGIVER)
    html = client.get(user.get_absolute_url()).content.decode()
    assert "Caregiver" in html
    assert f"Member since {user.date_joined:%B %Y}" in html


def test_name_picture_and_role_appear_next_to_posts(client):
    user = UserFactory(display_name="Rosa", role=User.Role.CLINICIAN)
    article = ArticleFactory()
    comment(article.discussion, author=user, body="Ask for a swallow study.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<img class="avatar" src="{user.avatar_url}"' in html
    assert '<span class="badge badge-role">Clinician</span>' in html


def test_changing_role_or_picture_renders_threads_afresh(client):
    user = UserFactory(display_name="Dee")
    article = ArticleFactory()
    comment(article.discussion, author=user)
    version = Discussion.objects.get(pk=article.discussion.pk).version
    client.force_login(user)
    save_settings(client, role=User.Role.RESEARCHER)
    assert Discussion.objects.get(pk=article.discussion.pk).version == version + 1
    save_settings(client, role=User.Role.RESEARCHER, bio="Only the bio")
    assert Discussion.objects.get(pk=article.discussion.pk).version == version + 1
    save_settings(client, role=User.Role.RESEARCHER, avatar=picture())
    assert Discussion.objects.get(pk=article.discussion.pk).version == version + 2
