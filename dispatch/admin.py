"""Admin for the org tree, people's roles, and routing. Assignments and triage
items are shown read-only: they change only through the dispatch services."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Exists, OuterRef, URLField
from django.utils.translation import gettext_lazy as _

from complaints.admin import ComplaintAdmin
from complaints.models import Complaint
from dispatch.models import (
    Alert,
    Assignment,
    CalendarOverride,
    CallbackAttempt,
    DeadlinePolicy,
    DirectAnswer,
    Extension,
    Membership,
    Notification,
    PersonalDataDoor,
    PersonalDataView,
    Role,
    RoutingRule,
    TargetKind,
    TriageItem,
    Unit,
)
from dispatch.models.knowledge import KnowledgeArticle, KnowledgeArticleVersion
from dispatch.services.audit import personal_data_view_record
from dispatch.services.unit_tree import unit_is_own_ancestor, unit_save_in_tree
from portal.admin import ReadOnlyAdmin

User = get_user_model()


class UnitMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["user"]


class UnitAdminForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["code", "name", "kind", "department_kind", "parent", "region", "is_active"]

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if unit_is_own_ancestor(unit=self.instance, parent=parent):
            raise forms.ValidationError(_("A unit cannot be placed under itself or one of its own units."))
        return parent


def _has_member(role: str) -> Exists:
    return Exists(Membership.objects.filter(unit=OuterRef("pk"), role=role, user__is_active=True))


class UnitStaffingFilter(admin.SimpleListFilter):
    """Units an alert cannot stop at: nobody to handle their orders or to hear of a
    breach. The sweep passes such alerts up the tree, but the gap is for an admin to fill."""

    title = _("staffing")
    parameter_name = "staffing"

    def lookups(self, request, model_admin):
        return [("no_handler", _("No handler")), ("no_supervisor", _("No supervisor"))]

    def queryset(self, request, queryset):
        if self.value() == "no_handler":
            return queryset.filter(has_handler=False)
        if self.value() == "no_supervisor":
            return queryset.filter(has_supervisor=False)
        return queryset


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = [
        "name",
        "code",
        "kind",
        "department_kind",
        "parent",
        "region",
        "is_active",
        "handler_present",
        "supervisor_present",
    ]
    list_filter = [UnitStaffingFilter, "kind", "department_kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "region"]
    list_select_related = ["parent", "region"]
    readonly_fields = ["path"]
    inlines = [UnitMembershipInline]

    def get_queryset(self, request):
        # In SQL, one query for the page: no count per row.
        return (
            super()
            .get_queryset(request)
            .annotate(has_handler=_has_member(Role.HANDLER), has_supervisor=_has_member(Role.SUPERVISOR))
        )

    @admin.display(description=_("handler"), boolean=True, ordering="has_handler")
    def handler_present(self, obj):
        return obj.has_handler

    @admin.display(description=_("supervisor"), boolean=True, ordering="has_supervisor")
    def supervisor_present(self, obj):
        return obj.has_supervisor

    def save_model(self, request, obj, form, change):
        # The path (and the subtree's paths) follow a new parent or code.
        unit_save_in_tree(unit=obj)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "unit", "role"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name", "unit__code"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class RoutingRuleAdminForm(forms.ModelForm):
    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "category",
            "region",
            "target_kind",
            "target_unit",
            "department_kind",
            "priority",
            "is_active",
        ]

    def clean(self):
        # The same conditions as the model's check constraints, said on the field that is missing.
        data = super().clean()
        kind = data.get("target_kind")
        if kind == TargetKind.FIXED and not data.get("target_unit"):
            self.add_error("target_unit", _("A rule with a fixed target needs the unit."))
        if kind == TargetKind.DISTRICT_DEPARTMENT and not data.get("department_kind"):
            self.add_error("department_kind", _("Say which kind of district department."))
        return data


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    form = RoutingRuleAdminForm
    list_display = [
        "name",
        "category",
        "region",
        "target_kind",
        "target_unit",
        "department_kind",
        "priority",
        "is_active",
    ]
    list_filter = ["target_kind", "department_kind", "is_active"]
    search_fields = ["name", "category__code", "category__name", "region__name", "region__code"]
    autocomplete_fields = ["category", "region", "target_unit"]
    list_select_related = ["category__parent", "region", "target_unit"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "unit", "holder", "status", "reason", "assigned_at", "next_due"]
    list_filter = ["status", "reason", "unit__kind"]
    search_fields = ["complaint__tracking_number", "unit__name", "unit__code"]
    list_select_related = ["complaint", "unit", "holder"]
    raw_id_fields = ["complaint", "unit", "holder", "rule", "assigned_by"]
    date_hierarchy = "assigned_at"


@admin.register(TriageItem)
class TriageItemAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "reason", "created_at", "closed_at", "closed_by"]
    list_filter = ["reason", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["complaint__tracking_number", "note"]
    list_select_related = ["complaint", "closed_by"]
    raw_id_fields = ["complaint", "closed_by"]


class UserMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["unit"]


admin.site.unregister(User)


@admin.register(User)
class WhistleUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, UserMembershipInline]


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["day", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "day"
    search_fields = ["note"]


# Deadlines: policies are configured here; extensions, alerts and notifications are
# written by the services (decisions, the sweep) and only shown.


class DeadlinePolicyAdminForm(forms.ModelForm):
    """The model's check constraints, said on the field that breaks them."""

    class Meta:
        model = DeadlinePolicy
        fields = [
            "name",
            "category",
            "priority",
            "contact_within",
            "contact_unit",
            "resolve_within",
            "resolve_unit",
            "report_within_minutes",
            "warn_share",
            "escalate_after_hours",
            "is_active",
        ]

    def _positive(self, field):
        value = self.cleaned_data.get(field)
        if value is not None and value <= 0:
            raise forms.ValidationError(_("Must be more than zero."))
        return value

    def clean_contact_within(self):
        return self._positive("contact_within")

    def clean_resolve_within(self):
        return self._positive("resolve_within")

    def clean_report_within_minutes(self):
        return self._positive("report_within_minutes")

    def clean_escalate_after_hours(self):
        return self._positive("escalate_after_hours")

    def clean_warn_share(self):
        value = self.cleaned_data.get("warn_share")
        if value is not None and not 0 < value < 1:
            raise forms.ValidationError(_("A share between 0 and 1: 0.8 warns when four fifths of the time is used."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("is_active") and data.get("priority") and "category" not in self.errors:
            clash = DeadlinePolicy.objects.filter(
                category=data.get("category"), priority=data["priority"], is_active=True
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "category",
                    _("Another active policy already covers this category and priority: %(name)s.")
                    % {"name": clash.first().name},
                )
        return data


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    form = DeadlinePolicyAdminForm
    list_display = DeadlinePolicyAdminForm.Meta.fields
    list_filter = ["priority", "is_active", "contact_unit", "resolve_unit"]
    search_fields = ["name", "category__code", "category__name"]
    autocomplete_fields = ["category"]
    list_select_related = ["category__parent"]


@admin.register(Extension)
class ExtensionAdmin(ReadOnlyAdmin):
    list_display = [
        "assignment",
        "status",
        "previous_due",
        "requested_due",
        "requested_by",
        "requested_at",
        "decided_by",
    ]
    list_filter = ["status"]
    search_fields = ["assignment__complaint__tracking_number", "reason"]
    list_select_related = ["assignment", "requested_by", "decided_by"]
    raw_id_fields = ["assignment", "requested_by", "decided_by"]
    date_hierarchy = "requested_at"


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ["assignment", "kind", "level", "unit", "due", "created_at"]
    list_filter = ["kind", "level"]
    search_fields = ["assignment__complaint__tracking_number", "unit__name", "unit__code"]
    list_select_related = ["assignment", "unit"]
    raw_id_fields = ["assignment", "unit"]
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["user", "alert", "created_at", "read_at"]
    list_filter = [("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["user__username", "alert__assignment__complaint__tracking_number"]
    list_select_related = ["user", "alert"]
    raw_id_fields = ["user", "alert"]


admin.site.unregister(Complaint)


@admin.register(Complaint)
class AuditedComplaintAdmin(ComplaintAdmin):
    """The complaint admin shows the resident's full contact details: each time it
    does, that is written to the personal data log like any other door. (complaints
    cannot import dispatch, so dispatch wraps its admin.)"""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            personal_data_view_record(user=request.user, complaint=obj, door=PersonalDataDoor.ADMIN)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(PersonalDataView)
class PersonalDataViewAdmin(ReadOnlyAdmin):
    """The personal data log, for reading only: no add, change or delete for anyone,
    superusers included (ReadOnlyAdmin does not ask the user's permissions)."""

    list_display = ["at", "user", "complaint", "door"]
    list_filter = ["door"]
    search_fields = ["complaint__tracking_number", "user__username"]
    list_select_related = ["user", "complaint"]
    raw_id_fields = ["user", "complaint"]
    date_hierarchy = "at"
    ordering = ["-at", "-pk"]


class KnowledgeArticleVersionInline(admin.TabularInline):
    model = KnowledgeArticleVersion
    fields = ["version", "title", "valid_from", "valid_until", "source_document", "edited_by", "edited_at"]
    readonly_fields = fields
    ordering = ["-version"]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(KnowledgeArticle)
class KnowledgeArticleAdmin(ReadOnlyAdmin):
    """Shown here; written by the 12345 centre on the desk (/desk/knowledge/), where
    every edit is version-checked and kept in the history below."""

    list_display = ["title", "valid_from", "valid_until", "version", "use_count", "last_used_at", "is_archived"]
    list_filter = ["is_archived", "categories__parent"]
    search_fields = ["title", "answer", "source_document"]
    list_select_related = ["author"]
    date_hierarchy = "updated_at"
    inlines = [KnowledgeArticleVersionInline]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}


@admin.register(DirectAnswer)
class DirectAnswerAdmin(ReadOnlyAdmin):
    """Consultations the hotline answered from the knowledge base: written only by the hotline desk."""

    list_display = ["complaint", "article", "article_version", "operator", "answered_at"]
    search_fields = ["complaint__tracking_number", "article__title"]
    list_select_related = ["complaint", "article", "operator"]
    raw_id_fields = ["complaint", "article", "operator"]


@admin.register(CallbackAttempt)
class CallbackAttemptAdmin(ReadOnlyAdmin):
    """Callbacks nobody answered: written only by the callback queue."""

    list_display = ["complaint", "round", "operator", "attempted_at"]
    search_fields = ["complaint__tracking_number"]
    list_select_related = ["complaint", "operator"]
    raw_id_fields = ["complaint", "operator"]
