import io
import math
import random
import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFilter

from articles import demo
from articles.models import Article, Section, Tag
from comments.demo import add_generated, add_reactions, add_written
from comments.models import Comment
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


# Each section's colours for the demo pictures: (name, RGB), background first.
PALETTES = {
    "research": [
        ("deep teal", (15, 94, 99)),
        ("sea green", (92, 186, 170)),
        ("pale sand", (238, 226, 204)),
        ("peach", (242, 180, 143)),
    ],
    "clinical-trials": [
        ("midnight blue", (24, 46, 74)),
        ("teal", (46, 140, 150)),
        ("amber", (240, 178, 76)),
        ("cream", (246, 238, 222)),
    ],
    "living-with-als": [
        ("warm sand", (236, 214, 186)),
        ("rust", (178, 78, 44)),
        ("deep teal", (15, 94, 99)),
        ("peach", (245, 190, 160)),
    ],
    "community": [
        ("forest green", (38, 84, 64)),
        ("ochre", (214, 160, 62)),
        ("soft pink", (238, 176, 170)),
        ("cream", (246, 238, 222)),
    ],
}
PICTURE_SIZE = (1800, 1200)


def demo_picture(seed, section):
    """An abstract picture in the section's colours (no downloads, no photos of
    people who did not agree to it) and its description, as (JPEG bytes, alt)."""
    rng = random.Random(seed)
    palette = PALETTES.get(section, PALETTES["research"])
    (ground_name, ground), *inks = palette
    width, height = PICTURE_SIZE
    picture = Image.new("RGB", PICTURE_SIZE, ground)
    layer = Image.new("RGBA", PICTURE_SIZE, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    # Waves: bands of colour across the picture, as the horizon of a landscape.
    for band, (_, colour) in enumerate(inks):
        base = height * (0.45 + 0.17 * band) + rng.uniform(-60, 60)
        amplitude, phase = rng.uniform(40, 110), rng.uniform(0, math.tau)
        length = rng.uniform(0.6, 1.4) * width
        points = [
            (x, base + amplitude * math.sin(phase + math.tau * x / length))
            for x in range(0, width + 40, 40)
        ]
        draw.polygon([*points, (width, height), (0, height)], fill=(*colour, 190))
    # Circles: a large "sun" and a few smaller ones, like people gathered.
    sun_name, sun = inks[-1]
    cx, cy = rng.uniform(0.55, 0.8) * width, rng.uniform(0.2, 0.35) * height
    radius = rng.uniform(0.14, 0.2) * height
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=(*sun, 235))
    for _ in range(rng.randint(3, 5)):
        r = rng.uniform(0.03, 0.07) * height
        x, y = rng.uniform(0.08, 0.5) * width, rng.uniform(0.15, 0.45) * height
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*inks[1][1], 210))
    picture.paste(layer.filter(ImageFilter.GaussianBlur(2)), (0, 0), layer)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=88)
    alt = (
        f"Abstract illustration: waves of {inks[0][0]} and {inks[1][0]} "
        f"under a {sun_name} sun on a {ground_name} ground."
    )
    return buffer.getvalue(), alt


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
            count = self.create_discussions(articles, members)
            seed_forums()
            # Everyone but the administrator reacts here and there, in the
            # articles' discussions and the forums alike.
            reactors = list(
                get_user_model().objects.filter(is_active=True, is_superuser=False)
            )
            add_reactions(Comment.objects.published(), reactors, seed=9)
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
        """The articles of articles/demo/, as (article, its data) pairs."""
        for position, section in enumerate(demo.sections()):
            Section.objects.get_or_create(
                slug=section["slug"],
                defaults={
                    "name": section["name"],
                    "description": section["description"],
                    "position": position,
                },
            )
        sections = {s.slug: s for s in Section.objects.all()}
        entries = demo.articles()
        tags = {
            name: Tag.objects.get_or_create(
                slug=slugify(name), defaults={"name": name}
            )[0]
            for entry in entries
            for name in entry["tags"]
        }
        staff = [user for role, user, _ in people if role in ("editor", "moderator")]
        now = timezone.now().replace(second=0, microsecond=0)
        articles = []
        for index, entry in enumerate(entries):
            days_ago = entry.get("days_ago")
            article = Article(
                title=entry["title"],
                slug=entry["slug"],
                summary=entry["summary"],
                body=entry["body"],
                section=sections[entry["section"]],
                is_lead=index == 0,
                status=Article.Status.DRAFT
                if days_ago is None
                else Article.Status.PUBLISHED,
                published_at=None
                if days_ago is None
                else now - timezone.timedelta(days=days_ago, hours=index),
            )
            data, alt = demo_picture(entry["slug"], entry["section"])
            article.image = ContentFile(data, name=f"{entry['slug'][:60]}.jpg")
            article.image_alt = alt
            article.image_credit = "Illustration: Kindred"
            if study := entry.get("study"):
                article.study_title = study["title"]
                article.study_journal = study["journal"]
                article.study_url = f"https://doi.org/{study['doi']}"
            article.save()
            article.discussion.opened_at = article.published_at
            article.discussion.save(update_fields=["opened_at"])
            article.tags.set([tags[name] for name in entry["tags"]])
            article.authors.set(staff[: 1 + index % 2])
            articles.append((article, entry))
        return articles

    def create_discussions(self, articles, members):
        """The written discussions, then the generated ones; return comments added."""
        people = {member.display_name: member for member in members}
        readers = [member for member in members if not member.is_staff]
        now = timezone.now()
        added = 0
        for article, entry in articles:
            if entry["discussion"]:
                added += add_written(
                    article.discussion,
                    entry["discussion"],
                    people,
                    seed=article.slug,
                    start=article.published_at,
                    now=now,
                )
        for article, entry in articles:
            if phrases := entry.get("long_discussion"):
                added += add_generated(
                    article.discussion,
                    phrases,
                    readers,
                    start=article.published_at,
                    now=now,
                )
        return added

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
