from django.urls import path

from zhengwu.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
]
