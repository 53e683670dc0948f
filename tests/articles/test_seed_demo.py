from pathlib import Path
from types import SimpleNamespace

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import models
from django.utils import timezone

from accounts.models import User
from articles import demo
from articles.management.commands.seed_demo import PEOPLE
from articles.models import Article, Section, Tag
from comments.demo import generated_rows, parse_outline
from comments.models import Comment, Discussion, Reaction

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


def test_every_demo_article_file_parses_and_names_a_demo_section():
    sections = {section["slug"] for section in demo.sections()}
    entries = demo.articles()
    assert len(entries) >= 12
    for entry in entries:
        assert entry["section"] in sections, entry["slug"]
        assert entry["title"] and entry["summary"] and entry["tags"]
        assert entry["body"] and "+++" not in entry["body"], entry["slug"]
    slugs = [entry["slug"] for entry in entries]
    assert len(set(slugs)) == len(slugs)


def test_every_demo_discussion_is_by_demo_people_and_replies_to_earlier_comments():
    people = {name: name for role, _, name, *_ in PEOPLE if role != "admin"}
    written = 0
    for entry in demo.articles():
        rows = parse_outline(entry["discussion"], people)
        for index, row in enumerate(rows):
            assert row["reply_to"] is None or row["reply_to"] < index
            assert row.get("author") in people or row["guest_name"]
        if rows:
            assert entry.get("days_ago", -1) > 0, f"{entry['slug']} is not out yet"
        written += len(rows)
    assert written >= 100


def test_the_generated_demo_discussion_has_its_size_and_depth():
    entries = demo.articles()
    (phrases,) = [e["long_discussion"] for e in entries if "long_discussion" in e]
    members = [SimpleNamespace(display_name=n) for n in ("Fran L", "Tom B", "Priya N")]
    now = timezone.now()
    rows = generated_rows(phrases, members, now - timezone.timedelta(days=4), now)
    assert len(rows) == phrases["comments"]
    assert len({row["body"] for row in rows}) == len(rows)
    depths = []
    for row in rows:
        parent = row["reply_to"]
        depths.append(0 if parent is None else depths[parent] + 1)
    assert max(depths) == phrases["max_depth"]


@pytest.mark.parametrize(
    "outline, problem",
    [
        ("Fran Lindqvist: Hello\n    Tom Becker: Too deep", "without a parent"),
        ("Nobody Known: Hello", "not a member"),
        ("no colon here", "Not a"),
    ],
)
def test_a_broken_demo_discussion_is_refused_with_the_line(outline, problem):
    people = {"Fran Lindqvist": 1, "Tom Becker": 2}
    with pytest.raises(ValueError, match=problem):
        parse_outline(outline, people)


def test_the_comments_app_holds_no_demo_article():
    sources = Path(django_settings.BASE_DIR, "comments").rglob("*.py")
    text = "\n".join(path.read_text("utf-8") for path in sources)
    for entry in demo.articles():
        assert entry["slug"] not in text and entry["title"] not in text


def test_the_demo_has_reactions_that_match_their_counts(capsys, settings):
    settings.DEBUG = True
    seed(capsys)
    assert Reaction.objects.count() >= 100
    assert not Reaction.objects.filter(member=models.F("comment__author")).exists()
    assert not Reaction.objects.filter(member__is_superuser=True).exists()
    rows = {}
    for comment_id, kind in Reaction.objects.values_list("comment_id", "kind"):
        tally = rows.setdefault(comment_id, {})
        tally[kind] = tally.get(kind, 0) + 1
    stored = dict(
        Comment.objects.exclude(reaction_counts={}).values_list("pk", "reaction_counts")
    )
    assert stored == rows
    assert Reaction.objects.filter(comment__discussion__topic__isnull=False).exists()
    assert Reaction.objects.filter(kind="helpful").count() >= 20
