"""Demo reply templates (常用语): a few for 东华门街道 and the 12345 centre.
Idempotent: a template whose owner and title exist is left as it is, so a
handler's edits survive `make run`."""

from django.db import transaction

from complaints.models import Category
from dispatch.models import ReplyTemplate, TemplatePurpose, Unit

# (owner unit code or None for the centre, category code or None, purpose, title, text)
DEMO_TEMPLATES = (
    ("s-110101001", None, TemplatePurpose.CONTACT, "电话联系，约上门", "已电话联系市民，约定上门时间。"),
    ("s-110101001", None, TemplatePurpose.CONTACT, "电话未接通", "拨打市民电话未接通，已发送短信，稍后再次联系。"),
    (
        "s-110101001",
        "noise",
        TemplatePurpose.RESOLVE,
        "噪音已制止",
        "经现场核查，已对噪音源进行劝导制止，噪音已停止；我单位将持续关注，如再发生请再次反映。",
    ),
    (
        None,
        None,
        TemplatePurpose.RETURN,
        "不属本单位职责",
        "经核实，该诉求所涉事项不属于我单位职责范围，建议派至主管部门办理。",
    ),
    (
        None,
        None,
        TemplatePurpose.RESOLVE,
        "已按政策答复",
        "已向市民解释相关政策规定及办理途径，市民表示理解。",
    ),
)


@transaction.atomic
def reply_templates_seed() -> int:
    """Create the missing demo templates; returns how many were created."""
    units = {unit.code: unit for unit in Unit.objects.filter(code__in={row[0] for row in DEMO_TEMPLATES if row[0]})}
    categories = {
        category.code: category
        for category in Category.objects.filter(code__in={row[1] for row in DEMO_TEMPLATES if row[1]})
    }
    created = 0
    for unit_code, category_code, purpose, title, text in DEMO_TEMPLATES:
        unit = units.get(unit_code) if unit_code else None
        if unit_code and unit is None:
            continue  # the unit tree was not seeded (a city without 东华门街道)
        if category_code and category_code not in categories:
            continue  # never offer a noise reply for every category
        _, made = ReplyTemplate.objects.get_or_create(
            unit=unit,
            title=title,
            defaults={"purpose": purpose, "category": categories.get(category_code), "text": text},
        )
        created += made
    return created
