from django.contrib import admin
from django.urls import include, path

from zhengwu.accounts import views as accounts_views

admin.site.site_header = "政务服务管理平台"
admin.site.site_title = "政务服务管理平台"
admin.site.index_title = "目录与组织维护"

urlpatterns = [
    path("", include("zhengwu.portal.urls")),
    path("guidance/", include("zhengwu.portal.guidance_urls")),
    path("", include("zhengwu.portal.bundle_urls")),
    path("workbench/guidance/", include("zhengwu.workbench.guidance_urls")),
    path("workbench/", include("zhengwu.workbench.urls")),
    path("accounts/", include("zhengwu.accounts.urls")),
    # The admin site signs in through the staff sign-in (lockout, second factor): zhengwu/accounts.
    path("admin/login/", accounts_views.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("api/", include("zhengwu.api.urls")),
]
