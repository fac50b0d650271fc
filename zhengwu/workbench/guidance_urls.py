"""`/workbench/guidance/`: the 智能导办 wizard and notices for window staff (login and staff required)."""

from django.urls import path

from zhengwu.workbench import guidance as views

app_name = "workbench_guidance"
urlpatterns = [
    path("notice/<str:number>/", views.notice, name="notice"),
    path("<str:code>/", views.wizard, name="wizard"),
    path("<str:code>/notice/", views.notice_create, name="notice_create"),
]
