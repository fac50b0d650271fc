"""SelectorFilterSet: a FilterSet that only validates the query string and hands the cleaned values
to a selector, which owns the query, the `select_related` and the caller's data scope.

The same class serves an API list (through `DjangoFilterBackend`, which turns invalid input into a
400 in the {"code", "message", "fields"} format) and a template view::

    filterset = StaffItemFilter(request.GET or None, request=request)
    page = Paginator(filterset.qs, 30).get_page(request.GET.get("page"))
    errors = filterset.errors_in_chinese()
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet


class SelectorFilterSet(django_filters.FilterSet):
    """Unbound (no query string): the selector's full list. Invalid: an empty list, and `errors`.

    The queryset passed in (DRF passes the view's) is ignored: the selector decides.
    """

    def select(self, data: dict[str, Any]) -> QuerySet:
        raise NotImplementedError

    @property
    def qs(self) -> QuerySet:
        if not hasattr(self, "_qs"):
            if not self.is_bound:
                self._qs = self.select({})
            elif not self.is_valid():
                self._qs = self.select({}).none()
            else:
                self._qs = self.select(self.form.cleaned_data)
        return self._qs

    def errors_in_chinese(self) -> dict[str, list[str]]:
        if not self.is_bound or self.is_valid():
            return {}
        return {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}
