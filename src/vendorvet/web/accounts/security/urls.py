"""Included into the accounts URL namespace (``accounts:…``)."""

from django.urls import path

from vendorvet.web.accounts.security import passwords, views

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/sessions/<int:pk>/end/", views.SessionEndView.as_view(), name="session_end"),
    path("account/sessions/end-others/", views.SessionsEndOthersView.as_view(), name="sessions_end_others"),
    path("password/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password/reset/done/", passwords.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password/reset/<uidb64>/<token>/", passwords.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("lockouts/", views.LockoutView.as_view(), name="lockouts"),
    path("invitations/", views.InvitationCreateView.as_view(), name="invitation_create"),
    path("invitations/<int:pk>/withdraw/", views.InvitationWithdrawView.as_view(), name="invitation_withdraw"),
    path("invite/<str:token>/", views.InvitationAcceptView.as_view(), name="invitation_accept"),
]
