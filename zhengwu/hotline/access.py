"""Who is who for a ticket: the 12345 centre (agents, dispatchers) and the handling unit.

An agent is a staff member of the department that runs the centre of the ticket's region or of a
region above it (`HotlineCentre`); the handling unit is anybody whose department scope covers the
department the ticket is dispatched to. A superuser or the system administrator is both.
"""

from __future__ import annotations

from django.db.models import Q

from zhengwu.hotline.models import HotlineCentre, Ticket
from zhengwu.organization.models import Department
from zhengwu.organization.selectors import department_scope_q, sees_everything


def centre_paths(user) -> list[str]:
    """Region paths of the centres the user works at (cached on the user object)."""
    cached = getattr(user, "_hotline_centre_paths", None)
    if cached is None:
        cached = []
        if user.is_authenticated and not user.applicant_id and user.department_id:
            cached = list(
                HotlineCentre.objects.filter(department_id=user.department_id).values_list(
                    "region__path", flat=True
                )
            )
        user._hotline_centre_paths = cached
    return cached


def is_agent(user) -> bool:
    return sees_everything(user) or bool(centre_paths(user))


def centre_q(user, *, prefix: str = "") -> Q:
    """Tickets (reached through `prefix`) of the regions of the user's centres."""
    if sees_everything(user):
        return Q()
    q = Q(pk__in=[])
    for path in centre_paths(user):
        q |= Q(**{f"{prefix}region__path__startswith": path})
    return q


def unit_q(user, *, prefix: str = "") -> Q:
    """Tickets dispatched to a department in the user's scope (never those only received)."""
    if not user.is_authenticated or user.applicant_id:
        return Q(pk__in=[])
    if sees_everything(user):
        return Q(**{f"{prefix}department__isnull": False})
    return department_scope_q(user, prefix=f"{prefix}department__") & Q(
        **{f"{prefix}department__isnull": False}
    )


def acts_for_centre(user, ticket: Ticket) -> bool:
    if sees_everything(user):
        return True
    return any(ticket.region.path.startswith(path) for path in centre_paths(user))


def acts_for_unit(user, ticket: Ticket) -> bool:
    if ticket.department_id is None or not user.is_authenticated or user.applicant_id:
        return False
    if sees_everything(user):
        return True
    return Department.objects.filter(department_scope_q(user), pk=ticket.department_id).exists()
