"""Every task gets a code: tasks drafted on the pages had none, and a spreadsheet row finds its
task by code, so their export could not be imported back."""

from django.db import migrations

from sixclear.tracking.codes import next_task_code


def fill_codes(apps, schema_editor):
    Task = apps.get_model("tracking", "Task")
    blank = Task.objects.filter(code="").order_by("unit_id", "created_at", "pk")
    for task in blank.iterator():
        year = task.created_at.year
        task.code = next_task_code(Task, task.unit_id, year)
        Task.objects.filter(pk=task.pk).update(code=task.code)
        # simple-history's records keep the code the task had then; only the live row changes.


class Migration(migrations.Migration):
    dependencies = [("tracking", "0003_awaiting_indexes")]

    operations = [migrations.RunPython(fill_codes, migrations.RunPython.noop, elidable=True)]
