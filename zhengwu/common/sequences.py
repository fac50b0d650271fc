"""Daily numbering (办件编号, 告知单号, 一件事编号): one counter row per prefix and day.

The row is created if missing, then incremented with one `UPDATE … SET last = last + 1`, which locks
it until the surrounding transaction commits; callers take the number as late as they can.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Model


def next_in_sequence(model: type[Model], *, prefix: str, day: dt.date) -> int:
    """The next value of `model`'s (prefix, day) counter; `model` has fields prefix, day, last."""
    model.objects.get_or_create(prefix=prefix, day=day)
    model.objects.filter(prefix=prefix, day=day).update(last=F("last") + 1)
    return model.objects.values_list("last", flat=True).get(prefix=prefix, day=day)
