"""The one check of a name shown beside what someone wrote: a member's display name
and a guest's name alike. Comments import it from here, so both refuse the same."""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Separators, control, format (zero-width, soft hyphen, direction marks), surrogate,
# private-use and unassigned characters, and marks that only change the letter
# before them: none of them shows anything by itself.
UNSEEN_CATEGORIES = {"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me", "Mc"}
# Letters and symbols that are drawn as blank space (Hangul fillers, blank Braille).
BLANK_GLYPHS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}


def can_be_seen(char):
    return char not in BLANK_GLYPHS and unicodedata.category(char) not in (
        UNSEEN_CATEGORIES
    )


def visible_name(value):
    """The name as it will be shown: control characters (a bell, an escape) dropped,
    since they never show and break feeds, and each run of spaces made one space.

    Refused when nothing in it can be seen (only spaces, zero-width or control
    characters, or marks with no letter), so nobody posts as a blank.
    """
    kept = "".join(
        char for char in value if char.isspace() or unicodedata.category(char) != "Cc"
    )
    name = " ".join(kept.split())
    if not any(can_be_seen(char) for char in name):
        raise ValidationError(
            _(
                "This name has nothing that others could see (only spaces or "
                "invisible characters). Please use letters, numbers or symbols."
            ),
            code="invisible",
        )
    return name
