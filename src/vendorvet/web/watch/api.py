"""REST API of the watch app: /api/watch/pages/ — list, add, remove watched pages; POST …/check/ checks one now."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from vendorvet.web.accounts import roles
from vendorvet.web.api.filtersets import fk_filterset
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.api.serializers import TenantPrimaryKeyRelatedField
from vendorvet.web.api.views.common import TenantModelViewSet
from vendorvet.web.inventory.models import Vendor
from vendorvet.web.watch import services
from vendorvet.web.watch.models import WatchedPage


class WatchedPageSerializer(serializers.ModelSerializer):
    vendor = TenantPrimaryKeyRelatedField(Vendor)
    url = serializers.URLField(max_length=1000)

    class Meta:
        model = WatchedPage
        fields = ["id", "vendor", "url", "kind", "state", "reason", "last_checked", "last_attempt", "last_changed",
                  "next_due", "latest_diff", "latest_diff_at", "rows"]
        read_only_fields = ["state", "reason", "last_checked", "last_attempt", "last_changed", "next_due",
                            "latest_diff", "latest_diff_at", "rows"]

    def create(self, validated_data):
        try:
            return services.add_page(validated_data["vendor"], validated_data["url"], validated_data["kind"])
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from None


class CheckResultSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=["first", "changed", "unchanged", "could_not_check"])
    reason = serializers.CharField()
    events = serializers.IntegerField()
    page = WatchedPageSerializer()


class WatchedPageViewSet(TenantModelViewSet):
    """Pages a vendor publishes that are watched (sub-processor list, AVV/DPA, security/trust, status page)."""

    model, serializer_class, ordering = WatchedPage, WatchedPageSerializer, ("vendor__name", "kind", "url", "pk")
    filterset_class = fk_filterset(WatchedPage, {"vendor": _("Vendor id.")})
    http_method_names = ["get", "post", "delete", "head", "options"]

    @extend_schema(summary=_("Check a watched page now"), request=None, responses=CheckResultSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request, pk=None):
        roles.require(roles.CHANGE)
        page = self.get_object()
        outcome = services.check_page(page)
        page.refresh_from_db()
        return Response({"state": outcome.state, "reason": outcome.reason, "events": outcome.events,
                         "page": WatchedPageSerializer(page, context={"request": request}).data})


ROUTES = ApiRoutes("watch", (
    Resource("pages", WatchedPageViewSet, "watch-page"),
))
