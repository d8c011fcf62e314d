"""Every write of the portal: publishing decisions by managers, and what citizens send
(follows, ratings, comments) and moderators decide.

Citizens have no account. An e-mail address is proven by a link signed with
`django.core.signing` and sent to it; a follow or a rating takes effect only when that link is
opened. The browser that opened it remembers the proven address (in its session), so the same
person can then follow and rate without another round trip.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sixclear.evaluation.models import Level, Round, RoundStatus
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import require_role
from sixclear.plans.models import Resolution, Target
from sixclear.tracking.models import Task
from sixclear.versioning import StaleEdit, claim_version

from . import pagecache, selectors
from .limits import mailbox
from .models import (
    Address,
    CommentState,
    Follow,
    LeaguePublication,
    Publication,
    PublishingDefault,
    Rating,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

CONFIRM_SALT = "sixclear.portal.confirm"
UNSUBSCRIBE_SALT = "sixclear.portal.unsubscribe"


def _item_kind(item: object) -> str:
    if isinstance(item, Resolution):
        return "resolution"
    if isinstance(item, Target):
        return "target"
    if isinstance(item, Task):
        return "task"
    raise TypeError(f"cannot publish {type(item).__name__}")


def _bump_on_commit() -> None:
    """Invalidate the portal's page cache now and again after commit: a page rebuilt by a
    reader in between (from the data before the commit) is thrown away too."""
    pagecache.bump_version()
    transaction.on_commit(pagecache.bump_version)


# --- Publishing --------------------------------------------------------------------------------


@transaction.atomic
def set_publication(*, actor: Any, item: Resolution | Target | Task,
                    published: bool) -> Publication:
    """A manager of the item's unit publishes or withdraws a resolution, target or task.

    Idempotent: asking for the state it is already in changes nothing. A draft or cancelled
    task cannot be published: citizens see only what the unit has committed to.
    """
    kind = _item_kind(item)
    require_role(actor, item.unit, Role.MANAGER)
    if published and isinstance(item, Task) and item.state not in selectors.PUBLIC_TASK_STATES:
        raise ValidationError(
            {"published": _("Only an issued or finished task can be published.")}
        )
    publication = Publication.objects.select_for_update().filter(**{kind: item}).first()
    if publication is None:
        publication = Publication(**{kind: item}, published=published, changed_by=actor)
    elif publication.published == published:
        return publication
    else:
        claim_version(publication, publication.version)
        publication.published, publication.changed_by = published, actor
    publication._history_user = actor  # type: ignore[attr-defined]  # read by the history records
    publication.save()
    _bump_on_commit()
    return publication


@transaction.atomic
def set_publishing_default(*, actor: Any, unit: Unit, publish: bool,
                           expected_version: int | None = None) -> PublishingDefault:
    """A manager decides whether the unit's resolutions, targets and issued tasks are public
    unless decided one by one. Version-checked: a stale form is refused."""
    require_role(actor, unit, Role.MANAGER)
    default = PublishingDefault.objects.select_for_update().filter(unit=unit).first()
    never_set = str(expected_version) == "0"  # the form saw no setting yet
    if default is None:
        if expected_version is not None and not never_set:
            raise StaleEdit(_("This setting was changed by someone else. Reload the page."))
        default = PublishingDefault(unit=unit, publish=publish, changed_by=actor)
    else:
        if never_set:
            raise StaleEdit(_("This setting was changed by someone else. Reload the page."))
        claim_version(default, default.version if expected_version is None else expected_version)
        default.publish, default.changed_by = publish, actor
    default._history_user = actor  # type: ignore[attr-defined]  # read by the history records
    default.save()
    _bump_on_commit()
    return default


@transaction.atomic
def set_league_publication(*, actor: Any, round: Round, published: bool) -> LeaguePublication:
    """A leader of the deciding unit publishes or withdraws a closed round's league: the
    collectives' names, ranks, points and grades. A round of persons is never published, and
    an open round's grades are not final yet. Idempotent, like `set_publication`."""
    require_role(actor, round.unit, Role.LEADER)
    if published and round.level == Level.CADRE:
        raise ValidationError({"published": _(
            "The grades of individual people are never published: only those of collectives "
            "are.")})
    if published and round.status != RoundStatus.CLOSED:
        raise ValidationError({"published": _(
            "Only a closed round can be published: its grades are final then.")})
    publication = LeaguePublication.objects.select_for_update().filter(round=round).first()
    if publication is None:
        publication = LeaguePublication(round=round, published=published, changed_by=actor)
    elif publication.published == published:
        return publication
    else:
        claim_version(publication, publication.version)
        publication.published, publication.changed_by = published, actor
    publication._history_user = actor  # type: ignore[attr-defined]  # read by the history records
    publication.save()
    _bump_on_commit()
    return publication


