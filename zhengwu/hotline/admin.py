"""12345 upkeep in the admin site: the 派单目录, the knowledge base and the centres; tickets read-only.

Tickets and their journal are never edited here: every change is a service call from the workbench
or the API. The lists are limited like the workbench: an agent sees the rules and tickets of their
centre's regions; only a superuser or the system administrator edits the centres.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from zhengwu.hotline.access import centre_paths, centre_q, is_agent, unit_q
from zhengwu.hotline.models import DispatchRule, HotlineCentre, KnowledgeArticle, Ticket, TicketEvent
from zhengwu.organization.selectors import sees_everything


def _region_q(user, prefix: str = "region__") -> Q:
    if sees_everything(user):
        return Q()
    q = Q(pk__in=[])
    for path in centre_paths(user):
        q |= Q(**{f"{prefix}path__startswith": path})
    return q


class AgentAdmin(admin.ModelAdmin):
    """Open to the 12345 centre's staff (and the system administrator)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and is_agent(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)


@admin.register(HotlineCentre)
class HotlineCentreAdmin(AgentAdmin):
    list_display = ("region", "department", "updated_at")
    list_select_related = ("region", "department")
    raw_id_fields = ("region", "department")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(_region_q(request.user))

    def _admin(self, request) -> bool:
        return sees_everything(request.user)

    def has_add_permission(self, request):
        return self._admin(request)

    def has_change_permission(self, request, obj=None):
        return self._admin(request)

    def has_delete_permission(self, request, obj=None):
        return self._admin(request)


@admin.register(DispatchRule)
class DispatchRuleAdmin(AgentAdmin):
    list_display = ("topic", "region", "department", "keywords", "basis")
    list_filter = ("topic",)
    search_fields = ("topic", "keywords", "department__name")
    list_select_related = ("region", "department")
    raw_id_fields = ("region", "department")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(_region_q(request.user))


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(AgentAdmin):
    list_display = ("title", "keywords", "department", "item", "is_published", "updated_at")
    list_filter = ("is_published",)
    search_fields = ("title", "keywords", "answer")
    list_select_related = ("department", "item")
    raw_id_fields = ("department", "item")


class TicketEventInline(admin.TabularInline):
    model = TicketEvent
    verbose_name_plural = "办理记录（只读）"
    fields = ("at", "action", "actor_name", "department", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def has_view_permission(self, request, obj=None):
        return True  # shown only inside a ticket the user may view

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    """Read-only: the journal shows what happened; changes go through the workbench."""

    list_display = ("number", "title", "category", "status", "region", "department", "received_at")
    list_filter = ("status", "category", "channel", "urgency")
    search_fields = ("number", "title", "topic")
    list_select_related = ("region", "department")
    date_hierarchy = "received_at"
    inlines = (TicketEventInline,)
    exclude = ("caller_name", "caller_phone")  # the caller is shown, scoped, in the workbench only

    def get_queryset(self, request):
        return super().get_queryset(request).filter(centre_q(request.user) | unit_q(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name not in self.exclude]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff and not request.user.applicant_id

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
