import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import User
from articles.models import Article, Section, Tag
from comments.models import Comment, Discussion

pytestmark = pytest.mark.django_db


def seed(capsys):
    call_command("seed_demo")
    return capsys.readouterr().out


def test_seed_demo_loads_a_realistic_site_once(capsys, settings):
    settings.DEBUG = True
    out = seed(capsys)
    assert "kindred-editor-demo" in out and "editor@kindred.example" in out
    assert Section.objects.count() >= 3
    assert Article.objects.published().count() >= 12
    assert Article.objects.filter(status=Article.Status.DRAFT).exists()
    assert any(a.is_scheduled for a in Article.objects.all())
    assert Tag.objects.count() >= 8
    assert not Article.objects.filter(body__icontains="lorem").exists()
    counts = (User.objects.count(), Article.objects.count(), Comment.objects.count())
    again = seed(capsys)
    assert "Demo content already present." in again
    assert "kindred-editor-demo" in again  # a second `make run` names them too
    assert counts == (
        User.objects.count(),
        Article.objects.count(),
        Comment.objects.count(),
    )


def test_demo_people_can_log_in_and_have_their_roles(capsys, settings):
    settings.DEBUG = True
    seed(capsys)
    editor = authenticate(
        email="editor@kindred.example", password="kindred-editor-demo"
    )
    assert editor and editor.groups.filter(name="Editors").exists()
    moderator = User.objects.get(email="moderator@kindred.example")
    assert moderator.has_perm("comments.moderate_comment")
    assert not moderator.has_perm("articles.change_article")
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == (
        User.objects.count()
    )


def test_demo_discussions_are_counted_and_one_is_long_and_deep(capsys):
    seed(capsys)
    for discussion in Discussion.objects.all():
        assert discussion.comment_count == discussion.comments.published().count()
    longest = max(Discussion.objects.all(), key=lambda d: d.comment_count)
    assert longest.comment_count >= 300
    assert longest.comments.order_by("-depth").first().depth >= 8
    assert Comment.objects.filter(author=None).exclude(guest_name="").exists()


def test_passwords_are_not_printed_in_production(capsys, settings):
    settings.DEBUG = False
    out = seed(capsys)
    assert "kindred-" not in out.replace("@kindred.example", "")
    again = seed(capsys)
    assert "kindred-" not in again.replace("@kindred.example", "")
    assert not authenticate(
        email="editor@kindred.example", password="kindred-editor-demo"
    )
