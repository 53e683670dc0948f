"""Demo discussions from data: a written outline or a phrase book becomes rows for
comments.bulk.insert_thread. The words belong to the app that owns the pages (the
articles keep theirs in articles/demo/); this module knows only how threads are shaped.
"""

import random
import re
from datetime import timedelta

from django.db.models import F
from django.utils.text import slugify

from comments.bulk import insert_thread
from comments.models import Comment, Discussion, Reaction

LINE = re.compile(r"(?P<indent> *)(?P<name>[^:]+?)(?P<guest> \(guest\))?: (?P<text>.+)")


def add_written(discussion, outline, people, *, seed, start, now):
    """Add the comments of `outline` to `discussion`, spread in time between `start`
    and `now` (the same way for the same `seed`); return how many were added.

    `people` maps display names to the members who comment under them.
    """
    rows = parse_outline(outline, people)
    times = spread_times(random.Random(seed), len(rows), start, now)
    for row, created_at in zip(rows, times, strict=True):
        row["created_at"] = created_at
    return len(insert_thread(discussion, rows))


def add_generated(discussion, phrases, members, *, start, now):
    """Add a discussion generated from `phrases`; return how many comments it has."""
    return len(insert_thread(discussion, generated_rows(phrases, members, start, now)))


def parse_outline(outline, people):
    """Rows for insert_thread from indented "Name: text" lines (see articles/demo/)."""
    rows, ancestors = [], []
    for line in filter(str.strip, outline.splitlines()):
        match = LINE.fullmatch(line)
        if match is None:
            raise ValueError(f'Not a "Name: text" comment: {line!r}')
        depth = len(match["indent"]) // 2
        if depth > len(ancestors):
            raise ValueError(f"Reply without a parent: {line!r}")
        del ancestors[depth:]
        name = match["name"]
        if match["guest"]:
            who = guest(name)
        elif name in people:
            who = {"author": people[name]}
        else:
            raise ValueError(f"{name} is not a member; mark a guest with (guest).")
        parent = ancestors[-1] if ancestors else None
        rows.append({"reply_to": parent, "body": match["text"], **who})
        ancestors.append(len(rows) - 1)
    return rows


def generated_rows(phrases, members, start, now):
    """A deterministic discussion of phrases["comments"] comments, built from the
    phrase book's `top` and `reply` openers, points and closings. Replies go mostly to
    recent comments, which builds long chains, at most phrases["max_depth"] deep."""
    rng = random.Random(phrases["seed"])
    size = phrases["comments"]
    times = spread_times(rng, size, start, now)
    rows, depths, names, seen = [], [], [], set()
    for index in range(size):
        parent = pick_parent(
            rng, index, depths, chance=0.75, window=12, max_depth=phrases["max_depth"]
        )
        parent_name = names[parent] if parent is not None else None
        who, name = _someone(rng, members, phrases["guests"], avoid=parent_name)
        while (body := _sentence(rng, phrases, parent_name)) in seen:
            pass
        seen.add(body)
        depths.append(depths[parent] + 1 if parent is not None else 0)
        names.append(name)
        rows.append(
            {"reply_to": parent, "body": body, "created_at": times[index], **who}
        )
    return rows


def pick_parent(rng, index, depths, *, chance, window, max_depth):
    """The index of the comment that comment `index` answers, or None for a new
    thread: with probability `chance`, one of the `window` comments just before it,
    unless that one is already `max_depth` deep (`depths` holds the depths so far)."""
    if not index or rng.random() >= chance:
        return None
    parent = rng.randrange(max(0, index - window), index)
    return None if depths[parent] >= max_depth else parent


def guest(name):
    email = f"{slugify(name.split()[-1])}@guest.kindred.example"
    return {"guest_name": name, "guest_email": email}


def spread_times(rng, count, start, now):
    """`count` ascending times after `start`, most of them in the first days, as a
    story's discussion goes; a reply always comes after what it answers."""
    span = min(now - start, timedelta(days=6))
    offsets = sorted(rng.random() ** 2 for _ in range(count))
    return [start + span * (0.002 + 0.996 * offset) for offset in offsets]


def _sentence(rng, phrases, parent_name):
    top, reply = phrases["top"], phrases["reply"]
    if parent_name is None:
        parts = [rng.choice(top["openers"]), rng.choice(top["points"])]
        parts.append(rng.choice(top["closings"]))
    elif rng.random() < 0.15:
        parts = [rng.choice(reply["alone"]).format(name=parent_name)]
    else:
        opener = rng.choice(reply["openers"]).format(name=parent_name)
        parts = [opener, rng.choice(reply["points"]), rng.choice(reply["closings"])]
    return " ".join(filter(None, parts))


def _someone(rng, members, guests, avoid):
    """A member or a guest other than `avoid` (nobody replies to themselves)."""
    while True:
        if rng.random() < 0.35:
            name = rng.choice(guests)
            who = guest(name)
        else:
            member = rng.choice(members)
            who, name = {"author": member}, member.display_name.split()[0]
        if name != avoid:
            return who, name


# How often each reaction is left in the demo: support first, "Helpful" often
# enough that "Most helpful" has something to sort.
DEMO_REACTIONS = {"thinking": 3, "thanks": 3, "same": 2, "helpful": 3}


def add_reactions(comments, members, *, seed, share=0.35, most=5):
    """Reactions from `members` on about `share` of `comments` (up to `most`
    each, never from the comment's author), the same for the same `seed`; the
    comments' counts are set and their discussions' cached pages dropped.
    Returns how many were left."""
    rng = random.Random(seed)
    kinds, weights = list(DEMO_REACTIONS), list(DEMO_REACTIONS.values())
    rows, counts = [], {}
    for comment in comments.order_by("pk").only("pk", "author_id", "discussion_id"):
        if rng.random() >= share:
            continue
        others = [member for member in members if member.pk != comment.author_id]
        for member in rng.sample(others, rng.randint(1, min(most, len(others)))):
            kind = rng.choices(kinds, weights)[0]
            rows.append(Reaction(comment_id=comment.pk, member=member, kind=kind))
            tally = counts.setdefault((comment.pk, comment.discussion_id), {})
            tally[kind] = tally.get(kind, 0) + 1
    Reaction.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    for (pk, _discussion), tally in counts.items():
        ordered = {kind: tally[kind] for kind in Reaction.Kind.values if kind in tally}
        Comment.objects.filter(pk=pk).update(reaction_counts=ordered)
    touched = {discussion for _pk, discussion in counts}
    Discussion.objects.filter(pk__in=touched).update(version=F("version") + 1)
    return len(rows)
