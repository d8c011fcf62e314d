"""Each unit's task rollup row carries a version that every recount of the unit advances: a
dashboard's cached figures are kept while the sum of the versions under its unit stays the
same. Existing rows start at 0; the next recount or rebuild moves them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('dashboards', '0004_review_counts'),
    ]

    operations = [
        migrations.AddField(
            model_name='unittaskrollup',
            name='version',
            field=models.PositiveBigIntegerField(default=0, verbose_name='version'),
        ),
    ]
