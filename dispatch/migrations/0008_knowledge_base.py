import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

# The knowledge search filters with `icontains`, which PostgreSQL runs as
# UPPER(col::text) LIKE UPPER('%…%'): a trigram index over that very expression
# serves it, however many articles there are. SQLite has no pg_trgm; it scans,
# which is fine for a development database.
TRIGRAM_INDEXES = {
    "knowledge_title_trgm": "title",
    "knowledge_answer_trgm": "answer",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON dispatch_knowledgearticle "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    # The extension stays: other tables may use it, and it costs nothing idle.
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def _valid_dates_in_order():
    return models.Q(("valid_until__isnull", True), ("valid_until__gte", models.F("valid_from")), _connector="OR")


class Migration(migrations.Migration):
    dependencies = [("dispatch", "0007_triage_place_to_confirm")]

    operations = [
        migrations.CreateModel(
            name="KnowledgeArticle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("answer", models.TextField(verbose_name="answer")),
                ("valid_from", models.DateField(verbose_name="valid from")),
                (
                    "valid_until",
                    models.DateField(
                        blank=True, help_text="Empty: no end date.", null=True, verbose_name="valid until"
                    ),
                ),
                (
                    "source_document",
                    models.CharField(
                        blank=True,
                        help_text="The document the answer rests on: its name and number.",
                        max_length=200,
                        verbose_name="source document",
                    ),
                ),
                ("source_url", models.URLField(blank=True, max_length=500, verbose_name="source link")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="created"),
                ),
                (
                    "updated_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="updated"),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False, verbose_name="version")),
                ("use_count", models.PositiveIntegerField(default=0, editable=False, verbose_name="times used")),
                (
                    "last_used_at",
                    models.DateTimeField(blank=True, editable=False, null=True, verbose_name="last used"),
                ),
                ("is_archived", models.BooleanField(default=False, verbose_name="archived")),
                (
                    "author",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="author",
                    ),
                ),
                (
                    "categories",
                    models.ManyToManyField(
                        blank=True,
                        related_name="knowledge_articles",
                        to="complaints.category",
                        verbose_name="categories",
                    ),
                ),
            ],
            options={
                "verbose_name": "knowledge article",
                "verbose_name_plural": "knowledge articles",
                "ordering": ["-updated_at", "-pk"],
                "constraints": [
                    models.CheckConstraint(condition=_valid_dates_in_order(), name="knowledge_valid_until_after_from"),
                    models.CheckConstraint(condition=models.Q(("version__gte", 1)), name="knowledge_version_positive"),
                    models.CheckConstraint(
                        condition=models.Q(("title", ""), _negated=True), name="knowledge_title_not_empty"
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="KnowledgeArticleVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("version", models.PositiveIntegerField(verbose_name="version")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                ("answer", models.TextField(verbose_name="answer")),
                ("category_ids", models.JSONField(blank=True, default=list, verbose_name="categories")),
                ("valid_from", models.DateField(verbose_name="valid from")),
                ("valid_until", models.DateField(blank=True, null=True, verbose_name="valid until")),
                ("source_document", models.CharField(blank=True, max_length=200, verbose_name="source document")),
                ("source_url", models.URLField(blank=True, max_length=500, verbose_name="source link")),
                ("edited_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="edited")),
                (
                    "article",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="versions",
                        to="dispatch.knowledgearticle",
                        verbose_name="article",
                    ),
                ),
                (
                    "edited_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="edited by",
                    ),
                ),
            ],
            options={
                "verbose_name": "knowledge article version",
                "verbose_name_plural": "knowledge article versions",
                "ordering": ["article", "-version"],
                "constraints": [
                    models.UniqueConstraint(fields=("article", "version"), name="knowledge_version_unique"),
                    models.CheckConstraint(
                        condition=_valid_dates_in_order(), name="knowledge_version_valid_until_after_from"
                    ),
                ],
            },
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
