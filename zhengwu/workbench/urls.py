from django.contrib.auth import views as auth_views
from django.urls import path

from zhengwu.workbench import bundles, cases, dashboard, views

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
    # Cases (办件)
    path("cases/", cases.case_list, name="case_list"),
    path("cases/intake/", cases.case_intake, name="case_intake"),
    path("cases/<str:number>/", cases.case_detail, name="case_detail"),
    path("cases/<str:number>/materials/", cases.case_materials, name="case_materials"),
    path("cases/<str:number>/actions/<str:action>/", cases.case_action, name="case_action"),
    path("cases/<str:number>/clocks/<int:clock_id>/explain/", cases.clock_explain, name="clock_explain"),
    path("cases/<str:number>/files/<int:file_id>/", cases.case_file, name="case_file"),
    # 一件事
    path("bundles/", bundles.bundle_case_list, name="bundle_case_list"),
    path("bundles/<str:number>/", bundles.bundle_case_detail, name="bundle_case_detail"),
    path("bundles/<str:number>/actions/<str:action>/", bundles.bundle_case_action, name="bundle_case_action"),
    # Supervision (效能监督)
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/drill/", dashboard.drilldown, name="dashboard_drill"),
    path("dashboard/export.xlsx", dashboard.export, name="dashboard_export"),
    # The warning board (红黄牌)
    path("cards/", cases.card_board, name="card_board"),
    path("cards/<int:card_id>/respond/", cases.card_respond, name="card_respond"),
    path("cards/<int:card_id>/void/", cases.card_void, name="card_void"),
]
