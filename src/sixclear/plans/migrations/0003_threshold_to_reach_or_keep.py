
from decimal import Decimal

from django.db import migrations, models

FOUR_PLACES = Decimal("0.0001")


def _meets(value, threshold, direction):
    return value <= threshold if direction == "lower" else value >= threshold


def split_thresholds(apps, schema_editor):
    """Thresholds already met at the baseline become thresholds to keep (their path, the
    threshold every year, does not change); the others are thresholds to reach, and their
    computed path becomes a straight line from the baseline to the threshold. A path drawn by
    hand is kept as drawn. (The calculation is written out here, as it stood when the kinds
    were split, so that the migration does not change if the code does.)"""
    Target = apps.get_model("plans", "Target")
    TrajectoryPoint = apps.get_model("plans", "TrajectoryPoint")
    for target in Target.objects.filter(kind="threshold", target_value__isnull=False):
        if _meets(target.baseline_value, target.target_value, target.direction):
            Target.objects.filter(pk=target.pk).update(kind="threshold_keep")
            continue
        if target.trajectory_is_custom:
            continue
        total = target.target_year - target.baseline_year
        for point in TrajectoryPoint.objects.filter(target=target):
            done = point.year - target.baseline_year
            if not 0 < done <= total:
                continue
            value = target.baseline_value + (
                target.target_value - target.baseline_value) * Decimal(done) / Decimal(total)
            TrajectoryPoint.objects.filter(pk=point.pk).update(
                expected_value=value.quantize(FOUR_PLACES), expected_high=None)


def join_thresholds(apps, schema_editor):
    Target = apps.get_model("plans", "Target")
    TrajectoryPoint = apps.get_model("plans", "TrajectoryPoint")
    Target.objects.filter(kind="threshold_keep").update(kind="threshold")
    for target in Target.objects.filter(kind="threshold", trajectory_is_custom=False):
        TrajectoryPoint.objects.filter(target=target).update(
            expected_value=target.target_value, expected_high=None)


class Migration(migrations.Migration):

    dependencies = [
        ('plans', '0002_historicaltarget_indicator_target_indicator'),
    ]

    operations = [
        migrations.AlterField(
            model_name='historicaltarget',
            name='kind',
            field=models.CharField(choices=[('annual_growth', 'Annual growth rate'), ('growth_range', 'Average growth within a range'), ('cumulative', 'Cumulative amount over the term'), ('count', 'Count'), ('threshold', 'Threshold to reach by the target year'), ('threshold_keep', 'Threshold to keep every year'), ('yes_no', 'Yes or no')], max_length=20, verbose_name='kind'),
        ),
        migrations.AlterField(
            model_name='target',
            name='kind',
            field=models.CharField(choices=[('annual_growth', 'Annual growth rate'), ('growth_range', 'Average growth within a range'), ('cumulative', 'Cumulative amount over the term'), ('count', 'Count'), ('threshold', 'Threshold to reach by the target year'), ('threshold_keep', 'Threshold to keep every year'), ('yes_no', 'Yes or no')], max_length=20, verbose_name='kind'),
        ),
        migrations.RunPython(split_thresholds, join_thresholds),
    ]
