"""`calendar_changed` is sent after a calendar edit commits, so that apps owning clocks re-project them
(DOMAIN §3.4) without the calendar app knowing them. `edit` is the CalendarEdit row."""

from django.dispatch import Signal

calendar_changed = Signal()
