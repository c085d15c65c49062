"""Pages: my account (password, active sessions), locked logins (administrators), invitations."""

from __future__ import annotations

import logging
from smtplib import SMTPException

from django.conf import settings
from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import Membership
from vendorvet.web.accounts.roles import Role
from vendorvet.web.accounts.security import invitations, lockout, sessions
from vendorvet.web.accounts.security.models import Invitation, UserSession
from vendorvet.web.accounts.security.passwords import base_url, must_change
from vendorvet.web.core.context import PermissionDeniedError
from vendorvet.web.core.views import PermissionRequiredMixin

log = logging.getLogger(__name__)


# -- my account ------------------------------------------------------------------------------------------------


class AccountView(LoginRequiredMixin, View):
    """The user's own account: password, and the sessions that are open (with log-out)."""

    def get(self, request):
        current = sessions.current_sid(request)
        rows = []
        for row in sessions.sessions_of(request.user):
            browser, system = sessions.describe_agent(row.user_agent)
            rows.append({"row": row, "browser": browser, "system": system, "current": row.sid == current})
        return render(request, "accounts/account.html", {
            "sessions": rows, "idle_minutes": sessions.idle_seconds() // 60,
            "max_hours": sessions.max_seconds() // 3600, "must_change": must_change(request.user),
        })


class SessionEndView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        row = get_object_or_404(UserSession, pk=pk, user=request.user)
        if row.sid == sessions.current_sid(request):
            return redirect("accounts:account")  # the own session ends with "Log out"
        row.delete()
        messages.success(request, _("The session was logged out."))
        return redirect("accounts:account")


class SessionsEndOthersView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        count = sessions.end_other_sessions(request, request.user)
        messages.success(request, _("%(count)d other sessions were logged out.") % {"count": count})
        return redirect("accounts:account")


# -- locked logins ---------------------------------------------------------------------------------------------


class LockoutView(LoginRequiredMixin, View):
    """Operators (superusers) see every lock and failure; a tenant administrator only those of members' usernames."""

    def _scope(self, request) -> set[str] | None:
        if request.user.is_active and request.user.is_superuser:
            return None
        if getattr(request, "tenant", None) is None or not roles.has_perm(roles.MANAGE_MEMBERS):
            raise PermissionDeniedError("only administrators see locked logins")
        return set(Membership.objects.values_list("user__username", flat=True))

    def get(self, request):
        usernames = self._scope(request)
        return render(request, "accounts/lockouts.html", {
            "locks": lockout.current_locks(usernames, with_addresses=usernames is None),
            "failures": lockout.recent_failures(usernames),
            "operator": usernames is None,
            "account_limit": lockout.account_limit(), "client_limit": lockout.client_limit(),
            "cooloff_minutes": lockout.cooloff_seconds() // 60,
        })

    def post(self, request):
        usernames = self._scope(request)
        kind, value = request.POST.get("kind", ""), request.POST.get("value", "").strip()
        if kind == "username" and value and (usernames is None or value in usernames):
            lockout.unlock_username(value)
        elif kind == "address" and value and usernames is None:
            lockout.unlock_address(value)
        else:
            raise Http404("no such lock")
        messages.success(request, _("“%(value)s” was unlocked.") % {"value": value})
        return redirect("accounts:lockouts")


# -- invitations: the administrator's side ---------------------------------------------------------------------


class InvitationForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices, initial=Role.AUDITOR)


def _invitation_mail(request, invitation, link: str) -> tuple[str, str]:
    context = {"invitation": invitation, "tenant": invitation.tenant, "link": link,
               "inviter": request.user.get_username(), "role": invitation.get_role_display()}
    subject = "".join(render_to_string("accounts/invitation_subject.txt", context).splitlines())
    return subject, render_to_string("accounts/invitation_email.txt", context)


def members_page(request, invite_form=None, status=200, new_link=None):
    """The members page with the invitation form (new members join by invitation only: no usernames of
    other tenants are listed, accepted or confirmed there)."""
    members = Membership.objects.select_related("user").order_by("user__username")
    return render(request, "accounts/members.html", {
        "members": members, "roles": Role.choices, "form": invite_form or InvitationForm(),
        "invitations": invitations.open_invitations(), "new_link": new_link,
    }, status=status)


