"""The public portal's pages (no account needed), its open data downloads, and the few
internal actions around it (publishing, moderation). Thin: every read goes through
`portal.selectors`, every write through `portal.services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.html import conditional_escape
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sixclear.accounts.templatetags.isolation import bdi
from sixclear.evaluation import selectors as evaluation
from sixclear.orgs.selectors import visible_units
from sixclear.plans import selectors as plans
from sixclear.tracking import selectors as tracking

from . import limits, opendata, pagecache, selectors, services
from .forms import FollowForm, ModerationForm, PublishForm, PublishingDefaultForm, RatingForm

PROVEN_ADDRESS = "portal_address"


def _proven_address(request):
    return request.session.get(PROVEN_ADDRESS)


def _built(name, key, build):
    """A cached page body, or 404 when what it shows is not (or no longer) published."""
    try:
        return pagecache.cached_body(name, key, build)
    except ObjectDoesNotExist:
        raise Http404 from None


def _etag(request, entry):
    """Same body, language, person and proven address: the same page."""
    return (f'W/"{entry["etag"]}-{get_language()}-{request.user.pk or 0}-'
            f'{_proven_address(request) or 0}"')


def _not_modified(request, etag):
    """A GET for a page the browser holds already, with no message waiting to be shown."""
    return (request.method == "GET" and not len(messages.get_messages(request))
            and etag in request.headers.get("If-None-Match", ""))


def _answer(request, template, context, etag=None, status=200):
    if etag and _not_modified(request, etag):
        response = HttpResponseNotModified()
    else:
        response = render(request, template, context, status=status)
    if etag:
        response["ETag"] = etag
    # Private: the frame carries the visitor's CSRF token. Revalidated each time, so a
    # publishing decision shows at once; the 304 costs no query when the body is cached.
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _page(request, entry, extra=None, template="portal/page.html"):
    """The cached body in the site's frame, with an ETag unless the answer is personal."""
    etag = _etag(request, entry) if extra is None else None
    return _answer(request, template, {"entry": entry, **(extra or {})}, etag)


def _body(template, context):
    return render_to_string(template, context)


@require_GET
@pagecache.shared_page
def index(request):
    query = request.GET.get("q", "").strip()[:100]

    def build():
        return _("Public portal"), _body("portal/_index.html", {"regions": selectors.regions()})

    entry = _built("index", "", build)
    results = selectors.search_units(query) if query else None
    return _page(request, entry, {"query": query, "results": results} if query else None,
                 template="portal/index.html")


@require_GET
@pagecache.shared_page
def unit(request, pk):
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() else 1

    def build():
        page = selectors.unit_page(pk, page_number)
        return page.unit.name, _body("portal/_unit.html", {
            "page": page, "leagues": selectors.unit_leagues(page.unit)})

    return _page(request, _built("unit", f"{pk}:{page_number}", build))


@require_GET
@pagecache.shared_page
def resolution(request, pk):
    def build():
        page = selectors.resolution_page(pk)
        return page.resolution.number, _body("portal/_resolution.html", {"page": page})

    return _page(request, _built("resolution", pk, build))


@require_GET
@pagecache.shared_page
def league(request, pk):
    """A published evaluation league: the collectives' ranks, points and grades."""
    def build():
        page = selectors.league_page(pk)
        sentence = _("Annual evaluation %(year)s: %(level)s under %(unit)s")
        values = {"year": page.round.year, "level": page.round.get_level_display()}
        title = sentence % {**values, "unit": page.round.unit.name}
        # On the page the unit's name is isolated inside the sentence, as in every template.
        heading = mark_safe(conditional_escape(sentence) % {  # noqa: S308 (every part escaped)
            **{key: conditional_escape(value) for key, value in values.items()},
            "unit": bdi(page.round.unit.name)})
        return title, _body("portal/_league.html", {"page": page, "heading": heading})

    return _page(request, _built("league", pk, build))


