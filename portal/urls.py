from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, reverse_lazy

from news.sitemaps import SITEMAPS
from portal import two_factor, views
from portal.forms import LoginForm

account_patterns = (
    [
        path("", views.account_profile, name="profile"),
        path("chuyen-huong/", views.account_landing, name="landing"),
        path(
            "dang-nhap/",
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            ),
            name="login",
        ),
        path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
        path("xac-thuc/", two_factor.verify, name="otp_verify"),
        path("xac-thuc/thiet-lap/", two_factor.setup, name="otp_setup"),
        path("xac-thuc/ma-du-phong/", two_factor.recovery_codes, name="otp_recovery"),
        path(
            "doi-mat-khau/",
            auth_views.PasswordChangeView.as_view(
                success_url=reverse_lazy("accounts:password_change_done")
            ),
            name="password_change",
        ),
        path(
            "doi-mat-khau/xong/",
            auth_views.PasswordChangeDoneView.as_view(),
            name="password_change_done",
        ),
        path(
            "quen-mat-khau/",
            views.PasswordResetView.as_view(),
            name="password_reset",
        ),
        path(
            "quen-mat-khau/da-gui/",
            auth_views.PasswordResetDoneView.as_view(),
            name="password_reset_done",
        ),
        path(
            "dat-lai-mat-khau/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(
                success_url=reverse_lazy("accounts:password_reset_complete")
            ),
            name="password_reset_confirm",
        ),
        path(
            "dat-lai-mat-khau/xong/",
            auth_views.PasswordResetCompleteView.as_view(),
            name="password_reset_complete",
        ),
    ],
    "accounts",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("", include("news.urls")),
    path("can-bo/", include("unions.urls")),
    path("can-bo/nhap-du-lieu/", include("unions.urls_import")),
    path("", include("unions.urls_member")),
    path("can-bo/ho-tro/", include("welfare.urls_aid")),
    path("can-bo/bao-cao/", include("welfare.urls_reports")),
    path("can-bo/nhat-ky-truy-cap/", include("audit.urls")),
    path("", include("welfare.urls_requests")),
    path("", include("welfare.urls_campaigns")),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("favicon.ico", views.favicon),
    path("tai-khoan/", include(account_patterns)),
    path("ngon-ngu/<str:code>/", views.switch_language, name="switch_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    # In production nginx serves MEDIA_ROOT at /media/ (see README, "Running in production").
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "portal.views.server_error"
