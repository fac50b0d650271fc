from django.contrib.auth import views as auth_views
from django.urls import path

from zhengwu.accounts import views as accounts_views
from zhengwu.workbench import assessment, bundles, cases, dashboard, hall_board, pii, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", accounts_views.StaffLoginView.as_view(), name="login"),
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
    path("cases/<str:number>/pii/reveal/", pii.case_pii_reveal, name="case_pii_reveal"),
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
    # 大厅运行 (hall managers) — zhengwu/hall_figures
    path("hall/", hall_board.board, name="hall_board"),
    path("hall/export.xlsx", hall_board.export, name="hall_board_export"),
    # Assessment (考核)
    path("assessment/", assessment.home, name="assessment_home"),
    path("assessment/run/", assessment.run, name="assessment_run"),
    path("assessment/schemes/", assessment.scheme_list, name="assessment_schemes"),
    path("assessment/schemes/<str:code>/", assessment.scheme_detail, name="assessment_scheme_detail"),
    path("assessment/evaluations/<int:pk>/", assessment.evaluation_detail, name="assessment_evaluation"),
    path("assessment/evaluations/<int:pk>/print/", assessment.evaluation_print, name="assessment_print"),
    path(
        "assessment/evaluations/<int:pk>/publish/", assessment.evaluation_publish, name="assessment_publish"
    ),
    path("assessment/evaluations/<int:pk>/rerun/", assessment.evaluation_rerun, name="assessment_rerun"),
    path(
        "assessment/evaluations/<int:pk>/scoresheet.xlsx",
        assessment.evaluation_scoresheet,
        name="assessment_scoresheet",
    ),
    path("assessment/entries/", assessment.entry_list, name="assessment_entries"),
    path("assessment/entries/<int:pk>/review/", assessment.entry_review, name="assessment_entry_review"),
    path("assessment/evidence/<int:file_id>/", assessment.evidence_file, name="assessment_evidence"),
    # 好差评 (reviews) — zhengwu/reviews
    path("reviews/", ("zhengwu.workbench.reviews", None, None)),  # urlpatterns live in that module
    # 12345 (hotline) — zhengwu/hotline
    path("hotline/", ("zhengwu.workbench.hotline", None, None)),  # urlpatterns live in that module
    path("budget/", ("zhengwu.workbench.budget", None, None)),
    # 取号叫号 (hall queue) — zhengwu/queueing
    path("queue/", ("zhengwu.workbench.queue", None, None)),  # urlpatterns live in that module
    # 预约 (appointments) — zhengwu/appointments
    path("appointments/", ("zhengwu.workbench.appointments", None, None)),  # urlpatterns live in that module
    # 审计日志 (audit administrator only) — zhengwu/audit
    path("audit/", ("zhengwu.workbench.audit", None, None)),  # urlpatterns live in that module
    # The warning board (红黄牌)
    path("cards/", cases.card_board, name="card_board"),
    path("cards/<int:card_id>/respond/", cases.card_respond, name="card_respond"),
    path("cards/<int:card_id>/void/", cases.card_void, name="card_void"),
]
