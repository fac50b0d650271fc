"""一件事 pages: `/bundles/…` (public) and `/my/bundles/<number>/` (the citizen's bundle case)."""

from django.urls import path

from zhengwu.portal import bundle_views as views

app_name = "bundles"
urlpatterns = [
    path("bundles/", views.bundle_index, name="list"),
    path("bundles/<str:code>/", views.bundle_wizard, name="wizard"),
    path("bundles/<str:code>/notice/", views.bundle_notice, name="notice"),
    path("bundles/<str:code>/apply/", views.bundle_apply, name="apply"),
    path("my/bundles/<str:number>/", views.my_bundle_case, name="my_bundle_case"),
]
