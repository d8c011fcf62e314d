"""Evidence downloads, served only to people who may see the task or target, as attachments.

Nothing under MEDIA_ROOT has a URL of its own."""

from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from sixclear.tracking import selectors


@login_required
def evidence_file(request, pk):
    """Serve a piece of evidence to someone who may see its task, as a download."""
    evidence = get_object_or_404(selectors.visible_evidence(request.user), pk=pk)
    try:
        stream = evidence.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(stream, as_attachment=True, filename=evidence.original_name)


@login_required
def measurement_evidence_file(request, pk):
    measurement = get_object_or_404(selectors.visible_measurements(request.user), pk=pk)
    if not measurement.evidence:
        raise Http404
    try:
        stream = measurement.evidence.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    name = PurePath(measurement.evidence.name).name
    return FileResponse(stream, as_attachment=True, filename=name)
