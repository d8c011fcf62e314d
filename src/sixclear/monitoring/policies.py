"""Which monitoring policy governs which units: the nearest one above, or the default."""

from django.db.models import Q

from sixclear.orgs.selectors import ancestor_paths

from .models import DEFAULT_POLICY, MonitoringPolicy


def policy_groups(unit_field="unit"):
    """[(policy, filter)] covering every unit exactly once.

    A policy governs its unit's subtree except the subtrees of deeper units with their own.
    There are few policies, so the scan runs one set-based statement per group.
    """
    policies = list(MonitoringPolicy.objects.select_related("unit").order_by("unit__path"))
    lookup = f"{unit_field}__path__startswith"
    groups = []
    for policy in policies:
        path = policy.unit.path
        deeper = [p.unit.path for p in policies if p.unit.path.startswith(path) and p is not policy]
        query = Q(**{lookup: path})
        for other in deeper:
            query &= ~Q(**{lookup: other})
        groups.append((policy, query))
    default = Q()
    for policy in policies:
        default &= ~Q(**{lookup: policy.unit.path})
    groups.append((DEFAULT_POLICY, default))
    return groups


def policy_for(unit):
    """The policy that governs one unit (for display and for the per-item calculations)."""
    nearest = (
        MonitoringPolicy.objects.filter(unit__path__in=ancestor_paths(unit))
        .order_by("-unit__depth")
        .first()
    )
    return nearest or DEFAULT_POLICY
