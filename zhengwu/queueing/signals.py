"""Signals of the queue.

- `ticket_finished(ticket, now)` is sent inside `ticket_finish`'s transaction. Apps that hang off the
  queue listen to it instead of the queue knowing them: appointments mark the booking that issued the
  ticket as served.
"""

from __future__ import annotations

from django.dispatch import Signal

ticket_finished = Signal()
