"""Signals of the cases app.

- Receivers here: re-project open clocks when the working-day calendar changes (DOMAIN §3.4).
- Sent from here: `case_transitioned(case, action, old_status, new_status, now, actor)` after every
  status change, and `card_changed(card, delta)` when a card is issued (+1) or voided (−1), inside the
  change's transaction. Apps that hang off cases (bundles, metrics) listen to it
  instead of the cases app knowing them; a receiver with side effects defers them with
  `transaction.on_commit`, so a failing receiver never undoes the transition.
"""

from __future__ import annotations

from django.dispatch import Signal

from zhengwu.common import clock

case_transitioned = Signal()
card_changed = Signal()


def reproject_on_calendar_change(sender, edit, **kwargs) -> None:
    from zhengwu.cases.services import clocks_reproject

    clocks_reproject(now=clock.now(), edit_id=edit.pk)
