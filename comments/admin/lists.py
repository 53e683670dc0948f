"""Admin lists that answer bad filter values with the admin's "invalid filter"
page instead of a server error."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError


class CheckedChangeList(ChangeList):
    def get_filters_params(self, params=None):
        found = super().get_filters_params(params)
        # PostgreSQL cannot hold a NUL in text: refuse it before any query.
        for key, values in found.items():
            if "\x00" in key or any("\x00" in str(value) for value in values):
                raise IncorrectLookupParameters(f"NUL in {key!r}")
        return found

    def get_filters(self, request):
        # A date_hierarchy year past 9999 overflows Python's dates, a bad id or
        # date in a filter fails to convert: all of them are bad filters.
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError, ValidationError) as error:
            raise IncorrectLookupParameters(error) from error


class CheckedListAdmin(admin.ModelAdmin):
    """A list that refuses bad filters, and whose editable cells are named."""

    def get_changelist(self, request, **kwargs):
        return CheckedChangeList

    def get_changelist_form(self, request, **kwargs):
        return labelled(super().get_changelist_form(request, **kwargs))


def labelled(form_class):
    """The admin's editable list cells have no <label>: a screen reader or speech
    input user hears "edit text" for every row. Name each one after its column
    and its row ("Position: Research")."""

    class Labelled(form_class):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                name = f"{field.label}: {self.instance}"
                field.widget.attrs.setdefault("aria-label", name)

    return Labelled
