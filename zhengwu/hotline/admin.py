"""12345 upkeep in the admin site: the 派单目录, the knowledge base and the centres.

Tickets are business records with callers' personal data: they are read and handled in the workbench
and the API only (scoped, with the confidentiality flag honoured), never in the admin site, which is for
configuration (`zhengwu.workbench.access` refuses the ticket admin pages to every account). The lists
are limited like the workbench: an agent sees the rules of their centre's regions; only a superuser or
the system administrator edits the centres.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from zhengwu.hotline.access import centre_paths, is_agent
from zhengwu.hotline.models import DispatchRule, HotlineCentre, KnowledgeArticle
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
