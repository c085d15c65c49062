"""Who am I, and API tokens."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from vendorvet.web.accounts import roles
from vendorvet.web.accounts.models import APIToken
from vendorvet.web.accounts import tokens as token_rules
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.serializers import (
    MeSerializer,
    NewTokenSerializer,
    TokenCreateSerializer,
    TokenSerializer,
)
from vendorvet.web.core.context import current_tenant, require_actor


class MeView(TenantContextMixin, APIView):
    @extend_schema(summary=_("Who am I"), responses=MeSerializer,
                   description=_("The authenticated user, the tenant, the role and what it permits."))
    def get(self, request):
        actor = require_actor()
        tenant = current_tenant()
        token = actor.token
        data = {
            "username": request.user.get_username(),
            "tenant": {"id": tenant.pk, "name": tenant.name, "slug": tenant.slug},
            "role": actor.role,
            "permissions": sorted(p for p in roles.PERMISSIONS.get(actor.role, ()) if roles.has_perm(p)),
            "authentication": "token" if token is not None else "session",
            "token": ({"id": token.pk, "name": token.name, "read_only": token.read_only, "expires": token.expires}
                      if token is not None else None),
        }
        return Response(MeSerializer(data).data)


@extend_schema_view(
    list=extend_schema(summary=_("List API tokens"),
                       description=_("Your own tokens; administrators (manage_tokens) see every token of the "
                                     "tenant. Keys are never shown again after creation.")),
    retrieve=extend_schema(summary=_("Show an API token")),
)
class TokenViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TokenSerializer
    filter_backends: list = []
    # who may create or revoke which token is decided in api.tokens (same rules as the CLI)
    required_permissions = {"create": roles.VIEW, "revoke": roles.VIEW}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return APIToken.objects.none()
        return token_rules.visible_tokens()

    @extend_schema(summary=_("Create an API token"), request=TokenCreateSerializer,
                   responses={201: NewTokenSerializer},
                   description=_("Returns the key once; only a hash is stored. Tokens cannot create tokens: "
                                 "use a logged-in web session or `vendorvet token create`."))
    def create(self, request):
        params = TokenCreateSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        token, key = token_rules.issue_token(**params.validated_data)
        token = get_object_or_404(APIToken.objects.select_related("user"), pk=token.pk)
        return Response(NewTokenSerializer(token, context={"key": key}).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("Revoke an API token"), request=None, responses=TokenSerializer,
                   description=_("Your own token, or any token of the tenant with manage_tokens."))
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        token = token_rules.revoke_token(self.get_object())
        return Response(TokenSerializer(token).data)
