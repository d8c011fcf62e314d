"""The conclusion notice of a meeting ("Thông báo kết luận"): what the meeting concluded on
each matter, with the appendix of the tasks it gave (who, what, deadline, responsibility,
result, authority), in the issuer's format (party or state), as DOCX or PDF, signed by the
unit's designated signer through the issued-documents kit, then published to the units
concerned.

The meetings app sits below this one: its selectors give the meeting, its items, attendees and
conclusion tasks; this module words them. Tasks given by the notice are the conclusion's
tasks (`plans.Program` of kind conclusion), followed like any other; the next meeting's agenda
opens with those not yet done (`meetings.services._drafted_items`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import time_format
from django.utils.translation import gettext as _

from sixclear import upkeep
from sixclear.meetings.models import Decision, Meeting, MeetingState
from sixclear.meetings.selectors import conclusion_tasks, meeting_attendees, meeting_items
from sixclear.meetings.services import acting_people
from sixclear.monitoring.models import Notification, NotificationKind
from sixclear.monitoring.notifications import add_email_details
from sixclear.orgs.models import Role, Unit
from sixclear.orgs.selectors import has_role
from sixclear.tracking.models import Task

from .issued import DocumentKind, DocumentTable, IssuedContent, issued_for, sign_issued
from .models import SignedDocument, SigningCapacity
from .sections import cell_text
from .selectors import _level, designated_signer, long_date, person_name
from .services import signer_title

# Meetings whose notice may be drafted; only a closed meeting's is signed and published.
DRAFTABLE = (MeetingState.IN_PROGRESS, MeetingState.CLOSED)


def subject_of(meeting: Meeting) -> str:
    return f"meetings.meeting:{meeting.pk}"


def appendix_columns() -> list[str]:
    """The six clears, as the appendix's columns: person, work, deadline, responsibility
    (the lead unit), result, authority; after the number."""
    return [_("No."), _("Work"), _("Person in charge"), _("Deadline"),
            _("Lead unit (responsibility)"), _("Expected result"), _("Approving authority")]


def _task_row(number: int, task: Task) -> list[str]:
    work = task.title if not task.description else f"{task.title}: {task.description}"
    return [
        cell_text(number, "number"), cell_text(work, "text"),
        cell_text(person_name(task.owner), "text"), cell_text(task.deadline, "date"),
        cell_text(task.lead_unit.name if task.lead_unit else "", "text"),
        cell_text(task.expected_result, "text"),
        cell_text(person_name(task.authority) or task.authority_body, "text"),
    ]


def _chair(meeting: Meeting) -> str:
    """Who chaired: the organiser, with the title the unit designates them to sign under, or
    else their position."""
    name = person_name(meeting.organiser)
    designation = designated_signer(meeting.unit)
    titles = {designation.signer_id: designation.signer_title,
              designation.deputy_id: designation.deputy_title}
    title = titles.get(meeting.organiser_id) or signer_title(meeting.organiser, meeting.unit)
    if title:
        return _("comrade %(name)s, %(title)s") % {"name": name, "title": title}
    return _("comrade %(name)s") % {"name": name}


def _when(meeting: Meeting) -> str:
    """"ngày 26 tháng 11 năm 2026, lúc 08:00": as documents write the day, with the time."""
    day = long_date(meeting.held_on)
    if meeting.starts_at is None:
        return day
    return _("%(date)s, at %(time)s") % {
        "date": day, "time": time_format(meeting.starts_at, "TIME_FORMAT")}


def _opening(meeting: Meeting, chair: str) -> list[str]:
    place = meeting.place
    values = {"when": _when(meeting), "place": place, "unit": _level(meeting.unit),
              "title": meeting.title}
    if place:
        held = _("On %(when)s, at %(place)s, %(unit)s held the meeting “%(title)s”.") % values
    else:
        held = _("On %(when)s, %(unit)s held the meeting “%(title)s”.") % values
    lines = [held, _("Chaired by %(chair)s.") % {"chair": chair}]
    others = [person_name(attendee.person) for attendee in meeting_attendees(meeting)
              if attendee.person_id != meeting.organiser_id]
    if others:
        lines.append(_("Attending: %(names)s.") % {"names": ", ".join(others)})
    if meeting.with_unit_id:
        lines.append(_("Working with: %(unit)s.") % {"unit": meeting.with_unit.name})  # type: ignore[union-attr]
    if meeting.topic:
        lines.append(_("Topic: %(topic)s") % {"topic": meeting.topic})
    lines.append(_("Having heard the matters on the agenda and the opinions of those "
                   "attending, %(chair)s concluded as follows:") % {"chair": chair})
    return lines


def _conclusions(items: list[Any], numbers: dict[int, int]) -> list[str]:
    """Per matter decided, in the agenda's order: what was decided, the answer or reasons,
    and the tasks of the appendix it gave."""
    labels = dict(Decision.choices)
    lines: list[str] = []
    decided = [item for item in items if item.decision]
    for position, item in enumerate(decided, start=1):
        lines.append(_("%(number)s. %(title)s — %(decision)s.") % {
            "number": position, "title": item.title, "decision": labels[item.decision]})
        if item.decision_text:
            lines.append(item.decision_text)
        given = sorted(numbers[task.pk] for task in item.tasks_created.all()
                       if task.pk in numbers)
        if given:
            lines.append(_("Tasks given: No. %(numbers)s of the appendix.") % {
                "numbers": ", ".join(str(number) for number in given)})
    return lines


HEADINGS = ("I", "II", "III", "IV")


def _recipients(meeting: Meeting, tasks: list[Task]) -> list[str]:
    """"Nơi nhận": the level above (to report), those attending and each lead unit of the
    tasks given ("Lưu: VT" is added by the kit)."""
    names = []
    parent = Unit.objects.get_parent(meeting.unit) if meeting.unit.depth > 1 else None
    if parent is not None and parent.depth > 1:
        names.append(parent.name)
    names.append(_("Those attending"))
    for task in tasks:
        lead = task.lead_unit
        if lead is not None and lead.pk != meeting.unit_id and lead.name not in names:
            names.append(lead.name)
    return names


def _language(language: str) -> str:
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the languages offered.")})
    return language


def notice_content(meeting: Meeting, language: str, *,
                   capacity: str = SigningCapacity.PRINCIPAL,
                   issued_on: datetime.date | None = None) -> IssuedContent:
    """The notice of a meeting in progress or closed, in `language`: the opening (when,
    where, who chaired and attended), the conclusion on each matter decided, the matters not
    reached, how it is carried out; then the appendix of the tasks given, one row each with
    the six clears. The caller checks that the person may see the meeting."""
    if meeting.state not in DRAFTABLE:
        raise ValidationError(_("A conclusion notice is drafted once the meeting has started."))
    with translation.override(_language(language)):
        tasks = list(conclusion_tasks(meeting))
        numbers = {task.pk: number for number, task in enumerate(tasks, start=1)}
        items = meeting_items(meeting)
        chair = _chair(meeting)
        parts = [(_("Conclusions on the matters discussed"),
                  _conclusions(items, numbers) or [_("The meeting took no decision.")])]
        unreached = [item.title for item in items if not item.decision and not item.in_appendix]
        if unreached:
            parts.append((_("Matters not reached"), [
                _("Not reached, and taken up at the next meeting if they still wait: "
                  "%(titles)s.") % {"titles": "; ".join(unreached)}]))
        parts.append((_("Carrying out"), [_(
            "The units and persons named in the appendix carry out the tasks given by their "
            "deadlines and report their progress; the tasks not yet done come first at the "
            "next meeting, right after the obstacles.")]))
        paragraphs = _opening(meeting, chair)
        for heading, (title, lines) in zip(HEADINGS, parts, strict=False):
            paragraphs.append(f"## {heading}. {title}")
            paragraphs.extend(lines)
        return IssuedContent(
            unit=meeting.unit, kind=DocumentKind.CONCLUSION_NOTICE,
            subject=subject_of(meeting), language=language, document_type=_("Notice"),
            summary=_("Conclusion of %(chair)s at the meeting “%(title)s”") % {
                "chair": chair, "title": meeting.title},
            number_code="TB", paragraphs=paragraphs,
            tables=[DocumentTable(
                caption=_("Appendix: the tasks given by the conclusion"),
                columns=appendix_columns(),
                rows=[_task_row(numbers[task.pk], task) for task in tasks], wide=True,
                empty_text=_("The meeting gave no task."))],
            recipients=_recipients(meeting, tasks),
            issued_on=issued_on or timezone.localdate(), capacity=capacity,
            serial=str(meeting.pk))


def signing_capacity(user: Any, meeting: Meeting) -> str | None:
    """How `user` would sign the unit's notice: as its designated signer, as the deputy
    signing for them, or not at all (None)."""
    designation = designated_signer(meeting.unit)
    if designation.signer_id and designation.signer_id == user.pk:
        return SigningCapacity.PRINCIPAL
    if designation.deputy_id and designation.deputy_id == user.pk:
        return SigningCapacity.DEPUTY
    return None


def may_draft(user: Any, meeting: Meeting) -> bool:
    """Drafts are for the unit's managers (who prepare the notice) and its signers."""
    return has_role(user, meeting.unit, Role.MANAGER) or signing_capacity(user, meeting) is not None