def _item_page(request, kind, pk, follow_form=None, rating_form=None, status=200):
    """A target or task page; below its cached body, the follow and rating forms (bound and
    with their errors after a rejected submission, so nothing typed is lost)."""
    def build():
        page = selectors.target_page(pk) if kind == "target" else selectors.task_page(pk)
        item = page.target if kind == "target" else page.task
        title = f"{item.code} · {item.name}" if kind == "target" else item.title
        return title, _body(f"portal/_{kind}.html", {"page": page})

    entry = _built(kind, pk, build)
    bound = follow_form is not None or rating_form is not None
    proven = _proven_address_email(request)
    context = {
        "entry": entry, "kind": kind, "pk": pk, "proven_email": proven,
        "follow_form": follow_form or FollowForm(initial={"email": proven}, auto_id="follow_%s"),
        "rating_form": rating_form or RatingForm(initial={"email": proven}, auto_id="rating_%s"),
    }
    etag = None if bound else _etag(request, entry)
    return _answer(request, "portal/item.html", context, etag, status=status)


def _proven_address_email(request):
    pk = _proven_address(request)
    if not pk:
        return ""
    return request.session.get("portal_email", "")


@require_GET
@pagecache.shared_page
def target(request, pk):
    return _item_page(request, "target", pk)


@require_GET
@pagecache.shared_page
def task(request, pk):
    return _item_page(request, "task", pk)


def _published_or_404(kind, pk):
    try:
        return selectors.published_item(kind, pk)
    except ObjectDoesNotExist:
        raise Http404 from None


