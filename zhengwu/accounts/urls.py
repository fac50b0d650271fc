from django.urls import path

from zhengwu.accounts import grants, views

app_name = "accounts"
urlpatterns = [
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/reset/", views.mfa_reset, name="mfa_reset"),
    path("password/change/", views.password_change, name="password_change"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/<int:user_id>/end/", views.session_end, name="session_end"),
    path("grants/", grants.grant_list, name="grant_list"),
    path("grants/<int:user_id>/", grants.grant_edit, name="grant_edit"),
]
