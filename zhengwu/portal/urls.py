from django.urls import path

from zhengwu.portal import account_views, case_views, public_views, views

app_name = "portal"
urlpatterns = [
    path("", views.item_list, name="item_list"),
    path("items/<str:code>/", views.item_detail, name="item_detail"),
    # citizen accounts (staff sign in at the workbench)
    path("account/register/", account_views.register, name="register"),
    path("account/login/", account_views.LoginView.as_view(), name="login"),
    path("account/logout/", account_views.LogoutView.as_view(), name="logout"),
    # applying online and following one's own cases
    path("apply/<str:code>/", case_views.apply, name="apply"),
    path("my/cases/", case_views.my_cases, name="my_cases"),
    path("my/cases/<str:number>/", case_views.case_detail, name="case_detail"),
    path("my/cases/<str:number>/draft/", case_views.case_draft, name="case_draft"),
    path("my/cases/<str:number>/supplement/", case_views.case_supplement, name="case_supplement"),
    path("my/cases/<str:number>/withdraw/", case_views.case_withdraw, name="case_withdraw"),
    path("my/cases/<str:number>/files/<int:file_id>/", case_views.case_file, name="case_file"),
    path("my/certificates/", case_views.my_certificates, name="my_certificates"),
    path("my/certificates/<str:number>/", case_views.certificate_detail, name="certificate_detail"),
    # 好差评 (reviews) — zhengwu/reviews
    path("", ("zhengwu.portal.review_views", None, None)),  # urlpatterns live in that module
    # 12345 (hotline) — zhengwu/hotline
    path("", ("zhengwu.portal.hotline_views", None, None)),  # urlpatterns live in that module
    # 取号叫号 (hall queue) — zhengwu/queueing
    path("", ("zhengwu.portal.queue_views", None, None)),  # urlpatterns live in that module
    # 预约 (appointments) — zhengwu/appointments
    path("", ("zhengwu.portal.appointment_views", None, None)),  # urlpatterns live in that module
    # public, no sign-in
    path("progress/", public_views.progress, name="progress"),
    path("verify/", public_views.verify, name="verify"),
    path("verify/<str:code>/", public_views.verify, name="verify_code"),
]