@require_POST
def follow(request, kind, pk):
    item = _published_or_404(kind, pk)
    form = FollowForm(request.POST, auto_id="follow_%s")
    if form.is_valid():
        try:
            limits.take_client_submission(request)
            _follow, pending = services.request_follow(
                item=item, email=form.cleaned_data["email"], language=get_language(),
                site_url=request.build_absolute_uri("/"),
                proven_address_id=_proven_address(request),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if pending:
                messages.success(request, _(
                    "Almost done: we sent you an e-mail. Open the link in it to confirm."))
            else:
                messages.success(request, _(
                    "You follow this now. We will e-mail you when it changes."))
            return redirect(f"portal:{kind}", pk=pk)
    return _item_page(request, kind, pk, follow_form=form, status=400)


@require_POST
def rate(request, kind, pk):
    item = _published_or_404(kind, pk)
    form = RatingForm(request.POST, auto_id="rating_%s")
    if form.is_valid():
        try:
            limits.take_client_submission(request)
            _rating, pending = services.rate(
                item=item, email=form.cleaned_data["email"], score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"], language=get_language(),
                site_url=request.build_absolute_uri("/"),
                proven_address_id=_proven_address(request),
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if pending:
                messages.success(request, _(
                    "Almost done: we sent you an e-mail. Open the link in it to confirm "
                    "your rating."))
            else:
                messages.success(request, _("Thank you: your rating is saved."))
            return redirect(f"portal:{kind}", pk=pk)
    return _item_page(request, kind, pk, rating_form=form, status=400)


@require_GET
def confirm(request, token):
    try:
        address, item = services.confirm(token=token)
    except ValidationError as error:
        return render(request, "portal/message.html", {
            "title": _("Link not valid"), "text": error.messages[0]}, status=400)
    request.session[PROVEN_ADDRESS] = address.pk
    request.session["portal_email"] = address.email
    messages.success(request, _("Thank you: your e-mail address is confirmed."))
    if item is None:
        return redirect("portal:index")
    kind = "task" if item.__class__.__name__ == "Task" else "target"
    return redirect(f"portal:{kind}", pk=item.pk)


@csrf_exempt  # the signed token is the credential; mail clients post here (RFC 8058)
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    if request.method == "GET":
        return render(request, "portal/unsubscribe.html", {"token": token})
    try:
        follow = services.unsubscribe(token=token)
    except ValidationError as error:
        return render(request, "portal/message.html", {
            "title": _("Link not valid"), "text": error.messages[0]}, status=400)
    item = follow.target or follow.task
    return render(request, "portal/message.html", {
        "title": _("You are unsubscribed"),
        "text": _("You will receive no more e-mails about %(item)s.") % {
            "item": services._name(item)},
    })


@require_GET
@pagecache.shared_page
def open_data(request):
    def build():
        return _("Open data"), _body("portal/_open_data.html", {
            "datasets": opendata.DATASETS, "licence": opendata.LICENCE,
        })

    return _page(request, _built("open-data", "", build))


@require_GET
def download(request, dataset, fmt):
    if dataset not in opendata.DATASETS or fmt not in ("csv", "json"):
        raise Http404
    unit_pk = request.GET.get("unit", "")
    within = None
    if unit_pk:
        within = selectors.public_units().filter(pk=unit_pk if unit_pk.isdigit() else 0).first()
        if within is None:
            raise Http404

    def build():
        return "", opendata.render(dataset, fmt, within)

    entry = pagecache.cached_body("download", f"{dataset}.{fmt}:{unit_pk}", build)
    etag = f'"{entry["etag"]}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = HttpResponseNotModified()
    else:
        content_type = ("text/csv; charset=utf-8" if fmt == "csv"
                        else "application/json; charset=utf-8")
        response = HttpResponse(entry["body"], content_type=content_type)
        name = f"sixclear-{dataset}{'-' + unit_pk if unit_pk else ''}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=300)
    return response


# --- Internal: moderation and publishing --------------------------------------------------------


@login_required
@require_GET
def moderation(request):
    ratings = list(selectors.comments_to_moderate(request.user)[:100])
    return render(request, "portal/moderation.html", {"ratings": ratings})


@login_required
@require_POST
def moderate(request, pk):
    rating = get_object_or_404(selectors.comments_to_moderate(request.user), pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            services.moderate_comment(
                actor=request.user, rating=rating,
                approve=form.cleaned_data["decision"] == "approve",
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The comment was approved.")
                             if form.cleaned_data["decision"] == "approve"
                             else _("The comment was rejected."))
    else:
        messages.error(request, _("The decision could not be read. Please try again."))
    return redirect("portal:moderation")


INTERNAL_ITEMS = {
    "resolution": (plans.visible_resolutions, "plans:resolution"),
    "target": (plans.visible_targets, "plans:target"),
    "task": (tracking.visible_tasks, "tracking:task"),
}


def _back(request, fallback):
    target_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target_url, {request.get_host()}, request.is_secure()):
        return redirect(target_url)
    return redirect(fallback)


@login_required
@require_POST
def publish(request, kind, pk):
    if kind not in INTERNAL_ITEMS:
        raise Http404
    visible, page = INTERNAL_ITEMS[kind]
    item = get_object_or_404(visible(request.user).select_related("unit"), pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.set_publication(actor=request.user, item=item,
                                     published=form.cleaned_data["published"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("It is now on the public portal.")
                             if form.cleaned_data["published"]
                             else _("It is no longer on the public portal."))
    else:
        messages.error(request, _("The decision could not be read. Please try again."))
    return _back(request, reverse(page, args=[pk]))


@login_required
@require_POST
def publishing_default(request, pk):
    unit_row = get_object_or_404(visible_units(request.user), pk=pk)
    form = PublishingDefaultForm(request.POST)
    if form.is_valid():
        try:
            services.set_publishing_default(
                actor=request.user, unit=unit_row, publish=form.cleaned_data["publish"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The unit's publishing default was saved."))
    else:
        messages.error(request, _("The setting could not be read. Please try again."))
    return redirect("orgs:unit", pk=unit_row.pk)


@login_required
@require_POST
def publish_league(request, pk):
    """The deciding level publishes or withdraws a closed round's league (a round the person
    does not review answers 404; one they see but may not decide, 403)."""
    round_ = evaluation.round_for_review(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.set_league_publication(actor=request.user, round=round_,
                                            published=form.cleaned_data["published"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The league is now on the public portal.")
                             if form.cleaned_data["published"]
                             else _("The league is no longer on the public portal."))
    else:
        messages.error(request, _("The decision could not be read. Please try again."))
    return redirect("evaluation:round", round_.pk)
