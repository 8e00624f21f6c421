from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records written only by services (timelines, ratings, assignments): the
    admin shows them and never edits them, so the history stays what happened."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