# --- Citizens' submissions ---------------------------------------------------------------------


def normalise_email(email: str | None) -> str:
    email = (email or "").strip()
    local, _at, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}" if local else email


def _check_email(email: str) -> None:
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None


def _take_submission(email: str) -> None:
    """Count one submission for this mailbox (victim+1@… is victim@…) in the current hour;
    refuse beyond the limit.

    Kept in the portal's shared cache: a limit against floods, not a record.
    """
    limit = settings.PORTAL_SUBMISSIONS_PER_HOUR
    cache = pagecache.portal_cache()
    key = f"portal:rate:{timezone.now():%Y%m%d%H}:{mailbox(email)}"
    cache.add(key, 0, timeout=3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, timeout=3600)
        count = 1
    if count > limit:
        raise ValidationError(
            _("Too many requests from this e-mail address. Please try again in an hour."),
            code="rate_limited",
        )


def _check_rating(score: int, comment: str) -> None:
    errors = {}
    if score not in (1, 2, 3, 4, 5):
        errors["score"] = _("Choose a satisfaction from 1 to 5.")
    limit = settings.PORTAL_COMMENT_MAX_LENGTH
    if len(comment or "") > limit:
        errors["comment"] = _(
            "The comment is too long: at most %(limit)s characters, this one has %(count)s."
        ) % {"limit": limit, "count": len(comment)}
    if errors:
        raise ValidationError(errors)


def _absolute(site_url: str, path: str) -> str:
    return f"{(site_url or settings.PORTAL_SITE_URL).rstrip('/')}{path}"


def confirmation_link(site_url: str, payload: dict[str, Any]) -> str:
    token = signing.dumps(payload, salt=CONFIRM_SALT, compress=True)
    return _absolute(site_url, reverse("portal:confirm", args=[token]))


def unsubscribe_link(site_url: str, follow: Follow) -> str:
    token = signing.dumps(follow.pk, salt=UNSUBSCRIBE_SALT)
    return _absolute(site_url, reverse("portal:unsubscribe", args=[token]))


def _send(*, to: str, subject: StrOrPromise, template: str, context: dict[str, Any],
          language: str, headers: dict[str, str] | None = None) -> None:
    """One e-mail in the reader's language; `subject` is a lazy string with %(item)s."""
    with translation.override(language):
        body = render_to_string(template, context)
        subject = str(subject) % {"item": _name(context["item"])}
    EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
        headers=headers or {},
    ).send()


def _address(email: str, language: str) -> Address:
    address, _created = Address.objects.get_or_create(
        email=email, defaults={"language": language}
    )
    return address


