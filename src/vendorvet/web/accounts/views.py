"""Login/logout, the tenant switcher, API tokens and tenant members."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import LoginView as DjangoLoginView, LogoutView as DjangoLogoutView
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from vendorvet.web.accounts import roles
from vendorvet.web.accounts import tokens as token_rules
from vendorvet.web.accounts.forms import LoginForm, RoleForm, TokenForm
from vendorvet.web.accounts.mfa.flow import second_step
from vendorvet.web.accounts.models import Membership
from vendorvet.web.accounts.roles import Role
from vendorvet.web.accounts.middleware import SESSION_TENANT_KEY
from vendorvet.web.accounts.security.views import members_page
from vendorvet.web.accounts.sso.policy import local_login_refused
from vendorvet.web.core.views import PermissionRequiredMixin, TenantRequiredMixin


class LoginView(DjangoLoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        # The password was right: a tenant may allow only single sign-on, and a second factor may be due.
        user = form.get_user()
        provider = local_login_refused(user)
        if provider is not None:
            form.add_error(None, _("Your organisation signs in through single sign-on (%(idp)s) only. Use “Sign in "
                                   "with single sign-on” below.") % {"idp": provider.name})
            return self.form_invalid(form)
        return second_step(self.request, user, self.get_success_url()) or super().form_valid(form)


class LogoutView(DjangoLogoutView):
    http_method_names = ["post", "options"]


class SwitchTenantView(LoginRequiredMixin, View):
    """Make another of the user's tenants the active one (POST ``tenant``)."""

    http_method_names = ["post"]

    def post(self, request):
        wanted = request.POST.get("tenant", "")
        for m in request.memberships:
            if str(m.tenant_id) == wanted:
                request.session[SESSION_TENANT_KEY] = m.tenant_id
                request.session.cycle_key()  # another tenant, other privileges: a new session key
                messages.success(request, _("You are now working in “%(tenant)s”.") % {"tenant": m.tenant.name})
                return redirect(settings.LOGIN_REDIRECT_URL)  # the dashboard of the tenant now active
        raise Http404("not a member of that tenant")


# -- API tokens -----------------------------------------------------------------------------


class TokenListView(TenantRequiredMixin, View):
    """A user's own tokens; administrators (manage_tokens) see and revoke every token of the tenant.

    The rules live in ``accounts/tokens.py`` and are shared with the API and the CLI.
    """

    def _context(self, request, form, new_key=None, new_token=None):
        return {"form": form, "tokens": token_rules.visible_tokens(),
                "manage_all": roles.has_perm(roles.MANAGE_TOKENS), "new_key": new_key, "new_token": new_token}

    def get(self, request):
        return render(request, "accounts/tokens.html", self._context(request, TokenForm()))

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                token, key = token_rules.issue_token(form.cleaned_data["name"], days=form.cleaned_data["days"],
                                                     read_only=form.cleaned_data["read_only"])
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                # Rendered directly (not redirected): the key is shown this once and never stored in plain text.
                return render(request, "accounts/tokens.html", self._context(request, TokenForm(), key, token),
                              status=201)
        return render(request, "accounts/tokens.html", self._context(request, form), status=400)


class TokenRevokeView(TenantRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk: int):
        token = get_object_or_404(token_rules.visible_tokens(), pk=pk)  # others' tokens: 404 unless admin
        already = token.revoked is not None
        token_rules.revoke_token(token)
        if not already:
            messages.success(request, _("Token “%(name)s” was revoked.") % {"name": token.name})
        return redirect("accounts:tokens")


# -- members --------------------------------------------------------------------------------


def _would_leave_no_admin(membership: Membership, new_role: str | None) -> bool:
    """True if changing/removing ``membership`` would leave the tenant without an administrator."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN:
        return False
    admins = list(Membership.objects.select_for_update().filter(role=Role.ADMIN).values_list("pk", flat=True))
    return not any(pk != membership.pk for pk in admins)


class MemberListView(PermissionRequiredMixin, View):
    required_permission = roles.MANAGE_MEMBERS

    def get(self, request):
        return members_page(request)


class MemberRoleView(PermissionRequiredMixin, View):
    required_permission = roles.MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, pk: int):
        get_object_or_404(Membership.objects.only("pk"), pk=pk)  # another tenant's member: 404 before anything
        form = RoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid role."))
            return redirect("accounts:members")
        with transaction.atomic():
            membership = get_object_or_404(Membership.objects.select_for_update().select_related("user"), pk=pk)
            new_role = form.cleaned_data["role"]
            if _would_leave_no_admin(membership, new_role):
                messages.error(request, _("%(user)s is the last administrator of this tenant and keeps that role.")
                               % {"user": membership.user.get_username()})
                return redirect("accounts:members")
            if membership.role != new_role:
                membership.role = new_role
                membership.save()
                messages.success(request, _("%(user)s is now %(role)s.")
                                 % {"user": membership.user.get_username(), "role": membership.get_role_display()})
        return redirect("accounts:members")


class MemberRemoveView(PermissionRequiredMixin, View):
    required_permission = roles.MANAGE_MEMBERS
    http_method_names = ["post"]

    def post(self, request, pk: int):
        with transaction.atomic():
            membership = get_object_or_404(Membership.objects.select_for_update().select_related("user"), pk=pk)
            username = membership.user.get_username()
            if _would_leave_no_admin(membership, None):
                messages.error(request, _("%(user)s is the last administrator of this tenant and cannot be removed.")
                               % {"user": username})
                return redirect("accounts:members")
            membership.delete()
        messages.success(request, _("%(user)s was removed from this tenant.") % {"user": username})
        return redirect("accounts:members")
