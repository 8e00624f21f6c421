from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "complaints"
    verbose_name = _("Complaints")

    def ready(self):
        # Connected here, not on import: a process that only edits categories (the
        # admin) must still tell the processes that file complaints to rebuild.
        from django.db.models.signals import post_delete, post_save

        from complaints.models import Category, CategoryQuestion, Region
        from complaints.services.categories import category_tree_forget
        from complaints.services.regions import place_tree_forget

        snapshots = (
            (Category, category_tree_forget),
            (CategoryQuestion, category_tree_forget),
            (Region, place_tree_forget),
        )
        for model, forget in snapshots:
            for signal, event in ((post_save, "saved"), (post_delete, "deleted")):
                signal.connect(forget, sender=model, dispatch_uid=f"snapshot-forget-{event}-{model.__name__}")