class InvitationCreateView(PermissionRequiredMixin, View):
    required_permission = roles.MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request):
        form = InvitationForm(request.POST)
        if not form.is_valid():
            return members_page(request, invite_form=form, status=400)
        with transaction.atomic():
            invitation, token = invitations.create(form.cleaned_data["email"], form.cleaned_data["role"])
        link = base_url(request) + reverse("accounts:invitation_accept", args=[token])
        subject, body = _invitation_mail(request, invitation, link)
        try:
            send_mail(subject, body, None, [invitation.email])
        except (SMTPException, OSError):
            log.warning("the invitation e-mail could not be sent")
            messages.warning(request, _("The e-mail could not be sent. Give the person this link another way; "
                                        "it is shown only now."))
            return members_page(request, new_link=link)
        messages.success(request, _("An invitation was sent to %(email)s.") % {"email": invitation.email})
        return redirect("accounts:members")


class InvitationWithdrawView(PermissionRequiredMixin, View):
    required_permission = roles.MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, pk: int):
        invitation = get_object_or_404(Invitation.objects.all(), pk=pk)
        invitations.withdraw(invitation)
        messages.success(request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email})
        return redirect("accounts:members")


# -- invitations: the invitee's side ---------------------------------------------------------------------------


class NewAccountForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username",)


class InvitationAcceptView(View):
    """Shows the tenant and role; an existing user accepts or declines, a new one creates an account."""

    template_name = "accounts/invitation_accept.html"

    def _invitation(self, token):
        try:
            return invitations.find(token)
        except invitations.InvitationError:
            return None

    def _render(self, request, invitation, form=None, status=200):
        if invitation is None:
            return render(request, self.template_name, {"invalid": True}, status=404)
        user = request.user if request.user.is_authenticated else None
        return render(request, self.template_name, {
            "invitation": invitation, "tenant": invitation.tenant, "role": invitation.get_role_display(),
            "matches": user is not None and invitations.addressed_to(invitation, user),
            "form": form or (NewAccountForm() if user is None else None),
            "login_url": reverse("accounts:login") + "?next=" + request.path,
        }, status=status)

    def get(self, request, token: str):
        return self._render(request, self._invitation(token))

    def post(self, request, token: str):
        invitation = self._invitation(token)
        if invitation is None:
            return self._render(request, None)
        action = request.POST.get("action")
        try:
            if action == "decline":
                invitations.decline(invitation, request.user if request.user.is_authenticated else None)
                messages.info(request, _("You declined the invitation."))
                return redirect("accounts:account" if request.user.is_authenticated else "accounts:login")
            if request.user.is_authenticated:
                return self._accept_existing(request, invitation)
            return self._create_account(request, invitation)
        except invitations.InvitationError:
            return self._render(request, None)

    def _accept_existing(self, request, invitation):
        if not invitations.addressed_to(invitation, request.user):
            return self._render(request, invitation, status=403)
        joined = invitations.accept(invitation, request.user)
        if joined:
            request.session["vendorvet_tenant_id"] = invitation.tenant_id
            sessions.rotate(request)
            messages.success(request, _("You joined “%(tenant)s” as %(role)s.")
                             % {"tenant": invitation.tenant.name, "role": invitation.get_role_display()})
        else:
            messages.info(request, _("You are already a member of “%(tenant)s”; your role stays as it is.")
                          % {"tenant": invitation.tenant.name})
        return redirect(settings.LOGIN_REDIRECT_URL)

    def _create_account(self, request, invitation):
        form = NewAccountForm(request.POST)
        if not form.is_valid():
            return self._render(request, invitation, form=form, status=400)
        with transaction.atomic():
            user = form.save(commit=False)
            user.email = invitation.email
            user.save()
            invitations.accept(invitation, user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        request.session["vendorvet_tenant_id"] = invitation.tenant_id
        messages.success(request, _("Welcome! Your account was created and you joined “%(tenant)s”.")
                         % {"tenant": invitation.tenant.name})
        return redirect(settings.LOGIN_REDIRECT_URL)
