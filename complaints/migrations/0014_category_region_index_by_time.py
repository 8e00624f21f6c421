from django.db import migrations, models


class Migration(migrations.Migration):
    """Triage's similar orders are those filed lately: the (category, region) index
    carries the filing time, so a street's old orders of a category are never read."""

    dependencies = [("complaints", "0013_submitted_kinds_carry_id")]

    operations = [
        migrations.RemoveIndex(model_name="complaint", name="complaint_category_region"),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["category", "region", "submitted_at"], name="complaint_category_region"),
        ),
    ]
