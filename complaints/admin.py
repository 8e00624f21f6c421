"""Admin for what residents file. Places and categories are configured here;
complaints are read-mostly: their state moves only through the services, so the
admin shows status and version but never edits them."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from complaints.admin_photos import PhotoInline
from complaints.models import Category, CategoryQuestion, Complaint, ComplaintEvent, Rating, Region, ResidentNotice
from portal.admin import ReadOnlyAdmin


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    ordering = ["code"]


class CategoryQuestionForm(forms.ModelForm):
    class Meta:
        model = CategoryQuestion
        fields = [
            "code",
            "order",
            "is_active",
            "prompt",
            "prompt_en",
            "datatype",
            "variable",
            "required",
            "datatype_description",
            "values",
        ]
        help_texts = {
            "values": _(
                'Only for a list: [{"key": "night", "name": "夜间", "name_en": "At night"}, …]. '
                "Answers store the keys, so keep a key once residents have used it."
            ),
        }

    def clean_values(self):
        # An emptied box means "no choices", which the column stores as [], not NULL.
        return self.cleaned_data.get("values") or []


class CategoryQuestionInline(admin.StackedInline):
    """A category's extra questions; a group's are asked for each of its
    sub-categories. The model's clean() checks the choices against the type."""

    model = CategoryQuestion
    form = CategoryQuestionForm
    extra = 0
    fields = [
        ("code", "order", "is_active"),
        ("prompt", "prompt_en"),
        ("datatype", "variable", "required"),
        "datatype_description",
        "values",
    ]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "parent", "default_priority", "sort_order", "is_active"]
    list_filter = ["is_active", "default_priority", ("parent", admin.RelatedOnlyFieldListFilter)]
    list_editable = ["sort_order", "is_active"]
    search_fields = ["code", "name", "name_en"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    inlines = [CategoryQuestionInline]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ComplaintEventInline(ReadOnlyInline):
    model = ComplaintEvent
    fields = ["created_at", "kind", "is_public", "actor_label", "message"]
    readonly_fields = fields
    ordering = ["created_at", "id"]


class RatingInline(ReadOnlyInline):
    model = Rating
    fields = ["round", "solved", "satisfaction", "comment", "created_at"]
    readonly_fields = fields


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = [
        "tracking_number",
        "category",
        "region",
        "status",
        "priority",
        "demand_type",
        "channel",
        "submitted_at",
    ]
    list_filter = [
        "status",
        "priority",
        "demand_type",
        "channel",
        ("category__parent", admin.RelatedOnlyFieldListFilter),
        "submitted_at",
    ]
    search_fields = ["tracking_number", "address"]
    date_hierarchy = "submitted_at"
    list_select_related = ["category__parent", "region"]
    autocomplete_fields = ["category", "region"]
    raw_id_fields = ["resident"]
    readonly_fields = [
        "tracking_number",
        "status",
        # Set by the door it came in through, and by the hotline desk.
        "channel",
        "demand_type",
        "repeat_of",
        "filed_by",
        # Changed by the 12345 centre on the desk, where the due times follow it.
        "priority",
        "version",
        "reopen_count",
        "submitted_at",
        "resolved_at",
        "closed_at",
        "updated_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "tracking_number",
                    "status",
                    "priority",
                    "version",
                    "demand_type",
                    "channel",
                    "repeat_of",
                    "filed_by",
                    "category",
                    "region",
                    "address",
                    "description",
                ]
            },
        ),
        (_("Map pin"), {"fields": ["latitude", "longitude"], "classes": ["collapse"]}),
        (_("Resident"), {"fields": ["resident_name", "resident_phone", "resident_email", "hide_name", "resident"]}),
        (_("Times"), {"fields": ["submitted_at", "resolved_at", "closed_at", "updated_at", "reopen_count"]}),
    ]
    inlines = [ComplaintEventInline, RatingInline, PhotoInline]

    def has_add_permission(self, request):
        # A complaint is filed through complaint_submit, which records the event and routes it.
        return False

    def has_delete_permission(self, request, obj=None):
        # Complaints are the record of what residents asked; they are closed, not deleted.
        return False


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "kind", "is_public", "actor_label", "created_at"]
    list_filter = ["kind", "is_public"]
    search_fields = ["complaint__tracking_number", "actor_label"]
    list_select_related = ["complaint"]
    raw_id_fields = ["complaint", "actor"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "round", "solved", "satisfaction", "by_phone", "taken_by", "created_at"]
    list_filter = ["satisfaction", "solved", "by_phone"]
    search_fields = ["complaint__tracking_number"]
    list_select_related = ["complaint", "taken_by"]
    raw_id_fields = ["complaint", "taken_by"]


@admin.register(ResidentNotice)
class ResidentNoticeAdmin(ReadOnlyAdmin):
    """What was sent to whom, when, and why not: written only by the sending task."""

    list_display = ["event", "channel", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "channel"]
    search_fields = ["event__complaint__tracking_number"]
    list_select_related = ["event__complaint"]
    raw_id_fields = ["event"]
    readonly_fields = ["event", "channel", "status", "attempts", "created_at", "attempted_at", "sent_at", "last_error"]
