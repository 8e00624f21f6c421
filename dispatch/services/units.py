from complaints.models import Region
from dispatch.models import Unit


def unit_path(*, parent: Unit | None, code: str) -> str:
    return f"{parent.path if parent else ''}{code}/"


def unit_upsert(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    region: Region | None = None,
    department_kind: str = "",
) -> Unit:
    """Create or update a unit by code, keeping its tree path right. Idempotent."""
    unit, _created = Unit.objects.update_or_create(
        code=code,
        defaults={
            "name": name,
            "kind": kind,
            "parent": parent,
            "region": region,
            "department_kind": department_kind,
            "path": unit_path(parent=parent, code=code),
        },
    )
    return unit
