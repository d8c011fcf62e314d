"""The pages of a meeting's conclusion notice: its section (on the meeting page, loaded by
htmx, and as a page of its own), the unsigned drafts, signing, the signed copies with their
verification, and publishing to the units concerned.

Access: a meeting one may not see answers 404; drafts are for the unit's managers and
signers, signing for the designated signer (403 for anyone else who sees the meeting); a
signed copy is read by whoever sees the meeting, owns a task of its appendix or holds a role
reaching a task's lead unit (404 for anyone else)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sixclear.meetings.models import Meeting, MeetingState
from sixclear.meetings.selectors import may_read_conclusion, visible_meetings
from sixclear.orgs.models import Role
from sixclear.orgs.selectors import reaches_unit
from sixclear.versioning import StaleEdit

from . import signing
from .conclusion_notice import (
    DRAFTABLE,
    may_draft,
    notice_content,
    notices_of,
    publish_notice,
    sign_notice,
    signing_capacity,
    told,
)
from .forms import VerifyForm
from .issued import render_docx, render_pdf
from .models import SignedDocument
from .writers import CONTENT_TYPES


def _meeting(request, pk):
    return get_object_or_404(visible_meetings(request.user)
                             .select_related("unit", "with_unit", "organiser"), pk=pk)


def _language(request):
    chosen = request.GET.get("language") or request.POST.get("language") or get_language()
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _panel(request, meeting, status=200):
    user = request.user
    documents = list(notices_of(meeting))
    current = {document.pk for document in documents if not any(
        other.supersedes_id == document.pk for other in documents)}
    may_publish = meeting.state == MeetingState.CLOSED and reaches_unit(
        user, meeting.unit, Role.MANAGER)
    context = {
        "meeting": meeting, "unit": meeting.unit,
        "draftable": meeting.state in DRAFTABLE, "closed": meeting.state == MeetingState.CLOSED,
        "may_draft": may_draft(user, meeting),
        "may_sign": meeting.state == MeetingState.CLOSED
        and signing_capacity(user, meeting) is not None,
        "rows": [{"document": document, "current": document.pk in current,
                  "told": told(document) if document.pk in current else None,
                  "may_publish": document.pk in current and (
                      may_publish or document.signer_id == user.pk)}
                 for document in documents],
        "notice_languages": settings.LANGUAGES, "language": _language(request),
    }
    template = ("reports/_conclusion_notice.html" if request.headers.get("HX-Request")
                else "reports/conclusion_notice.html")
    return render(request, template, context, status=status)


@login_required
@require_GET
def notice(request, pk):
    return _panel(request, _meeting(request, pk))


@login_required
@require_GET
def draft(request, pk, format):
    meeting = _meeting(request, pk)
    if meeting.state not in DRAFTABLE:
        raise Http404
    if not may_draft(request.user, meeting):
        raise PermissionDenied(_("Drafts of the notice are for the unit's managers and its "
                                 "signers."))
    content = notice_content(meeting, _language(request),
                             capacity=signing_capacity(request.user, meeting) or "principal")
    data = render_docx(content) if format == "docx" else render_pdf(content)
    response = HttpResponse(data, content_type=CONTENT_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="conclusion-notice-{meeting.pk}-{content.language}.{format}"')
    return response


def _back(meeting):
    return redirect(f"{reverse('meetings:meeting', args=[meeting.pk])}#conclusion-notice")


def _refused(request, meeting, error):
    for message in error.messages:
        messages.error(request, message)
    return _panel(request, meeting, status=409 if isinstance(error, StaleEdit) else 400)


@login_required
@require_POST
def sign(request, pk):
    meeting = _meeting(request, pk)
    try:
        sign_notice(actor=request.user, meeting=meeting, language=_language(request))
    except ValidationError as error:
        return _refused(request, meeting, error)
    messages.success(request, _("The conclusion notice was signed. Publish it to the units "
                                "concerned."))
    return _back(meeting)


def _signed(meeting, document_pk):
    return get_object_or_404(notices_of(meeting), pk=document_pk)


def _readable(request, pk, document_pk):
    """The meeting and its signed copy, for whoever may read the notice; else 404."""
    meeting = (Meeting.objects.select_related("unit", "conclusion").filter(pk=pk).first())
    if meeting is None or not may_read_conclusion(request.user, meeting):
        raise Http404
    return meeting, _signed(meeting, document_pk)


@login_required
@require_GET
def signed_file(request, pk, document):
    meeting, found = _readable(request, pk, document)
    try:
        stream = found.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(stream, as_attachment=True, content_type="application/pdf",
                        filename=f"conclusion-notice-{meeting.pk}-{found.pk}-signed.pdf")


@login_required
@require_GET
def verify(request, pk, document):
    """The verification of the stored copy, in plain words, as the verify page gives it."""
    _meeting_found, found = _readable(request, pk, document)
    with found.file.open("rb") as stream:
        result = signing.verify_pdf(stream.read())
    return render(request, "reports/verify.html", {"form": VerifyForm(), "result": result,
                                                   "stored": None})


@login_required
@require_POST
def publish(request, pk, document):
    meeting = _meeting(request, pk)
    found: SignedDocument = _signed(meeting, document)
    try:
        count = publish_notice(actor=request.user, meeting=meeting, document=found)
    except ValidationError as error:
        return _refused(request, meeting, error)
    messages.success(request, ngettext(
        "The notice was published to the units concerned: %(count)s person told.",
        "The notice was published to the units concerned: %(count)s people told.", count)
        % {"count": count})
    return _back(meeting)
