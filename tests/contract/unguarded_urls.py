"""Test-only URL map: the real one plus deliberately unguarded views (see test_access_guard)."""

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


urlpatterns = [
    path("contract-probe/", unguarded, name="contract_probe_web"),
    path("contract-probe/api/", UnguardedAPI.as_view(), name="contract_probe_api"),
    path("contract-probe/guarded/", Guarded.as_view(), name="contract_probe_guarded"),
    path("", include("vendorvet.web.urls")),
]
