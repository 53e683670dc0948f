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
    def get_changelist(self, request, **kwargs):
        return CheckedChangeList
