"""`/api/`: the OpenAPI schema, its Chinese docs page and version 1 of the REST interface."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from zhengwu.api import views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs_page, name="docs"),
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/regions/", views.RegionListView.as_view(), name="region_list"),
    path("v1/regions/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("v1/departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("v1/items/", views.ItemListView.as_view(), name="item_list"),
    path("v1/items/<str:code>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/staff/items/", views.StaffItemListView.as_view(), name="staff_item_list"),
    path("v1/staff/items/<str:code>/", views.StaffItemDetailView.as_view(), name="staff_item_detail"),
    re_path(r"^.*$", views.not_found, name="not_found"),
]
