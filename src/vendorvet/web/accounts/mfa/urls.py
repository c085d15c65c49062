from django.urls import path

from vendorvet.web.accounts.mfa import views

app_name = "mfa"
urlpatterns = [
    path("", views.ManageView.as_view(), name="manage"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("verify/passkey/options/", views.PasskeyLoginOptionsView.as_view(), name="passkey_login_options"),
    path("verify/passkey/", views.PasskeyLoginView.as_view(), name="passkey_login"),
    path("totp/add/", views.TotpAddView.as_view(), name="totp_add"),
    path("passkeys/add/", views.PasskeyAddView.as_view(), name="passkey_add"),
    path("passkeys/add/options/", views.PasskeyRegisterOptionsView.as_view(), name="passkey_register_options"),
    path("passkeys/add/finish/", views.PasskeyRegisterView.as_view(), name="passkey_register"),
    path("recovery-codes/", views.RecoveryCodesView.as_view(), name="recovery_codes"),
    path("totp/<int:pk>/remove/", views.RemoveView.as_view(), {"kind": "totp"}, name="totp_remove"),
    path("passkeys/<int:pk>/remove/", views.RemoveView.as_view(), {"kind": "passkey"}, name="passkey_remove"),
    path("policy/", views.TenantPolicyView.as_view(), name="policy"),
]
