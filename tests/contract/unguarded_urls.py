"""Test-only URL map: the real one plus deliberately unguarded views (see test_access_guard and
test_tenant_contract)."""

from django.http import HttpResponse
from django.urls import include, path
from django.views.generic import View
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from vendorvet.web.core.views import PermissionRequiredMixin


def unguarded(request):
    return HttpResponse("anyone can read this")


class UnguardedAPI(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request):
        return Response({"open": True})


class Guarded(PermissionRequiredMixin, View):
    def get(self, request):
        return HttpResponse("members only")


class LeakyDetail(PermissionRequiredMixin, View):
    """Guarded against strangers, but looks the object up across tenants: the tenant contract must catch it."""

    def get(self, request, pk):
        from vendorvet.web.inventory.models import Integration

        return HttpResponse(Integration.all_tenants.get(pk=pk).name)


urlpatterns = [
    path("integrations/<int:pk>/contract-probe/", LeakyDetail.as_view(), name="contract_probe_leak"),
    path("contract-probe/", unguarded, name="contract_probe_web"),
    path("contract-probe/api/", UnguardedAPI.as_view(), name="contract_probe_api"),
    path("contract-probe/guarded/", Guarded.as_view(), name="contract_probe_guarded"),
    path("", include("vendorvet.web.urls")),
]
