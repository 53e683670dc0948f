import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles import demo
from articles.models import Article, Section, Tag
from comments.demo import seed_discussions
from forums.seed import seed_forums

# (role, email, display name, bio, staff, superuser, group)
PEOPLE = [
    ("admin", "admin@kindred.example", "Kindred Admin", "", True, True, None),
    (
        "editor",
        "editor@kindred.example",
        "Dana Okafor",
        "Science editor. Former lab researcher, now turning papers into plain words.",
        True,
        False,
        "Editors",
    ),
    (
        "moderator",
        "moderator@kindred.example",
        "Sam Reyes",
        "Community moderator. Cared for my father through ALS.",
        True,
        False,
        "Moderators",
    ),
    (
        "member",
        "fran@kindred.example",
        "Fran Lindqvist",
        "Caring for my husband, diagnosed 2023.",
        False,
        False,
        None,
    ),
    (
        "member",
        "miguel@kindred.example",
        "Miguel Sá",
        "Living with ALS in Porto. Eye-gaze typist.",
        False,
        False,
        None,
    ),
    (
        "member",
        "priya@kindred.example",
        "Priya Nair",
        "Diagnosed 2021. Slow typist, fast thinker.",
        False,
        False,
        None,
    ),
    (
        "member",
        "tom@kindred.example",
        "Tom Becker",
        "ALS since 2022. Sceptic with a soft heart.",
        False,
        False,
        None,
    ),
    (
        "member",
        "grace@kindred.example",
        "Grace Ellison",
        "Daughter, caregiver, trial-watcher.",
        False,
        False,
        None,
    ),
]


def demo_password(role):
    """Known in development, so the README can name it; random anywhere else."""
    return f"kindred-{role}-demo" if settings.DEBUG else secrets.token_urlsafe(24)


class Command(BaseCommand):
    help = "Load the demo content once: sections, articles, people and discussions."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(email=PEOPLE[0][1]).exists():
            self.stdout.write("Demo content already present.")
            kept = set(
                get_user_model()
                .objects.filter(email__in=[person[1] for person in PEOPLE])
                .values_list("email", flat=True)
            )
            self.print_accounts(
                [
                    (role, email, demo_password(role))
                    for role, email, *_ in PEOPLE
                    if email in kept
                ]
            )
            return
        with transaction.atomic():
            people = self.create_people()
            articles = self.create_articles(people)
            members = [p for role, p, _ in people if role != "admin"]
            count = seed_discussions(articles, members)
            seed_forums()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {Section.objects.count()} sections, "
                f"{len(articles)} articles, {len(people)} people, {count} comments."
            )
        )
        self.print_accounts([(role, user.email, pw) for role, user, pw in people])

    def create_people(self):
        people = []
        for role, email, name, bio, staff, superuser, group in PEOPLE:
            password = demo_password(role)
            user = get_user_model().objects.create_user(
                email=email,
                password=password,
                display_name=name,
                bio=bio,
                is_staff=staff,
                is_superuser=superuser,
            )
            if group and (found := Group.objects.filter(name=group).first()):
                user.groups.add(found)
            EmailAddress.objects.create(
                user=user, email=email, verified=True, primary=True
            )
            people.append((role, user, password))
        return people

    def create_articles(self, people):
        for position, (name, slug, description) in enumerate(demo.SECTIONS):
            Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "description": description,
                    "position": position,
                },
            )
        sections = {s.slug: s for s in Section.objects.all()}
        tags = {
            name: Tag.objects.get_or_create(
                slug=slugify(name), defaults={"name": name}
            )[0]
            for name in demo.TAGS
        }
        staff = [user for role, user, _ in people if role in ("editor", "moderator")]
        now = timezone.now().replace(second=0, microsecond=0)
        articles = {}
        for index, (
            title,
            section,
            tag_names,
            days_ago,
            summary,
            study,
            body,
        ) in enumerate(demo.ARTICLES):
            article = Article(
                title=title,
                summary=summary,
                body=body,
                section=sections[section],
                is_lead=index == 0,
                status=Article.Status.DRAFT
                if days_ago is None
                else Article.Status.PUBLISHED,
                published_at=None
                if days_ago is None
                else now - timezone.timedelta(days=days_ago, hours=index),
            )
            if study:
                article.study_title, article.study_journal, doi = study
                article.study_url = f"https://doi.org/{doi}"
            article.save()
            article.discussion.opened_at = article.published_at
            article.discussion.save(update_fields=["opened_at"])
            article.tags.set([tags[name] for name in tag_names])
            article.authors.set(staff[: 1 + index % 2])
            articles[article.slug] = article
        return articles

    def print_accounts(self, people):
        if not settings.DEBUG:
            self.stdout.write(
                "Demo accounts: passwords are not shown outside "
                "development. Use `manage.py changepassword` to set one."
            )
            return
        self.stdout.write("\nDemo accounts (development only; passwords as first set):")
        for role, email, password in people:
            self.stdout.write(f"  {role:<10} {email:<28} {password}")
        self.stdout.write("")
