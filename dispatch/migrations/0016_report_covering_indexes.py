from django.db import migrations, models


class Migration(migrations.Migration):
    """Two report indexes carry what their queries read, so neither reads the table:
    the open-due index the unit (the overdue report's count per unit), and the received
    rollup's (root, day) index the sums (a year of a root's breakdown)."""

    dependencies = [("dispatch", "0015_report_rollup")]

    operations = [
        migrations.RemoveIndex(model_name="assignment", name="assignment_open_due"),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("next_due__isnull", False)),
                fields=["next_due"],
                include=("unit",),
                name="assignment_open_due",
            ),
        ),
        migrations.RemoveIndex(model_name="rollupreceivedday", name="rollup_received_root_day"),
        migrations.AddIndex(
            model_name="rollupreceivedday",
            index=models.Index(
                fields=["root", "day"],
                include=("demand_type", "channel", "complaints"),
                name="rollup_received_root_day",
            ),
        ),
    ]
