from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0010_demand_type_repeats_phone_ratings")]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["submitted_at"], include=("demand_type", "channel"), name="complaint_submitted_kinds"
            ),
        ),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["id"], include=("category", "region"), name="complaint_report_keys"),
        ),
        migrations.AddIndex(
            model_name="rating",
            index=models.Index(fields=["created_at"], name="rating_created"),
        ),
    ]
