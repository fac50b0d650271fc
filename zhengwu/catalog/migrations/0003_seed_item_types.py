"""Seed the default 事项类型 dictionary (DOMAIN §2.3). Reversible; deployments edit labels' external codes."""

from django.db import migrations

ITEM_TYPES = [
    ("licensing", "行政许可", "on_application", "01", True),
    ("confirmation", "行政确认", "on_application", "07", False),
    ("payment", "行政给付", "on_application", "06", False),
    ("reward", "行政奖励", "on_application", "08", False),
    ("adjudication", "行政裁决", "on_application", "09", False),
    ("filing", "行政备案", "on_application", "11", False),
    ("other_power", "其他行政权力", "on_application", "20", False),
    ("public_service", "公共服务", "public_service", "21", False),
    ("penalty", "行政处罚", "not_on_application", "02", False),
    ("enforcement", "行政强制", "not_on_application", "03", False),
    ("levy", "行政征收", "not_on_application", "04", False),
    ("inspection", "行政检查", "not_on_application", "10", False),
]


def seed(apps, schema_editor):
    ItemType = apps.get_model("catalog", "ItemType")
    for order, (key, label, group, code, licensing) in enumerate(ITEM_TYPES, start=1):
        ItemType.objects.update_or_create(
            key=key,
            defaults={"label": label, "group": group, "external_code": code, "licensing_clock": licensing,
                      "sort_order": order},
        )


def unseed(apps, schema_editor):
    apps.get_model("catalog", "ItemType").objects.filter(key__in=[row[0] for row in ITEM_TYPES]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_initial")]
    operations = [migrations.RunPython(seed, unseed)]
