from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0013_centre_desk")]

    operations = [
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("role", "lead")),
                fields=["assigned_at"],
                include=("unit", "complaint"),
                name="assignment_lead_assigned",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("resolved_at__isnull", False), ("role", "lead")),
                fields=["resolved_at"],
                include=("unit",),
                name="assignment_lead_resolved",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("role", "lead"), models.Q(("status", "superseded"), _negated=True)),
                fields=["contact_due"],
                include=("unit", "contacted_at"),
                name="assignment_live_contact_due",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("role", "lead"), models.Q(("status", "superseded"), _negated=True)),
                fields=["resolve_due"],
                include=("unit", "resolved_at"),
                name="assignment_live_resolve_due",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("returned_at__isnull", False)),
                fields=["returned_at"],
                name="assignment_returned_time",
            ),
        ),
        migrations.AddIndex(
            model_name="assignment",
            index=models.Index(
                condition=models.Q(("report_due__isnull", False)), fields=["report_due"], name="assignment_report_due"
            ),
        ),
    ]
