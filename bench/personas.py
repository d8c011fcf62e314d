"""The people the page benchmark signs in as: every role at national, province and commune level.

The generated tree gives the country an administrator, managers, officers and viewers, a
province a leader, managers, officers and viewers, and a commune a leader, a manager and
officers. `ensure_personas` adds, in the three units the benchmarks use, one person for each
role that has none there (a national leader, a provincial administrator, a commune viewer and
administrator), so every role is timed at every level. It adds nothing when they exist.
"""

LEVELS = ("national", "province", "commune")
ROLES = ("viewer", "officer", "manager", "leader", "admin")


def pick_units():
    """The country, the province with the most communes and its first commune (by path)."""
    from sixclear.orgs.models import Unit

    country = Unit.objects.get(depth=1)
    province = Unit.objects.filter(depth=2).order_by("-numchild", "pk").first()
    commune = Unit.objects.filter(depth=3, path__startswith=province.path).order_by("path").first()
    return list(zip(LEVELS, (country, province, commune), strict=True))


def ensure_personas(units=None):
    """Add a person for each role missing in the benchmark's units; return how many were added."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    from sixclear.orgs.models import Membership

    added = 0
    for level, unit in units or pick_units():
        present = set(Membership.objects.filter(unit=unit).values_list("role", flat=True))
        for role in ROLES:
            if role in present:
                continue
            user, _created = get_user_model().objects.get_or_create(
                username=f"bench-{role}-{level}",
                defaults={"first_name": role.title(), "last_name": f"Bench {level}",
                          "email": f"bench-{role}-{level}@bench.invalid",
                          "password": make_password(None)},
            )
            Membership.objects.get_or_create(user=user, unit=unit,
                                             defaults={"role": role, "title": "Bench"})
            added += 1
    return added


def personas(units=None):
    """[(level, role, unit, user)]: the first person (by id) holding each role in each unit."""
    from sixclear.orgs.models import Membership

    rows = []
    for level, unit in units or pick_units():
        for role in ROLES:
            membership = (Membership.objects.filter(unit=unit, role=role)
                          .select_related("user").order_by("pk").first())
            if membership is not None:
                rows.append((level, role, unit, membership.user))
    return rows
