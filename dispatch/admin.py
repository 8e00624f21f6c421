"""Admin for the org tree, people's roles, and routing. Assignments and triage
items are shown read-only: they change only through the dispatch services."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from dispatch.models import Assignment, CalendarOverride, Membership, RoutingRule, TargetKind, TriageItem, Unit
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


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    form = UnitAdminForm
    list_display = ["name", "code", "kind", "department_kind", "parent", "region", "is_active"]
    list_filter = ["kind", "department_kind", "is_active"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["parent", "region"]
    list_select_related = ["parent", "region"]
    readonly_fields = ["path"]
    inlines = [UnitMembershipInline]

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
