"""What a member's profile lists besides their comments, without accounts
importing the apps that keep it: each app whose pages a member starts registers
a ProfileList from its AppConfig.ready() (the forums: the member's topics).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProfileList:
    """`items(person, user)`: what `user` may see of what `person` started,
    newest first (a queryset); `template` shows one page of it (`page_obj`,
    `person`); `name` is its anchor and its page parameter (NAME_page)."""

    name: str
    items: Callable
    template: str


LISTS: list[ProfileList] = []


def register(profile_list):
    if all(known.name != profile_list.name for known in LISTS):
        LISTS.append(profile_list)
