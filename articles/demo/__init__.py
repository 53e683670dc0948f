"""The demo site's articles: one Markdown file each in this folder, read by seed_demo.

A file is TOML front matter between two `+++` lines, then the article's Markdown body,
then optionally its discussion after a `+++ discussion` line. The front matter holds
`title`, `slug`, `section` (a slug from sections.toml), `tags` (names), `summary`,
`days_ago` (published that many days before seeding; negative schedules the article;
left out, it stays a draft), a `[study]` table (`title`, `journal`, `doi`) and, for a
discussion generated at scale rather than written, a `[long_discussion]` phrase book
(see comments.demo.generated_rows). A discussion is written one comment per line,
"Name: text", indented two spaces per level of reply; "Name (guest): text" is a guest.

The files sort in publishing order and the first is the lead article. The studies,
drugs and journals are invented; the DOIs use the 10.5555 test prefix.
"""

import re

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib
from pathlib import Path

FOLDER = Path(__file__).parent
FENCE = re.compile(r"^\+\+\+\n", re.MULTILINE)
DISCUSSION = "\n+++ discussion\n"


def sections():
    """The sections as dicts of name, slug and description, in menu order."""
    return tomllib.loads((FOLDER / "sections.toml").read_text("utf-8"))["sections"]


def articles():
    """Every article file as a dict: its front matter, `body` and `discussion`."""
    return [read(path) for path in sorted(FOLDER.glob("*.md"))]


def read(path):
    text = path.read_text("utf-8")
    if not text.startswith("+++\n"):
        raise ValueError(f"{path.name}: the file must open with +++ front matter.")
    _, front, rest = FENCE.split(text, maxsplit=2)
    body, _, discussion = rest.partition(DISCUSSION)
    try:
        fields = tomllib.loads(front)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{path.name}: {error}") from error
    return {**fields, "body": body.strip("\n"), "discussion": discussion.strip("\n")}
