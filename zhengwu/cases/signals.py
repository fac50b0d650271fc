"""Re-project open clocks when the working-day calendar changes (DOMAIN §3.4)."""

from __future__ import annotations

from zhengwu.common import clock


def reproject_on_calendar_change(sender, edit, **kwargs) -> None:
    from zhengwu.cases.services import clocks_reproject

    clocks_reproject(now=clock.now(), edit_id=edit.pk)
