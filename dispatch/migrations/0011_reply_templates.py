import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0010_personal_data_audit"),
        ("complaints", "0008_resident_notices"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="ReplyTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "purpose",
                    models.CharField(
                        choices=[
                            ("contact", "Contact record"),
                            ("resolve", "Resolve reply"),
                            ("return", "Return reason"),
                        ],
                        max_length=8,
                        verbose_name="used for",
                    ),
                ),
                ("title", models.CharField(max_length=60, verbose_name="title")),
                ("text", models.TextField(max_length=1000, verbose_name="text")),
                ("is_active", models.BooleanField(default=True, verbose_name="active")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "category",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="reply_templates",
                        to="complaints.category",
                        verbose_name="category",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reply_templates",
                        to="dispatch.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "reply template",
                "verbose_name_plural": "reply templates",
                "ordering": ["purpose", "title"],
                "indexes": [models.Index(fields=["purpose", "is_active"], name="replytemplate_purpose_active")],
            },
        ),
    ]
