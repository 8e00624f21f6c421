"""Moving a unit in the org tree: its `path` and every descendant's path follow,
so "everything under this unit" stays one prefix match."""

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext as _

from dispatch.models import Unit
from dispatch.services.units import unit_path
from portal.errors import ActionRefused


def unit_is_own_ancestor(*, unit: Unit, parent: Unit | None) -> bool:
    """Would putting `unit` under `parent` make a loop? Judged by the stored paths."""
    if parent is None or unit.pk is None:
        return False
    stored_path = Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first()
    return parent.pk == unit.pk or bool(stored_path and parent.path.startswith(stored_path))


def unit_save_in_tree(*, unit: Unit) -> Unit:
    """Save a unit whose parent or code may have changed, and re-path its subtree
    in one UPDATE. Refuses to make a unit its own ancestor."""
    with transaction.atomic():
        if unit_is_own_ancestor(unit=unit, parent=unit.parent):
            raise ActionRefused(_("A unit cannot be placed under itself or one of its own units."))
        old_path = Unit.objects.filter(pk=unit.pk).values_list("path", flat=True).first() if unit.pk else None
        unit.path = unit_path(parent=unit.parent, code=unit.code)
        unit.save()
        if old_path and old_path != unit.path:
            Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).update(
                path=Concat(Value(unit.path), Substr("path", len(old_path) + 1), output_field=CharField())
            )
        return unit