@transaction.atomic
def request_follow(*, item: Target | Task, email: str, language: str, site_url: str = "",
                   proven_address_id: int | None = None) -> tuple[Follow, bool]:
    """Follow a published target or task by e-mail.

    Double opt-in: the follow starts unconfirmed and a signed link is sent to the address;
    it takes effect when the link is opened (`confirm`). A browser that has already proven
    this address follows at once. Returns (follow, needs_confirmation).
    """
    email = normalise_email(email)
    _check_email(email)
    _take_submission(email)
    kind = _item_kind(item)
    address = _address(email, language)
    # `kind` names the item's field ("target" or "task"), never `defaults`.
    follow, _created = Follow.objects.get_or_create(
        address=address, **{kind: item})  # type: ignore[arg-type]
    if follow.active:
        return follow, False
    follow.unsubscribed_at = None
    if proven_address_id == address.pk and address.confirmed_at:
        follow.confirmed_at = timezone.now()
        follow.last_sent = selectors.follow_state(item)
        follow.save()
        return follow, False
    follow.confirmed_at = None
    follow.save()
    link = confirmation_link(site_url, {"address": address.pk, "follow": follow.pk})
    transaction.on_commit(lambda: _send(
        to=email, subject=gettext_lazy("Confirm that you want to follow %(item)s"),
        template="portal/email/confirm_follow.txt", language=language,
        context={"item": item, "link": link, "days": settings.PORTAL_CONFIRMATION_DAYS},
    ))
    return follow, True


def _name(item: object) -> str:
    code = getattr(item, "code", "")
    title = getattr(item, "name", "") or getattr(item, "title", "")
    return f"{code} · {title}" if code else title


@transaction.atomic
def rate(*, item: Target | Task, email: str, score: int, comment: str = "",
         language: str = "vi", site_url: str = "",
         proven_address_id: int | None = None) -> tuple[Rating | None, bool]:
    """A citizen rates a published target or task (1–5) with an optional comment.

    One rating per result per address: rating again replaces the earlier one. From a browser
    that has proven the address, it is saved at once; otherwise nothing is saved until the
    signed link sent to the address is opened, so nobody can rate in another person's name.
    Comments wait for a moderator unless PORTAL_MODERATE_COMMENTS is off.
    Returns (rating or None, needs_confirmation).
    """
    email = normalise_email(email)
    comment = (comment or "").strip()
    errors = {}
    for check in (lambda: _check_email(email), lambda: _check_rating(score, comment)):
        try:
            check()
        except ValidationError as error:
            errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    _take_submission(email)
    kind = _item_kind(item)
    address = _address(email, language)
    if proven_address_id == address.pk and address.confirmed_at:
        return _save_rating(address, kind, item, score, comment), False
    link = confirmation_link(site_url, {
        "address": address.pk, "rating": [kind, item.pk, score, comment],
    })
    transaction.on_commit(lambda: _send(
        to=email, subject=gettext_lazy("Confirm your rating of %(item)s"),
        template="portal/email/confirm_rating.txt", language=language,
        context={"item": item, "score": score, "comment": comment, "link": link,
                 "days": settings.PORTAL_CONFIRMATION_DAYS},
    ))
    return None, True


def _save_rating(address: Address, kind: str, item: Target | Task, score: int,
                 comment: str) -> Rating:
    if comment:
        state = CommentState.PENDING if settings.PORTAL_MODERATE_COMMENTS else (
            CommentState.APPROVED)
    else:
        state = CommentState.NONE
    now = timezone.now()
    fields = {"score": score, "comment": comment, "comment_state": state, "confirmed_at": now,
              "moderated_by": None, "moderated_at": None}
    rating = Rating.objects.select_for_update().filter(address=address, **{kind: item}).first()
    if rating is None:
        try:
            with transaction.atomic():
                rating = Rating.objects.create(address=address, **{kind: item}, **fields)
        except IntegrityError:  # the same person, twice at once: the later one replaces
            rating = Rating.objects.get(address=address, **{kind: item})
    if rating.pk and (rating.score, rating.comment, rating.comment_state) != (
            score, comment, state):
        claim_version(rating, rating.version)
        for name, value in fields.items():
            setattr(rating, name, value)
        rating.save()
    _bump_on_commit()
    return rating


