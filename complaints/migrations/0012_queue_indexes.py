from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0011_report_indexes")]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["category", "region"], name="complaint_category_region"),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["id"],
                condition=~models.Q(emergency_words=[])
                & models.Q(status__in=["submitted", "assigned", "accepted", "in_progress", "returned", "reopened"]),
                name="complaint_open_emergency",
            ),
        ),
    ]
