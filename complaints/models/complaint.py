from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ComplaintStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Signed for")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    RETURNED = "returned", _("Returned")
    REOPENED = "reopened", _("Reopened")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged")


class Priority(models.TextChoices):
    """12345's three grades: urgent (紧急), ordinary (一般), complex (疑难复杂).
    A deadline policy is chosen by category and priority."""

    URGENT = "urgent", _("Urgent")
    NORMAL = "normal", _("Ordinary")
    COMPLEX = "complex", _("Complex")


class Channel(models.TextChoices):
    """The door a demand came in through: set by that door, never typed by the resident."""

    WEB = "web", _("Web")
    HOTLINE = "hotline", _("Hotline")
    APP = "app", _("App")
    WECHAT = "wechat", _("WeChat")
    WEIBO = "weibo", _("Weibo")
    API = "api", _("Open311 / API")
    PROACTIVE = "proactive", _("Found by staff")


class DemandType(models.TextChoices):
    """What the demand is (诉求类型), chosen on every intake. The labels carry a
    context: "Complaint" here is the type 投诉, not a demand in general (诉求)."""

    CONSULTATION = "consultation", pgettext_lazy("demand type", "Consultation")
    HELP = "help", pgettext_lazy("demand type", "Request for help")
    COMPLAINT = "complaint", pgettext_lazy("demand type", "Complaint")
    REPORT = "report", pgettext_lazy("demand type", "Report of wrongdoing")
    SUGGESTION = "suggestion", pgettext_lazy("demand type", "Suggestion")
    PRAISE = "praise", pgettext_lazy("demand type", "Praise")


OPEN_STATUSES = (
    ComplaintStatus.SUBMITTED,
    ComplaintStatus.ASSIGNED,
    ComplaintStatus.ACCEPTED,
    ComplaintStatus.IN_PROGRESS,
    ComplaintStatus.RETURNED,
    ComplaintStatus.REOPENED,
)


class Complaint(models.Model):
    """A demand filed by a resident (工单). Its state moves only through
    `complaints.services.lifecycle`, which records an event for every move."""

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True)
    category = models.ForeignKey(
        "complaints.Category", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("category")
    )
    region = models.ForeignKey(
        "complaints.Region", on_delete=models.PROTECT, related_name="complaints", verbose_name=_("place")
    )
    address = models.CharField(_("address"), max_length=200)
    description = models.TextField(_("description"), max_length=2000)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    # The answers to the category's extra questions, by question code: a string, or a
    # list of keys for a multi-value list.
    answers = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)
    # The place came from a map point or an address the portal could not pin down
    # to a street with certainty: the 12345 centre confirms it and clears the flag.
    place_to_confirm = models.BooleanField(_("place to confirm"), default=False)
    # The emergency words (WHISTLE_EMERGENCY_WORDS) the demand mentioned when filed, in
    # the list's order: they made it urgent and put it first in triage.
    emergency_words = models.JSONField(_("emergency words"), default=list, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    demand_type = models.CharField(
        _("demand type"), max_length=12, choices=DemandType.choices, default=DemandType.COMPLAINT
    )
    # A new demand from the same phone about the same sub-category in the same street
    # within the category's duplicate window is a repeat (重复件) of the first one.
    repeat_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="repeats",
        verbose_name=_("repeat of"),
    )
    # The hotline operator who filed it for a caller (None when the resident filed it).
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints_filed",
        verbose_name=_("filed by"),
    )

    resident_name = models.CharField(_("name"), max_length=50)
    resident_phone = models.CharField(_("phone"), max_length=20)
    resident_email = models.EmailField(_("e-mail"), blank=True)
    hide_name = models.BooleanField(_("hide my name from the handling unit"), default=False)
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="complaints"
    )
    # The language the resident filed in (a code of settings.LANGUAGES): messages to
    # them are written in it, whoever triggers them. Empty means the portal's language.
    language = models.CharField(_("language"), max_length=10, blank=True, default="")
    # Set when the resident followed the stop link in a message: no more messages.
    notices_stopped_at = models.DateTimeField(_("messages stopped at"), null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.SUBMITTED
    )
    # A merged complaint follows its lead: its resident watches the lead's progress.
    # PROTECT: a lead with followers is never deleted from under them.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followers",
        verbose_name=_("merged into"),
    )
    # What the follower was when merged, kept for the record of an unmerge.
    merged_from_status = models.CharField(
        _("status before the merge"), max_length=12, choices=ComplaintStatus.choices, blank=True
    )
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL)
    # Bumped on every state move: a staff form carries it, and a stale one is refused.
    version = models.PositiveIntegerField(default=1)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    # The resident form's one-time token: a double submit finds the first complaint.
    submission_token = models.UUIDField(unique=True, null=True, blank=True, editable=False)

    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="complaint_status_submitted"),
            models.Index(fields=["status", "resolved_at"], name="complaint_status_resolved"),
            # Duplicate detection: same category, filed within a window.
            models.Index(fields=["category", "submitted_at"], name="complaint_category_submitted"),
            # A caller's history on the hotline desk and repeat linking: one phone, newest first.
            models.Index(fields=["resident_phone", "submitted_at"], name="complaint_phone_submitted"),
            # Triage's "similar orders": one category in one street's places lately, matched on both ids.
            models.Index(fields=["category", "region", "submitted_at"], name="complaint_category_region"),
            # Triage puts open orders with emergency words first: this small index is their list.
            models.Index(
                fields=["id"],
                condition=~models.Q(emergency_words=[])
                & models.Q(status__in=["submitted", "assigned", "accepted", "in_progress", "returned", "reopened"]),
                name="complaint_open_emergency",
            ),
            # Reports count the demands filed in a period by type and channel from the index alone;
            # it carries the id too, which the received breakdown matches to each lead assignment.
            models.Index(
                fields=["submitted_at"], include=["demand_type", "channel", "id"], name="complaint_submitted_kinds"
            ),
            # Hot spots join a month's assignments to their complaints' category and place: this
            # narrow copy is read instead of the wide table.
            models.Index(fields=["id"], include=["category", "region"], name="complaint_report_keys"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True) | models.Q(latitude__gte=-90, latitude__lte=90),
                name="complaint_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True) | models.Q(longitude__gte=-180, longitude__lte=180),
                name="complaint_longitude_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("pk")), name="complaint_not_merged_into_itself"
            ),
            # One way only: the merge moves the status first and the unmerge clears
            # the link first, so each save along the way satisfies it.
            models.CheckConstraint(
                condition=models.Q(merged_into__isnull=True) | models.Q(status="merged"),
                name="complaint_merged_into_only_when_merged",
            ),
        ]

    def __str__(self):
        return self.tracking_number

    def get_absolute_url(self):
        return reverse("complaints:track_detail", args=[self.tracking_number])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.resident_phone)

    @property
    def masked_name(self) -> str:
        return mask_name(self.resident_name)


def mask_phone(phone: str) -> str:
    if len(phone) <= 4:
        return "*" * len(phone)
    keep_head = 3 if len(phone) >= 11 else 0
    return phone[:keep_head] + "*" * (len(phone) - keep_head - 4) + phone[-4:]


def mask_name(name: str) -> str:
    return (name[:1] + "*" * max(len(name) - 1, 1)) if name else ""