@transaction.atomic
def confirm(*, token: str) -> tuple[Address, Target | Task | None]:
    """Open a confirmation link: the address is proven, and the follow or the rating it was
    sent for takes effect. Returns (address, item). Links expire after
    PORTAL_CONFIRMATION_DAYS; a used link may be opened again harmlessly."""
    try:
        payload = signing.loads(
            token, salt=CONFIRM_SALT, max_age=settings.PORTAL_CONFIRMATION_DAYS * 86400
        )
        address = Address.objects.select_for_update().get(pk=payload["address"])
    except (signing.BadSignature, KeyError, TypeError, Address.DoesNotExist):
        raise ValidationError(
            _("This link is not valid or has expired. Please ask for a new one."), code="token"
        ) from None
    if address.confirmed_at is None:
        address.confirmed_at = timezone.now()
        address.save(update_fields=["confirmed_at"])
    item = None
    if payload.get("follow"):
        follow = Follow.objects.filter(pk=payload["follow"], address=address).select_related(
            "target__health", "task__health").first()
        if follow is not None:
            item = follow.target or follow.task
            if not follow.active:
                follow.confirmed_at, follow.unsubscribed_at = timezone.now(), None
                # One of the two is set (follow_one_item).
                follow.last_sent = selectors.follow_state(item)  # type: ignore[arg-type]
                follow.save()
    elif payload.get("rating"):
        kind, pk, score, comment = payload["rating"]
        try:
            item = selectors.published_item(kind, pk)
        except (Target.DoesNotExist, Task.DoesNotExist):
            raise ValidationError(
                _("This result is no longer published, so it cannot be rated."), code="gone"
            ) from None
        _save_rating(address, kind, item, score, comment)
    return address, item


@transaction.atomic
def unsubscribe(*, token: str) -> Follow:
    """One-click unsubscribe from a follow; the link never expires and may be used twice."""
    try:
        follow = Follow.objects.get(pk=signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, Follow.DoesNotExist, TypeError, ValueError):
        raise ValidationError(_("This unsubscribe link is not valid."), code="token") from None
    if follow.unsubscribed_at is None:
        follow.unsubscribed_at = timezone.now()
        follow.save(update_fields=["unsubscribed_at"])
    return follow


# --- Moderation --------------------------------------------------------------------------------


@transaction.atomic
def moderate_comment(*, actor: Any, rating: Rating, approve: bool,
                     expected_version: int) -> Rating:
    """A manager of the result's unit approves or rejects a citizen's comment. The rating
    itself counts either way; a rejected comment is never shown."""
    # One of the two is set (rating_one_item).
    item: Target | Task = rating.target or rating.task  # type: ignore[assignment]
    require_role(actor, item.unit, Role.MANAGER)
    if rating.comment_state not in (CommentState.PENDING, CommentState.APPROVED,
                                    CommentState.REJECTED):
        raise ValidationError(_("This rating has no comment to moderate."))
    claim_version(rating, expected_version)
    rating.comment_state = CommentState.APPROVED if approve else CommentState.REJECTED
    rating.moderated_by, rating.moderated_at = actor, timezone.now()
    rating._history_user = actor  # type: ignore[attr-defined]  # read by the history records
    rating.save()
    _bump_on_commit()
    return rating


# --- Telling followers -------------------------------------------------------------------------


def send_follow_updates(site_url: str = "") -> int:
    """E-mail each active follower whose result changed since they were last told: a new
    status or a new approved result. Safe to re-run: what was sent is recorded per follow.
    Returns how many e-mails went out."""
    sent = 0
    for follow in selectors.active_follows().iterator(chunk_size=500):
        # One of the two is set (follow_one_item).
        item: Target | Task = follow.target or follow.task  # type: ignore[assignment]
        state = selectors.follow_state(item)
        if state == follow.last_sent:
            continue
        link = unsubscribe_link(site_url, follow)
        _send(
            to=follow.address.email, language=follow.address.language,
            subject=gettext_lazy("News about %(item)s"),
            template="portal/email/follow_update.txt",
            context={"item": item, "health": getattr(item, "health", None),
                     "is_task": isinstance(item, Task), "unsubscribe": link,
                     "page": _absolute(site_url, _item_path(item))},
            headers={"List-Unsubscribe": f"<{link}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
        Follow.objects.filter(pk=follow.pk).update(last_sent=state, last_sent_at=timezone.now())
        sent += 1
    return sent


def _item_path(item: Target | Task) -> str:
    kind = "task" if isinstance(item, Task) else "target"
    return reverse(f"portal:{kind}", args=[item.pk])