def sign_notice(*, actor: Any, meeting: Meeting, language: str) -> SignedDocument:
    """Sign a closed meeting's notice (PAdES) as the unit's designated signer, or as the
    deputy signing for them; a new signature supersedes the current copy in that language."""
    if meeting.state != MeetingState.CLOSED:
        raise ValidationError(_("The conclusion notice is signed once the meeting is closed."))
    capacity = signing_capacity(actor, meeting)
    if capacity is None:
        raise PermissionDenied(_("Only the person the unit designates to sign signs its "
                                 "conclusion notices."))
    # The kit checks again that the printed block names the actor.
    return sign_issued(actor=actor, content=notice_content(meeting, language,
                                                           capacity=capacity))


def notices_of(meeting: Meeting) -> QuerySet[SignedDocument]:
    """The signed copies of the meeting's notice, newest first, superseded ones included."""
    return issued_for(subject_of(meeting), DocumentKind.CONCLUSION_NOTICE).select_related(
        "supersedes")


def concerned_people(meeting: Meeting) -> list[int]:
    """Who the notice is published to: the owners of its tasks, the managers and leaders of
    their lead units (else of the nearest unit above that has some), and the attendees."""
    tasks = list(conclusion_tasks(meeting))
    people = [task.owner_id for task in tasks if task.owner_id]
    leads = {task.lead_unit_id: task.lead_unit for task in tasks if task.lead_unit_id}
    for unit in leads.values():
        people.extend(acting_people(unit))  # type: ignore[arg-type]
    people.extend(attendee.person_id for attendee in meeting_attendees(meeting))
    return list(dict.fromkeys(people))


