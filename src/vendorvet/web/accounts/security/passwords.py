"""Change your own password; reset it by e-mail; the forced change after an administrator set it.

The reset form answers the same for known and unknown addresses, and sends the mail in the background so the
answer also takes the same time.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash, views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.mail import EmailMultiAlternatives
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts.security import sessions
from vendorvet.web.accounts.security.lockout import unlock_username
from vendorvet.web.accounts.security.models import AccountState

log = logging.getLogger(__name__)


def base_url(request) -> str:
    """Where links in e-mails point: VENDORVET_BASE_URL, else the address this request came to."""
    configured = (getattr(settings, "VENDORVET_BASE_URL", "") or "").rstrip("/")
    return configured or request.build_absolute_uri("/").rstrip("/")


def password_changed(user) -> None:
    """Record a new password: no forced change any more."""
    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": False,
                                                               "password_changed": timezone.now()})


def require_change(user, required: bool = True) -> None:
    """Make ``user`` change the password at the next login (an administrator set it)."""
    AccountState.objects.update_or_create(user=user, defaults={"must_change_password": required})


def must_change(user) -> bool:
    return AccountState.objects.filter(user=user, must_change_password=True).exists()


class PasswordChangeView(LoginRequiredMixin, View):
    """The old password, then the new one twice (Django's password rules apply)."""

    template_name = "accounts/password_change.html"

    def get(self, request):
        return render(request, self.template_name, {"form": self._form(request),
                                                    "forced": request.session.get(sessions.MUST_CHANGE_KEY)})

    def post(self, request):
        form = self._form(request, request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form,
                                                        "forced": request.session.get(sessions.MUST_CHANGE_KEY)},
                          status=400)
        user = form.save()
        update_session_auth_hash(request, user)  # a new session key; every other session is logged out
        password_changed(user)
        request.session.pop(sessions.MUST_CHANGE_KEY, None)
        sessions.end_other_sessions(request, user)
        messages.success(request, _("Your password was changed. Your other sessions were logged out."))
        return redirect("accounts:account")

    @staticmethod
    def _form(request, data=None):
        form = PasswordChangeForm(request.user, data)
        form.fields["old_password"].widget.attrs["autofocus"] = False
        return form


def _send(message: EmailMultiAlternatives) -> None:
    try:
        message.send()
    except Exception:  # noqa: BLE001 - the person asking must not learn whether an address is known
        log.warning("a password reset e-mail could not be sent", exc_info=False)


class ResetForm(PasswordResetForm):
    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        message = EmailMultiAlternatives(subject, body, from_email, [to_email])
        threading.Thread(target=_send, args=(message,), daemon=True, name="password-reset-mail").start()


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"base_url": base_url(self.request)}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        password_changed(user)
        sessions.end_all_sessions(user)
        unlock_username(user.get_username())  # the mail proved who it is
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
