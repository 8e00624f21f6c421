from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("complaints", "0008_resident_notices")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="emergency_words",
            field=models.JSONField(blank=True, default=list, verbose_name="emergency words"),
        ),
    ]
