"""`/api/`: the OpenAPI schema, its Chinese docs page and version 1 of the REST interface."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from zhengwu.api import assessment, bundles, cases, guidance, metrics, pii, tokens, views

app_name = "api"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs_page, name="docs"),
    path("v1/auth/token/", tokens.TokenView.as_view(), name="token"),
    path("v1/auth/tokens/", tokens.TokenListView.as_view(), name="token_list"),
    path("v1/auth/tokens/<int:token_id>/", tokens.TokenRevokeView.as_view(), name="token_revoke"),
    path("v1/regions/", views.RegionListView.as_view(), name="region_list"),
    path("v1/regions/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("v1/departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("v1/items/", views.ItemListView.as_view(), name="item_list"),
    path("v1/items/<str:code>/", views.ItemDetailView.as_view(), name="item_detail"),
    path("v1/items/<str:code>/guidance/", guidance.ItemGuidanceView.as_view(), name="item_guidance"),
    path("v1/bundles/", bundles.BundleListView.as_view(), name="bundle_list"),
    path("v1/bundles/<str:code>/", bundles.BundleDetailView.as_view(), name="bundle_detail"),
    path("v1/bundles/<str:code>/guidance/", bundles.BundleGuidanceView.as_view(), name="bundle_guidance"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/staff/items/", views.StaffItemListView.as_view(), name="staff_item_list"),
    path("v1/staff/items/<str:code>/", views.StaffItemDetailView.as_view(), name="staff_item_detail"),
    # Cases (办件)
    path("v1/cases/", cases.CaseListView.as_view(), name="case_list"),
    path("v1/cases/<str:number>/", cases.CaseDetailView.as_view(), name="case_detail"),
    path("v1/cases/<str:number>/timeline/", cases.CaseTimelineView.as_view(), name="case_timeline"),
    path("v1/cases/<str:number>/pii/reveal/", pii.CasePiiRevealView.as_view(), name="case_pii_reveal"),
    path(
        "v1/cases/<str:number>/clocks/<str:kind>/explain/",
        cases.ClockExplainView.as_view(),
        name="case_clock_explain",
    ),
    path(
        "v1/cases/<str:number>/materials/<int:material_id>/files/",
        cases.MaterialFileUploadView.as_view(),
        name="case_file_upload",
    ),
    path(
        "v1/cases/<str:number>/files/<int:file_id>/",
        cases.MaterialFileDownloadView.as_view(),
        name="case_file_download",
    ),
    # One operation per transition; an action that is not in the table falls through to a 404.
    *(
        path(f"v1/cases/<str:number>/actions/{action}/", view.as_view(), name=f"case_action_{action}")
        for action, view in cases.ACTION_VIEWS.items()
    ),
    path("v1/cards/", cases.CardListView.as_view(), name="card_list"),
    path("v1/progress/", cases.ProgressView.as_view(), name="case_progress"),
    path(
        "v1/certificates/verify/<str:code>/", cases.CertificateVerifyView.as_view(), name="certificate_verify"
    ),
    # Supervision metrics (效能指标)
    path("v1/metrics/", metrics.MetricTableView.as_view(), name="metric_table"),
    path("v1/metrics/definitions/", metrics.MetricDefinitionsView.as_view(), name="metric_definitions"),
    # 好差评 (reviews) — zhengwu/reviews
    path("", ("zhengwu.api.reviews", None, None)),  # urlpatterns live in that module
    # 12345 (hotline) — zhengwu/hotline
    path("", ("zhengwu.api.hotline", None, None)),  # urlpatterns live in that module
    path("", ("zhengwu.api.open311", None, None)),  # Open311 GeoReport v2 read endpoints
    path("", ("zhengwu.api.budget", None, None)),
    # 取号叫号 (hall queue) — zhengwu/queueing
    path("", ("zhengwu.api.queueing", None, None)),  # urlpatterns live in that module
    # 预约 (appointments) — zhengwu/appointments
    path("", ("zhengwu.api.appointments", None, None)),  # urlpatterns live in that module
    # Assessment (考核)
    path("v1/assessment/schemes/", assessment.SchemeListView.as_view(), name="assessment_scheme_list"),
    path(
        "v1/assessment/schemes/<str:code>/",
        assessment.SchemeDetailView.as_view(),
        name="assessment_scheme_detail",
    ),
    path(
        "v1/assessment/evaluations/", assessment.EvaluationRunView.as_view(), name="assessment_evaluation_run"
    ),
    path(
        "v1/assessment/evaluations/<int:id>/",
        assessment.EvaluationDetailView.as_view(),
        name="assessment_evaluation_detail",
    ),
    path(
        "v1/assessment/evaluations/<int:id>/publish/",
        assessment.EvaluationPublishView.as_view(),
        name="assessment_evaluation_publish",
    ),
    re_path(r"^[\s\S]*$", views.not_found, name="not_found"),  # [\s\S]: a "%0A" in the path matches too
]
