from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DispatchConfig(AppConfig):
    name = "dispatch"
    verbose_name = _("Dispatch")

    def ready(self):
        from dispatch import receivers

        receivers.connect()
        self._forget_snapshots_on_writes()

    @staticmethod
    def _forget_snapshots_on_writes():
        # As complaints' trees: connected here, so the admin's process tells the workers.
        # A rule names its category and region by code, and a unit the place it serves.
        from django.db.models.signals import post_delete, post_save

        from complaints.models import Category, Region
        from dispatch.models import RoutingRule, Unit
        from dispatch.selectors.offered_units import offered_units_forget
        from dispatch.services.routing_snapshot import routing_snapshot_forget

        for signal, event in ((post_save, "saved"), (post_delete, "deleted")):
            for model in (RoutingRule, Unit, Category, Region):
                signal.connect(
                    routing_snapshot_forget, sender=model, dispatch_uid=f"routing-forget-{event}-{model.__name__}"
                )
            # The units an order page offers: a unit, and the place a department's parent serves.
            for model in (Unit, Region):
                signal.connect(
                    offered_units_forget, sender=model, dispatch_uid=f"offered-units-forget-{event}-{model.__name__}"
                )
