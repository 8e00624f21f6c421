from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0011_reply_templates")]

    operations = [
        migrations.AlterField(
            model_name="triageitem",
            name="reason",
            field=models.CharField(
                choices=[
                    ("no_rule", "No routing rule matched"),
                    ("returned", "Returned by the unit"),
                    ("disputed", "Disputed"),
                    ("place", "Place to confirm"),
                    ("emergency", "Emergency words"),
                ],
                max_length=10,
                verbose_name="reason",
            ),
        ),
    ]
