"""Second login step, the user's own 2FA page (enrol and remove factors) and the tenant's 2FA requirement."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View
from django_otp.plugins.otp_totp.models import TOTPDevice

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.mfa import flow, passkeys, policy
from vendorvet.web.accounts.mfa.forms import CodeForm, ReauthForm, TenantPolicyForm, TotpConfirmForm
from vendorvet.web.accounts.mfa.models import Passkey, RecoveryCode, Requirement, TenantMfaPolicy
from vendorvet.web.accounts.mfa.signals import mfa_changed
from vendorvet.web.core.views import PermissionRequiredMixin

NEW_CODES_KEY = "vv_mfa_new_codes"
THROTTLED = gettext_lazy("Too many wrong codes in a row. Wait a few seconds, then enter the current code.")


def _changed(request, sender, action: str, detail: str = "") -> None:
    mfa_changed.send(sender=sender, user=request.user, action=action, detail=detail, request=request)


# -- second login step ----------------------------------------------------------------------


class VerifyView(View):
    """Password accepted: now a TOTP code, a recovery code or a passkey."""

    def _render(self, request, user, form, status=200):
        return render(request, "accounts/mfa_verify.html", {
            "form": form, "has_totp": policy.totp_devices(user).exists(),
            "has_passkey": Passkey.objects.filter(user=user).exists(),
            "has_recovery": RecoveryCode.remaining(user) > 0,
        }, status=status)

    def get(self, request):
        user = flow.pending_user(request)
        if user is None:
            return redirect("accounts:login")
        return self._render(request, user, CodeForm())

    def post(self, request):
        user = flow.pending_user(request)
        if user is None:
            messages.error(request, _("Your sign-in took too long or was not started. Please log in again."))
            return redirect("accounts:login")
        form = CodeForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"].replace(" ", "")
            if code.isdigit():
                devices = list(policy.totp_devices(user))
                if devices and not any(d.verify_is_allowed()[0] for d in devices):
                    form.add_error("code", THROTTLED)
                    return self._render(request, user, form, status=429)
                for device in devices:
                    if device.verify_token(code):
                        return flow.complete(request, user, "totp")
            elif RecoveryCode.consume(user, code):
                mfa_changed.send(sender=RecoveryCode, user=user, action="recovery_code_used", detail="",
                                 request=request)
                left = RecoveryCode.remaining(user)
                response = flow.complete(request, user, "recovery")
                messages.warning(request, _("You used a recovery code; %(left)s are left. Each code works once.")
                                 % {"left": left})
                return response
            if flow.note_failure(request):
                messages.error(request, _("Too many wrong codes. Please log in again."))
                return redirect("accounts:login")
            form.add_error("code", _("This code is not valid (or was already used)."))
        return self._render(request, user, form, status=400)


class PasskeyLoginOptionsView(View):
    http_method_names = ["post"]

    def post(self, request):
        user = flow.pending_user(request)
        if user is None:
            return JsonResponse({"error": _("Please log in again.")}, status=400)
        return JsonResponse({"publicKey": passkeys.authentication_options(request, user)})


class PasskeyLoginView(View):
    http_method_names = ["post"]

    def post(self, request):
        user = flow.pending_user(request)
        if user is None:
            return JsonResponse({"error": _("Please log in again.")}, status=400)
        try:
            passkeys.authenticate(request, user, request.body)
        except passkeys.PasskeyError:
            flow.note_failure(request)
            return JsonResponse({"error": _("The passkey could not be verified.")}, status=400)
        response = flow.complete(request, user, "passkey")
        return JsonResponse({"redirect": response.url})


# -- the user's own factors -----------------------------------------------------------------


class ManageView(LoginRequiredMixin, View):
    def get(self, request):
        user = request.user
        return render(request, "accounts/mfa_manage.html", {
            "totp_devices": policy.totp_devices(user).order_by("id"),
            "passkeys": Passkey.objects.filter(user=user),
            "recovery_left": RecoveryCode.remaining(user),
            "has_recovery": RecoveryCode.objects.filter(user=user).exists(),
            "new_codes": request.session.pop(NEW_CODES_KEY, None),
            "required": policy.required_for(user),
            "has_factor": policy.has_second_factor(user),
        })


def _first_factor_added(request) -> None:
    """After the first factor: recovery codes (shown once) and a session that counts as verified."""
    if not RecoveryCode.objects.filter(user=request.user).exists():
        request.session[NEW_CODES_KEY] = RecoveryCode.generate(request.user)
        _changed(request, RecoveryCode, "recovery_codes_generated")
    request.session.cycle_key()
    if request.session.get(flow.VERIFIED_KEY) in (None, "password"):
        request.session[flow.VERIFIED_KEY] = "enrolment"  # the user just proved possession of the new factor


def _qr_data_url(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=5, border=2, dark="#111", light="#fff", encode_minimal=False,
                                                   omit_charset=True)


class TotpAddView(LoginRequiredMixin, View):
    SESSION_KEY = "vv_mfa_totp_setup"

    def _device(self, request) -> TOTPDevice:
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False,
                                           pk=request.session.get(self.SESSION_KEY)).first()
        if device is None:
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
            request.session[self.SESSION_KEY] = device.pk
        return device

    def _render(self, request, device, form, status=200):
        secret = base64.b32encode(device.bin_key).decode().rstrip("=")
        return render(request, "accounts/mfa_totp_add.html", {
            "form": form, "qr": _qr_data_url(device.config_url),
            "secret": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
        }, status=status)

    def get(self, request):
        return self._render(request, self._device(request), TotpConfirmForm())

    def post(self, request):
        device = self._device(request)
        form = TotpConfirmForm(request.POST)
        if form.is_valid():
            code = form.cleaned_data["code"].replace(" ", "")
            if not device.verify_is_allowed()[0]:
                form.add_error("code", THROTTLED)
                return self._render(request, device, form, status=429)
            if code.isdigit() and device.verify_token(code):
                device.name = form.cleaned_data["name"]
                device.confirmed = True
                device.save(update_fields=["name", "confirmed"])
                request.session.pop(self.SESSION_KEY, None)
                _changed(request, TOTPDevice, "totp_added", device.name)
                _first_factor_added(request)
                messages.success(request, _("The authenticator app was added."))
                return redirect("mfa:manage")
            form.add_error("code", _("This code does not match. Check the time on your phone and try again."))
        return self._render(request, device, form, status=400)


class PasskeyAddView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "accounts/mfa_passkey_add.html", {"default_name": passkeys.new_name()})


class PasskeyRegisterOptionsView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        return JsonResponse({"publicKey": passkeys.registration_options(request, request.user)})


class PasskeyRegisterView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request):
        name = request.headers.get("X-Passkey-Name", "")[:100].strip()
        try:
            passkey = passkeys.register(request, request.user, request.body, name or passkeys.new_name())
        except passkeys.PasskeyError:
            return JsonResponse({"error": _("The passkey could not be registered.")}, status=400)
        _changed(request, Passkey, "passkey_added", passkey.name)
        _first_factor_added(request)
        messages.success(request, _("The passkey “%(name)s” was added.") % {"name": passkey.name})
        return JsonResponse({"redirect": reverse("mfa:manage")})


class RemoveView(LoginRequiredMixin, View):
    """Remove a factor (or all recovery codes) after entering the password again."""

    KINDS = {"totp": "totp_removed", "passkey": "passkey_removed"}

    def _object(self, request, kind: str, pk: int):
        if kind == "totp":
            return get_object_or_404(policy.totp_devices(request.user), pk=pk)
        return get_object_or_404(Passkey.objects.filter(user=request.user), pk=pk)

    def get(self, request, kind: str, pk: int):
        obj = self._object(request, kind, pk)
        return render(request, "accounts/mfa_remove.html", {"object": obj, "form": ReauthForm(request.user, request)})

    def post(self, request, kind: str, pk: int):
        obj = self._object(request, kind, pk)
        form = ReauthForm(request.user, request, request.POST)
        if not form.is_valid():
            return render(request, "accounts/mfa_remove.html", {"object": obj, "form": form}, status=400)
        name = obj.name
        with transaction.atomic():
            obj.delete()
            if not policy.has_second_factor(request.user):
                RecoveryCode.objects.filter(user=request.user).delete()
        _changed(request, type(obj), self.KINDS[kind], name)
        request.session.cycle_key()
        messages.success(request, _("“%(name)s” was removed.") % {"name": name})
        return redirect("mfa:manage")


class RecoveryCodesView(LoginRequiredMixin, View):
    """New recovery codes (the old ones stop working); password asked again."""

    def get(self, request):
        return render(request, "accounts/mfa_recovery.html", {"form": ReauthForm(request.user, request)})

    def post(self, request):
        if not policy.has_second_factor(request.user):
            return redirect("mfa:manage")
        form = ReauthForm(request.user, request, request.POST)
        if not form.is_valid():
            return render(request, "accounts/mfa_recovery.html", {"form": form}, status=400)
        request.session[NEW_CODES_KEY] = RecoveryCode.generate(request.user)
        _changed(request, RecoveryCode, "recovery_codes_generated")
        return redirect("mfa:manage")


# -- the tenant's requirement ---------------------------------------------------------------


class TenantPolicyView(PermissionRequiredMixin, View):
    required_permission = roles.MANAGE_MEMBERS

    def _render(self, request, form, status=200):
        return render(request, "accounts/mfa_policy.html", {
            "form": form, "minimum": Requirement(policy.installation_minimum()).label,
            "effective": Requirement(policy.tenant_requirement(request.tenant)).label,
        }, status=status)

    def get(self, request):
        own = TenantMfaPolicy.objects.filter(tenant=request.tenant).first()
        return self._render(request, TenantPolicyForm(initial={"require": own.require if own else "none"}))

    def post(self, request):
        form = TenantPolicyForm(request.POST)
        if not form.is_valid():
            return self._render(request, form, status=400)
        TenantMfaPolicy.objects.update_or_create(tenant=request.tenant,
                                                 defaults={"require": form.cleaned_data["require"]})
        _changed(request, TenantMfaPolicy, "policy_changed", form.cleaned_data["require"])
        messages.success(request, _("The two-factor requirement was saved."))
        return redirect("mfa:policy")
