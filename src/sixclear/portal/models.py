"""What units publish to citizens, and what citizens send back: follows, ratings, comments.

Publishing lives here, not on the published rows: a `Publication` per resolution, target or
task records the manager's explicit choice, and a unit's `PublishingDefault` decides for the
rows nobody has chosen for yet. Citizens have no account: an `Address` is an e-mail address
proven by a signed link, and follows and ratings hang on it.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from sixclear.orgs.models import Unit
from sixclear.plans.models import Resolution, Target
from sixclear.tracking.models import Task
from sixclear.versioning import VersionedModel


class ItemKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution")
    TARGET = "target", _("Target")
    TASK = "task", _("Task")


def _one_item(*fields):
    """Exactly one of `fields` is set."""
    options = Q(pk__in=[])
    for field in fields:
        chosen = Q(**{f"{field}__isnull": False})
        for other in fields:
            if other != field:
                chosen &= Q(**{f"{other}__isnull": True})
        options |= chosen
    return options


class PublishingDefault(VersionedModel):
    """Whether a unit's resolutions, targets and issued tasks are public until a manager
    decides otherwise for one of them."""

    unit = models.OneToOneField(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="publishing_default"
    )
    publish = models.BooleanField(_("publish by default"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+", null=True,
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publishing default")
        verbose_name_plural = _("publishing defaults")

    def __str__(self):
        return f"{self.unit}: {self.publish}"


class Publication(VersionedModel):
    """A manager's explicit choice to publish (or withhold) one resolution, target or task."""

    resolution = models.OneToOneField(
        Resolution, verbose_name=_("resolution"), on_delete=models.CASCADE, null=True,
        blank=True, related_name="publication",
    )
    target = models.OneToOneField(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="publication",
    )
    task = models.OneToOneField(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="publication",
    )
    published = models.BooleanField(_("published"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.CheckConstraint(
                condition=_one_item("resolution", "target", "task"),
                name="publication_of_one_item",
            )
        ]

    def __str__(self):
        item = self.resolution or self.target or self.task
        return f"{item}: {self.published}"


class Address(models.Model):
    """A citizen's e-mail address. `confirmed_at` is set once they open a signed link sent to
    it; only then do their follows get e-mails and their ratings count."""

    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=10, default="vi")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("citizen's address")
        verbose_name_plural = _("citizens' addresses")

    def __str__(self):
        return self.email


class Follow(models.Model):
    """An address following a published target or task. `last_sent` is the state (status and
    latest approved result) the follower was last told about, so the job sends only news."""

    address = models.ForeignKey(
        Address, verbose_name=_("address"), on_delete=models.CASCADE, related_name="follows"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="portal_follows",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="portal_follows",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    last_sent = models.CharField(_("last state sent"), max_length=200, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.CheckConstraint(condition=_one_item("target", "task"), name="follow_one_item"),
            models.UniqueConstraint(fields=["address", "target"], name="follow_target_once"),
            models.UniqueConstraint(fields=["address", "task"], name="follow_task_once"),
        ]

    def __str__(self):
        return f"{self.address} → {self.target or self.task}"

    @property
    def active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None


class CommentState(models.TextChoices):
    NONE = "none", _("No comment")
    PENDING = "pending", _("Waiting for moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class Rating(VersionedModel):
    """A citizen's satisfaction (1–5) with a published result, and an optional comment.

    One per result per address: rating again replaces it. It counts only once its address is
    confirmed (`confirmed_at`); its comment is shown only once a moderator approves it.
    """

    address = models.ForeignKey(
        Address, verbose_name=_("address"), on_delete=models.CASCADE, related_name="ratings"
    )
    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="portal_ratings",
    )
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="portal_ratings",
    )
    score = models.PositiveSmallIntegerField(
        _("satisfaction"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), blank=True)
    comment_state = models.CharField(
        _("comment state"), max_length=10, choices=CommentState.choices,
        default=CommentState.NONE,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("moderated by"), on_delete=models.PROTECT,
        related_name="+", null=True, blank=True,
    )
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["address"])

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=_one_item("target", "task"), name="rating_one_item"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_to_5"
            ),
            models.UniqueConstraint(fields=["address", "target"], name="rating_target_once"),
            models.UniqueConstraint(fields=["address", "task"], name="rating_task_once"),
        ]
        indexes = [models.Index(fields=["comment_state"], name="rating_comment_state")]

    def __str__(self):
        return f"{self.target or self.task}: {self.score}"

    @property
    def item(self):
        return self.target or self.task


class LeaguePublication(VersionedModel):
    """The deciding level's choice to show a closed evaluation round of collectives on the
    portal: the collectives' names, ranks, points and grades, nothing about people."""

    round = models.OneToOneField(
        "evaluation.Round", verbose_name=_("evaluation round"), on_delete=models.CASCADE,
        related_name="publication",
    )
    published = models.BooleanField(_("published"))
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("changed by"), on_delete=models.PROTECT,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("published evaluation league")
        verbose_name_plural = _("published evaluation leagues")

    def __str__(self):
        return f"{self.round}: {self.published}"
