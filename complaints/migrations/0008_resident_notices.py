import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def existing_in_portal_language(apps, schema_editor):
    # Complaints filed before this migration were filed in the portal's language.
    apps.get_model("complaints", "Complaint").objects.filter(language="").update(language=settings.LANGUAGE_CODE)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_event_facts")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="language",
            field=models.CharField(blank=True, default="", max_length=10, verbose_name="language"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="notices_stopped_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="messages stopped at"),
        ),
        migrations.RunPython(existing_in_portal_language, migrations.RunPython.noop, elidable=True),
        migrations.CreateModel(
            name="ResidentNotice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "channel",
                    models.CharField(
                        choices=[("email", "E-mail"), ("sms", "Text message")], max_length=8, verbose_name="channel"
                    ),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Queued"),
                            ("sending", "Sending"),
                            ("sent", "Sent successfully"),
                            ("failed", "Failed"),
                            ("stopped", "Not sent: stopped by the resident"),
                        ],
                        default="queued",
                        max_length=8,
                        verbose_name="status",
                    ),
                ),
                ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="attempts")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="queued at")),
                ("attempted_at", models.DateTimeField(blank=True, null=True, verbose_name="last attempt at")),
                ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                ("last_error", models.CharField(blank=True, max_length=500, verbose_name="last error")),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="notices",
                        to="complaints.complaintevent",
                        verbose_name="event",
                    ),
                ),
            ],
            options={
                "verbose_name": "notice to a resident",
                "verbose_name_plural": "notices to residents",
                "ordering": ["-created_at", "-id"],
                "indexes": [models.Index(fields=["status", "created_at"], name="notice_status_created")],
                "constraints": [
                    models.UniqueConstraint(fields=("event", "channel"), name="notice_one_per_event_channel")
                ],
            },
        ),
    ]
