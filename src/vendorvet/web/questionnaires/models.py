"""Questionnaires: the vendor is asked only what automation could not verify.

A :class:`Questionnaire` belongs to one assessment (the review) and holds one :class:`QuestionnaireItem` per
checklist point asked. Each person who may answer it has a :class:`Recipient` row with a personal link: the link
carries a random secret, signed with a timestamp; the database keeps only a keyed hash of the secret (see
:mod:`vendorvet.web.questionnaires.links`). Files the vendor uploads follow the evidence rules of the assessments
app and live in its private evidence storage (no URL; served only through a permission-checked view).
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vendorvet.web.assessments.models import evidence_storage
from vendorvet.web.core.models import TenantOwnedModel

LANGUAGES = [("en", _("English")), ("de", _("German"))]
LANGUAGE_CODES = ("en", "de")


class Status(models.TextChoices):
    SENT = "sent", _("Sent")
    OPENED = "opened", _("Opened")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    IN_CLARIFICATION = "in_clarification", _("In clarification")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in Status.values if s != Status.CLOSED]
# the vendor may still write while the questionnaire is in one of these
VENDOR_WRITABLE = [Status.SENT, Status.OPENED, Status.IN_PROGRESS, Status.IN_CLARIFICATION]


class ItemState(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")
    FOLLOW_UP = "follow_up", _("Follow-up")


class VendorAnswer(models.TextChoices):
    """The vendor's options in plain words; the values are the checklist's answer values."""

    MET = "met", _("Yes, fully")
    PARTLY_MET = "partly_met", _("Partly")
    NOT_MET = "not_met", _("No")
    NOT_APPLICABLE = "not_applicable", _("Does not apply to our service")


class Questionnaire(TenantOwnedModel):
    assessment = models.ForeignKey("assessments.Assessment", on_delete=models.PROTECT, related_name="questionnaires",
                                   verbose_name=_("assessment"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.SENT)
    due_date = models.DateField(_("due date"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    require_code = models.BooleanField(_("one-time code by e-mail"), default=False)
    round = models.PositiveSmallIntegerField(_("round"), default=1)
    sent_by_label = models.CharField(_("sent by"), max_length=150, editable=False)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)
    # the reminders already e-mailed ("before:<due>", "overdue:<due>"), so each goes out once
    reminders_sent = models.JSONField(default=list, blank=True, editable=False)

    change_log_parent = "assessment"

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        indexes = [models.Index(fields=["tenant", "status", "due_date"])]

    def __str__(self) -> str:
        return f"{self.assessment.integration} #{self.pk}" if self.pk else str(self.assessment.integration)

    def get_absolute_url(self) -> str:
        return reverse("questionnaires:detail", args=[self.pk])

    @property
    def integration(self):
        return self.assessment.integration

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def vendor_may_write(self) -> bool:
        return self.status in VENDOR_WRITABLE

    def overdue(self, today=None) -> bool:
        return self.is_open and self.status != Status.SUBMITTED and self.due_date < (today or timezone.localdate())


class Recipient(TenantOwnedModel):
    """A person with a personal link to one questionnaire (a vendor contact, or a colleague it was forwarded to).

    Name, address and language are copied from the contact when sending (no reference to the contact: the
    record of who received a link stays as it was when the contact changes or goes)."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="recipients")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="en")
    forwarded_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("forwarded by"))
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires = models.DateTimeField(_("link valid until"))
    revoked = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires = models.DateTimeField(null=True, blank=True, editable=False)

    token_hash.change_log_secret = True
    code_hash.change_log_secret = True

    change_log_parent = "questionnaire"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    def usable(self, now=None) -> bool:
        return self.revoked is None and self.expires > (now or timezone.now())


class QuestionnaireItem(TenantOwnedModel):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    requirement_id = models.CharField(_("requirement"), max_length=100)
    # per language ("en", "de"): the question in plain words, and what our own evidence observed
    question = models.JSONField(_("question"), default=dict)
    observed = models.JSONField(_("what we observed"), default=dict, blank=True)
    # what our own evidence said when the point was asked: [{"source", "at", "suggested", "text"}] (verified only)
    verified = models.JSONField(default=list, blank=True, editable=False)
    state = models.CharField(_("state"), max_length=20, choices=ItemState.choices, default=ItemState.OPEN)
    vendor_answer = models.CharField(_("vendor's answer"), max_length=20, choices=VendorAnswer.choices, blank=True)
    vendor_comment = models.TextField(_("vendor's comment"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True, editable=False)
    answered_by_label = models.CharField(_("answered by"), max_length=200, blank=True, editable=False)
    follow_up_note = models.TextField(_("follow-up question"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by_label = models.CharField(_("decided by"), max_length=150, blank=True, editable=False)
    # when the accepted statement was written into the assessment's answer (answered_at of that answer): while the
    # answer still carries this time, it rests on the vendor's statement (scored as vendor-stated)
    applied_answer_at = models.DateTimeField(null=True, blank=True, editable=False)

    change_log_parent = "questionnaire"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("questionnaire item")
        verbose_name_plural = _("questionnaire items")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "requirement_id"],
                                               name="one_item_per_requirement")]

    def __str__(self) -> str:
        return self.requirement_id

    def question_in(self, language: str) -> str:
        return self.question.get(language) or self.question.get("en", "")

    def observed_in(self, language: str) -> list:
        return self.observed.get(language) or self.observed.get("en", [])

    @property
    def vendor_may_answer(self) -> bool:
        q = self.questionnaire
        if not q.vendor_may_write:
            return False
        if q.status == Status.IN_CLARIFICATION:
            return self.state == ItemState.FOLLOW_UP
        return self.state in (ItemState.OPEN, ItemState.ANSWERED)


class VendorFile(TenantOwnedModel):
    """A file the vendor uploaded to one point (certificate, SOC 2 report, pen-test summary, signed AVV …)."""

    item = models.ForeignKey(QuestionnaireItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(storage=evidence_storage, max_length=200, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by_label = models.CharField(_("uploaded by"), max_length=200, blank=True, editable=False)
    virus_scan = models.CharField(_("virus scan"), max_length=200, blank=True, editable=False)

    file.change_log_exclude = True

    change_log_parent = "item"

    class Meta:
        ordering = ["pk"]
        verbose_name = _("vendor file")
        verbose_name_plural = _("vendor files")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("questionnaires:file_download", args=[self.pk])
