from django.contrib.auth import views as auth_views
from django.urls import path

from zhengwu.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("items/", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    path("items/<str:code>/actions/<str:action>/", views.item_action, name="item_action"),
    path("catalog/transfer/", views.catalog_transfer, name="catalog_transfer"),
    path("catalog/export.xlsx", views.catalog_export, name="catalog_export"),
]