def _occasion(document: SignedDocument) -> str:
    return f"notice:{document.pk}"


def file_link(meeting: Meeting, document: SignedDocument) -> str:
    return reverse("reports:conclusion_notice_file", args=[meeting.pk, document.pk])


@transaction.atomic
def publish_notice(*, actor: Any, meeting: Meeting, document: SignedDocument) -> int:
    """Publish the current signed notice to the units concerned: each person is told once,
    with the link to the signed file (which they may then download); publishing again tells
    nobody twice. A manager of the meeting's unit, or its signer, publishes."""
    if document.kind != DocumentKind.CONCLUSION_NOTICE or document.subject != subject_of(
            meeting):
        raise ValidationError(_("This signed document is not this meeting's notice."))
    if not (has_role(actor, meeting.unit, Role.MANAGER) or document.signer_id == actor.pk):
        raise PermissionDenied(_("Only a manager of the unit or the signer publishes the "
                                 "notice."))
    if SignedDocument.objects.filter(supersedes=document).exists():
        raise ValidationError(_("A newer signed copy replaces this one: publish that one."))
    people = concerned_people(meeting)
    upkeep.happened(upkeep.Event.NOTICE_PUBLISHED, recipients=people, actor=actor,
                    occasion=_occasion(document), subject=meeting.title,
                    link=file_link(meeting, document))
    return told(document)


def told(document: SignedDocument) -> int:
    """How many people the signed copy was published to."""
    key = f"{NotificationKind.NOTICE_PUBLISHED}:{_occasion(document)}"
    return Notification.objects.filter(dedupe_key=key).count()


def email_details(notification: Notification) -> list[str]:
    """Under "The conclusion notice … is published to you": where to download it."""
    if not notification.link:
        return []
    return [_("The signed notice: %(url)s") % {
        "url": f"{settings.PORTAL_SITE_URL}{notification.link}"}]


def register() -> None:
    """Called from the app's `ready`: the publication's e-mail carries the download link."""
    add_email_details(NotificationKind.NOTICE_PUBLISHED, email_details)

