"""REST API: questionnaires (list with status, show with items, send from an assessment, decide a point, ask the
follow-ups, close, send the due reminders)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from vendorvet.web.accounts import roles
from vendorvet.web.api.base import TenantContextMixin
from vendorvet.web.api.filtersets import MAX_ID, IdFilter
from vendorvet.web.api.routes import ApiRoutes, Resource
from vendorvet.web.assessments.models import Assessment
from vendorvet.web.questionnaires import provider, services, standard
from vendorvet.web.questionnaires.models import LANGUAGES, Questionnaire, QuestionnaireItem, Status
from vendorvet.web.questionnaires.views_standard import XLSX


class ItemSerializer(serializers.ModelSerializer):
    contradiction = serializers.SerializerMethodField()
    provenance = serializers.SerializerMethodField()

    class Meta:
        model = QuestionnaireItem
        fields = ["id", "requirement_id", "state", "vendor_answer", "vendor_comment", "answered_at",
                  "answered_by_label", "follow_up_note", "decided_at", "decided_by_label", "contradiction",
                  "provenance"]
        read_only_fields = fields

    def get_contradiction(self, item) -> str:
        return provider.contradiction(item)

    def get_provenance(self, item) -> str:
        return "vendor_stated" if item.answered_at else ""


class QuestionnaireSerializer(serializers.ModelSerializer):
    integration = serializers.IntegerField(source="assessment.integration_id", read_only=True)
    answered = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()

    class Meta:
        model = Questionnaire
        fields = ["id", "assessment", "integration", "status", "due_date", "language", "round", "sent_by_label",
                  "created", "submitted_at", "closed_at", "answered", "total"]
        read_only_fields = fields

    def get_answered(self, q) -> int:
        return sum(1 for i in q.items.all() if i.answered_at)

    def get_total(self, q) -> int:
        return len(q.items.all())


class QuestionnaireDetailSerializer(QuestionnaireSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta(QuestionnaireSerializer.Meta):
        fields = [*QuestionnaireSerializer.Meta.fields, "items"]
        read_only_fields = fields


class RecipientInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=LANGUAGES, default="en")


class SendSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    due_date = serializers.DateField()
    recipients = RecipientInput(many=True, allow_empty=False)
    points = serializers.ListField(child=serializers.CharField(max_length=100), required=False,
                                   help_text=_("Requirement ids to ask; default: every unanswered mandatory point "
                                               "our automated evidence does not settle"))
    require_code = serializers.BooleanField(default=False)


class DecideSerializer(serializers.Serializer):
    item = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    decision = serializers.ChoiceField(choices=["accept", "reject", "follow_up"])
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReminderSerializer(serializers.Serializer):
    questionnaire = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["before", "overdue"])


class RemindResultSerializer(serializers.Serializer):
    reminders = ReminderSerializer(many=True)


class CaiqImportSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    file = serializers.FileField(help_text=_("The vendor's completed CSA CAIQ v4 (XLSX, at most 10 MB)"))
    due_date = serializers.DateField(required=False)


class XlsxImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=_("Our questionnaire spreadsheet, filled in (XLSX, at most 10 MB)"))


class FileErrorSerializer(serializers.Serializer):
    error = serializers.CharField()
    code = serializers.CharField()
    row = serializers.IntegerField(allow_null=True)
    column = serializers.CharField(allow_null=True)


class XlsxImportResultSerializer(serializers.Serializer):
    stored = serializers.IntegerField()
    questionnaire = QuestionnaireDetailSerializer()


def _refused(exc) -> Response:
    """A refused file: the message in the request's language, the engine's code, row and column (400)."""
    return Response({"error": " ".join(exc.messages), "code": getattr(exc, "error_code", "invalid"),
                     "row": getattr(exc, "row", None), "column": getattr(exc, "column", None)},
                    status=status.HTTP_400_BAD_REQUEST)


class QuestionnaireFilterSet(django_filters.FilterSet):
    assessment = IdFilter(label=_("Only questionnaires of this assessment"))
    status = django_filters.ChoiceFilter(choices=Status.choices)

    class Meta:
        model = Questionnaire
        fields: list[str] = []


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@extend_schema_view(
    list=extend_schema(summary=_("List vendor questionnaires")),
    retrieve=extend_schema(summary=_("Show a questionnaire with its points and the vendor's answers")),
    create=extend_schema(summary=_("Send a questionnaire"), request=SendSerializer,
                         responses={201: QuestionnaireDetailSerializer},
                         description=_("Creates the questionnaire of an assessment and e-mails each recipient a "
                                       "personal link (needs the change permission).")),
)
class QuestionnaireViewSet(TenantContextMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                           mixins.CreateModelMixin, viewsets.GenericViewSet):
    serializer_class = QuestionnaireSerializer
    filterset_class = QuestionnaireFilterSet
    required_permissions = {"create": roles.CHANGE, "decide": roles.CHANGE, "clarify": roles.CHANGE,
                            "close": roles.CHANGE, "remind": roles.CHANGE,
                            "import_caiq": roles.CHANGE, "import_xlsx": roles.CHANGE, "xlsx": roles.EXPORT}

    def get_serializer_class(self):
        return {"create": SendSerializer, "retrieve": QuestionnaireDetailSerializer,
                "decide": DecideSerializer}.get(self.action, QuestionnaireSerializer)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Questionnaire.objects.none()
        return Questionnaire.objects.prefetch_related("items").order_by("due_date", "pk")

    def _detail(self, q, code=status.HTTP_200_OK):
        q = self.get_queryset().get(pk=q.pk)
        return Response(QuestionnaireDetailSerializer(q, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        data = SendSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assessment = get_object_or_404(Assessment.objects.select_related("integration"), pk=v["assessment"])
        addressees = [services.Addressee(r["name"], r["email"], r["language"]) for r in v["recipients"]]
        q = services.send(assessment, addressees, v["due_date"], v.get("points"), require_code=v["require_code"],
                          base_url=_base_url(request))
        return self._detail(q, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Accept, reject or ask a follow-up on one point"), request=DecideSerializer,
                   responses={200: QuestionnaireDetailSerializer})
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        q = self.get_object()
        data = DecideSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        item = get_object_or_404(QuestionnaireItem, pk=data.validated_data["item"], questionnaire=q)
        services.decide(item, data.validated_data["decision"], data.validated_data.get("note", ""))
        return self._detail(q)

    @extend_schema(summary=_("Send the follow-up points to the vendor"), request=None,
                   responses={200: QuestionnaireDetailSerializer})
    @action(detail=True, methods=["post"])
    def clarify(self, request, pk=None):
        q = self.get_object()
        services.request_clarification(q, _base_url(request))
        return self._detail(q)

    @extend_schema(summary=_("Close a questionnaire (its links stop working)"), request=None,
                   responses={200: QuestionnaireDetailSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        q = self.get_object()
        services.close(q)
        return self._detail(q)

    @extend_schema(summary=_("E-mail the reminders that are due"), request=None,
                   responses={200: RemindResultSerializer})
    @action(detail=False, methods=["post"])
    def remind(self, request):
        sent = services.due_reminders(base_url=_base_url(request))
        return Response({"reminders": [{"questionnaire": q.pk, "kind": kind} for q, kind in sent]})

    @extend_schema(summary=_("Import a vendor's completed CSA CAIQ v4"), request=CaiqImportSerializer,
                   responses={201: QuestionnaireDetailSerializer, 400: FileErrorSerializer},
                   description=_("The answers become a submitted questionnaire of the assessment whose points "
                                 "arrive on the review as vendor-stated suggestions. A malformed file is refused "
                                 "with the row and column named, and nothing is stored."))
    @action(detail=False, methods=["post"], url_path="import-caiq", parser_classes=[MultiPartParser, FormParser])
    def import_caiq(self, request):
        data = CaiqImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        assessment = get_object_or_404(Assessment.objects.select_related("integration"), pk=v["assessment"])
        try:
            q = standard.import_caiq(assessment, standard.read_upload(v["file"]), due_date=v.get("due_date"))
        except DjangoValidationError as exc:
            return _refused(exc)
        return self._detail(q, status.HTTP_201_CREATED)

    @extend_schema(summary=_("Download the questionnaire as a spreadsheet (XLSX)"), request=None,
                   responses={(200, XLSX): bytes})
    @action(detail=True, methods=["get"])
    def xlsx(self, request, pk=None):
        from vendorvet.web.questionnaires.views_standard import xlsx_response

        return xlsx_response(self.get_object())

    @extend_schema(summary=_("Read the filled-in questionnaire spreadsheet back"), request=XlsxImportSerializer,
                   responses={200: XlsxImportResultSerializer, 400: FileErrorSerializer})
    @action(detail=True, methods=["post"], url_path="import-xlsx", parser_classes=[MultiPartParser, FormParser])
    def import_xlsx(self, request, pk=None):
        q = self.get_object()
        data = XlsxImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            stored = standard.import_xlsx(q, standard.read_upload(data.validated_data["file"]))
        except DjangoValidationError as exc:
            return _refused(exc)
        q = self.get_queryset().get(pk=q.pk)
        return Response({"stored": stored, "questionnaire": QuestionnaireDetailSerializer(
            q, context=self.get_serializer_context()).data})


ROUTES = ApiRoutes("questionnaires", (Resource("questionnaires", QuestionnaireViewSet, "questionnaires-questionnaire"),))
