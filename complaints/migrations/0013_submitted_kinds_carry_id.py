from django.db import migrations, models


class Migration(migrations.Migration):
    """The submitted-kinds index carries the id: the received breakdown of a period's live
    days joins each demand to its lead assignment by id, and read it from the table."""

    dependencies = [("complaints", "0012_queue_indexes")]

    operations = [
        migrations.RemoveIndex(model_name="complaint", name="complaint_submitted_kinds"),
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(
                fields=["submitted_at"], include=("demand_type", "channel", "id"), name="complaint_submitted_kinds"
            ),
        ),
    ]
