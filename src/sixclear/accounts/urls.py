from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign_out"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("password/changed/", views.PasswordChangedView.as_view(), name="password_changed"),
    path("language/", views.change_language, name="language"),
    path("preferences/", views.preferences, name="preferences"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("second-factor/verify/", views.second_factor_verify, name="second_factor_verify"),
    path("second-factor/set-up/", views.second_factor_enrol, name="second_factor_enrol"),
    path("second-factor/recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("second-factor/recovery-codes.txt", views.recovery_codes_download,
         name="recovery_codes_download"),
    path("second-factor/recovery-codes/renew/", views.renew_recovery_codes,
         name="renew_recovery_codes"),
    path("second-factor/remove/", views.remove_second_factor, name="remove_second_factor"),
]
