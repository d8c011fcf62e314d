
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0003_threshold_to_reach_or_keep'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltarget',
            name='highest_possible',
            field=models.DecimalField(blank=True, decimal_places=4, help_text='Leave empty for no bound; a share in per cent is at most 100.', max_digits=20, null=True, verbose_name='highest possible value'),
        ),
        migrations.AddField(
            model_name='historicaltarget',
            name='lowest_possible',
            field=models.DecimalField(blank=True, decimal_places=4, help_text='Leave empty for no bound; a share in per cent is at least 0.', max_digits=20, null=True, verbose_name='lowest possible value'),
        ),
        migrations.AddField(
            model_name='target',
            name='highest_possible',
            field=models.DecimalField(blank=True, decimal_places=4, help_text='Leave empty for no bound; a share in per cent is at most 100.', max_digits=20, null=True, verbose_name='highest possible value'),
        ),
        migrations.AddField(
            model_name='target',
            name='lowest_possible',
            field=models.DecimalField(blank=True, decimal_places=4, help_text='Leave empty for no bound; a share in per cent is at least 0.', max_digits=20, null=True, verbose_name='lowest possible value'),
        ),
    ]
