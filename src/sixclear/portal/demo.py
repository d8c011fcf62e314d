"""The portal's part of the demo: Việt Hưng publishes its resolution, the resolution's targets
and its first issued tasks; Hòa Hội publishes one result with approved values; once the
evaluation's part has closed Việt Hưng's 2025 round of its offices, the ward's secretary puts
its league on the portal (`publish_leagues`, run after the evaluation's part). Idempotent:
publishing what is already published changes nothing, and a league once decided on (published
or withdrawn since) is left as it is."""

from django.contrib.auth import get_user_model

from sixclear.orgs.models import Unit
from sixclear.plans.models import Resolution, Target
from sixclear.tracking.models import Task, TaskState

from .models import LeaguePublication
from .services import set_league_publication, set_publication

VIET_HUNG, VH_MANAGER = "HN-VH", "vh.manager"
HOA_HOI, HH_MANAGER, HH_RESULT = "GL-HH", "hh.manager", "HH-NQ-02"
VH_LEADER = "vh.leader"
PUBLISHED_TASKS = 6


def add_demo(today):
    people = get_user_model().objects.filter(username__in=[VH_MANAGER, HH_MANAGER])
    managers = {person.username: person for person in people}
    viet_hung = Unit.objects.filter(code=VIET_HUNG).first()
    if viet_hung is not None and VH_MANAGER in managers:
        manager = managers[VH_MANAGER]
        for resolution in Resolution.objects.filter(unit=viet_hung):
            set_publication(actor=manager, item=resolution, published=True)
            for target in Target.objects.filter(unit=viet_hung, resolution=resolution):
                set_publication(actor=manager, item=target, published=True)
        tasks = Task.objects.filter(unit=viet_hung, state__in=[TaskState.ISSUED, TaskState.DONE])
        for task in tasks.order_by("code", "pk")[:PUBLISHED_TASKS]:
            set_publication(actor=manager, item=task, published=True)
    hoa_hoi = Unit.objects.filter(code=HOA_HOI).first()
    if hoa_hoi is not None and HH_MANAGER in managers:
        for target in Target.objects.filter(unit=hoa_hoi, code=HH_RESULT):
            set_publication(actor=managers[HH_MANAGER], item=target, published=True)


def publish_leagues(today):
    from sixclear.evaluation.demo import closed_round

    round_ = closed_round()
    leader = get_user_model().objects.filter(username=VH_LEADER).first()
    if round_ is None or leader is None or LeaguePublication.objects.filter(
            round=round_).exists():
        return
    set_league_publication(actor=leader, round=round_, published=True)
