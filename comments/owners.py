"""The pages that own discussions, and what each lets a reader do there.

The comments engine knows no kind of page by name. Each kind (an article now, a
forum topic next) joins the registry from its app's ready(), in the spirit of
django-contrib-comments' moderator registry:

    registry.register(Article, ArticleOwner)

The owner answers for its own pages: which of them a person may see, whether
they may write on one, and the page of a discussion. Every comments view asks
through one scope built from these answers (Discussion.objects.visible_to(),
Comment.objects.visible_to()), so a page that a reader may not open is not
found at any comments URL either.
"""

from django.db.models import Q


class Owner:
    """What one kind of page says about its discussions. Subclass per model.

    `related_name` is the name under which a Discussion reaches its page (the
    related_name of the page's one-to-one field to Discussion).
    """

    related_name = ""

    def __init__(self, model):
        self.model = model

    def visible_to(self, user):
        """The pages of this kind that `user` may open (a queryset)."""
        raise NotImplementedError

    def may_write(self, page, user):
        """Whether `user` may add to this page's discussion, closing aside
        (the discussion's own is_open is checked by comments.posting)."""
        raise NotImplementedError

    def takes_replies(self, page):
        """Whether the page takes replies at all, from anyone who may write: the
        thread, cached for every reader, then shows Reply links."""
        return self.may_write(page, None)


class Registry:
    def __init__(self):
        self._owners = {}

    def register(self, model, owner_class):
        if model in self._owners:
            raise ValueError(f"{model.__name__} already owns discussions")
        self._owners[model] = owner_class(model)

    def unregister(self, model):
        del self._owners[model]

    def related_names(self):
        """For select_related("discussion__<name>") and the like."""
        return [owner.related_name for owner in self._owners.values()]

    def visible(self, user, through=""):
        """A filter for discussions (or rows `through` a discussion: "discussion__")
        whose page `user` may open: one subquery per kind of page, no query here."""
        allowed = Q(pk__in=[])
        for owner in self._owners.values():
            lookup = f"{through}{owner.related_name}__in"
            allowed |= Q(**{lookup: owner.visible_to(user)})
        return allowed

    def owner_of(self, discussion):
        """(page, its Owner) for a discussion; LookupError if no page has it.

        A page already loaded with its discussion (the article or topic page
        fetched it) answers first, so asking costs no query there."""
        owners = sorted(
            self._owners.values(),
            key=lambda owner: (
                not discussion._meta.get_field(owner.related_name).is_cached(discussion)
            ),
        )
        for owner in owners:
            page = getattr(discussion, owner.related_name, None)
            if page is not None:
                return page, owner
        raise LookupError(f"Discussion {discussion.pk} belongs to no page")

    def _ask(self, discussion, question, *args):
        """The page's answer to `question`. A discussion that no page owns is on
        no URL (visible() never lets a view reach it); code that fills it
        directly, as an import or a test does, is not stopped here."""
        try:
            page, owner = self.owner_of(discussion)
        except LookupError:
            return True
        return getattr(owner, question)(page, *args)

    def may_write(self, discussion, user):
        return self._ask(discussion, "may_write", user)

    def takes_replies(self, discussion):
        return self._ask(discussion, "takes_replies")


registry = Registry()
