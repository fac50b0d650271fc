"""`/guidance/`: the public 智能导办 wizard, the printable 一次性告知单 and blank-form downloads."""

from django.urls import path

from zhengwu.portal import guidance_views as views

app_name = "guidance"
urlpatterns = [
    path("notice/<str:number>/", views.notice, name="notice"),
    path("<str:code>/", views.wizard, name="wizard"),
    path("<str:code>/notice/", views.notice_create, name="notice_create"),
    path(
        "<str:code>/materials/<int:material_id>/template/", views.material_template, name="material_template"
    ),
]
