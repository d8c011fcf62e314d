from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from sixclear.versioning import VersionedModel


class UnitKind(models.TextChoices):
    COUNTRY = "country", _("Country")
    PROVINCE = "province", _("Province or city")
    COMMUNE = "commune", _("Commune")
    WARD = "ward", _("Ward")
    DEPARTMENT = "department", _("Department or office")
    PARTY_CELL = "party_cell", _("Party cell")
    OTHER = "other", _("Other body")


class Unit(MP_Node, VersionedModel):
    """An organisation in the tree. Its materialized path makes subtree queries a prefix scan.

    Units can be re-parented (communes are still being merged), so nothing outside treebeard
    may store a path.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild"])

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name


class Role(models.TextChoices):
    """Roles in rising order of power; a role reaches the unit's whole subtree."""

    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    MANAGER = "manager", _("Manager")
    LEADER = "leader", _("Leader")
    ADMIN = "admin", _("Administrator")


ROLE_RANK = {role: rank for rank, role in enumerate(Role.values)}


class Membership(VersionedModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("position"), max_length=200, blank=True, help_text=_("For example: Party Secretary")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit"], name="one_role_per_user_and_unit")
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
