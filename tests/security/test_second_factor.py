"""The second factor (ASVS V2.7, V2.8): TOTP with recovery codes, required of administrators,
leaders, staff and report signers when SIXCLEAR_REQUIRE_SECOND_FACTOR is on, asked of everyone
who set it up, with wrong codes throttled and every attempt logged."""

import datetime
import time
from base64 import b32decode

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sixclear.accounts import services
from sixclear.accounts.models import SecondFactorEvent
from sixclear.orgs.models import Role
from sixclear.reports.models import ReportSigner
from tests.api.conftest import token_client
from tests.factories import UserFactory, person
from tests.security.test_requests import fresh_rate_limits  # noqa: F401 - autouse fixture
from tests.web.test_accounts import sign_in

MY_WORK = "/my-work/"


@pytest.fixture
def required(settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = True


def code_for(device, steps_ahead=0):
    """The code the person's app shows now (or `steps_ahead` periods of 30 s later)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def code_from_secret(secret):
    totp = TOTP(b32decode(secret.replace(" ", "")))
    return f"{totp.token():06d}"


def enrol(user):
    """Set up `user`'s authenticator as the set-up page does; returns it and the codes."""
    device = services.start_enrolment(actor=user)
    return services.confirm_enrolment(actor=user, code=code_for(device))


def verify(client, code, next_url=MY_WORK):
    return client.post(reverse("accounts:second_factor_verify"), {"code": code, "next": next_url})


def without_the_middleware(settings):
    """The pages' own checks, as if the middleware were missing from the list."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE
                           if not name.endswith("SecondFactorMiddleware")]


def powerful_people(world):
    signer = UserFactory(username="hh.secretary")
    deputy = UserFactory(username="hh.deputy")
    ReportSigner.objects.create(unit=world.hoa_hoi, signer=signer, signer_title="Bí thư",
                                deputy=deputy, deputy_title="Phó Bí thư")
    return {
        "leader": world.hh_leader,
        "province leader": world.province_leader,
        "administrator": person(world.hoa_hoi, Role.ADMIN, username="hh.admin"),
        "staff": UserFactory(username="staff", is_staff=True),
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
        "signer": signer,
        "deputy signer": deputy,
    }


POWERFUL = ["leader", "province leader", "administrator", "staff", "superuser", "signer",
            "deputy signer"]


@pytest.mark.parametrize("who", POWERFUL)
def test_people_who_must_have_it_are_sent_to_set_it_up_before_anything_else(
        client, world, required, who):
    user = powerful_people(world)[who]
    response = sign_in(client, user.username)
    assert response.status_code == 302
    enrol_url = reverse("accounts:second_factor_enrol")
    for url in [MY_WORK, reverse("orgs:unit", args=[world.hoa_hoi.pk]),
                reverse("accounts:preferences"), reverse("accounts:second_factor"),
                "/admin/", "/portal/", reverse("api_tokens:list")]:
        page = client.get(url)
        assert page.status_code == 302, url
        assert page["Location"].startswith(enrol_url), url
    assert client.get(MY_WORK)["Location"] == f"{enrol_url}?next=%2Fmy-work%2F"
    # A write is refused as well, and the API answers in its own format to such a session.
    assert client.post(reverse("accounts:preferences"), {"delivery": "daily"}).status_code == 302
    api = client.get("/api/v1/tasks/")
    assert api.status_code == 403
    assert api.json()["code"] == "second_factor_required"
    assert client.get(enrol_url).status_code == 200


def test_sign_out_and_the_language_stay_open_before_set_up(client, world, required):
    sign_in(client, world.hh_leader.username)
    assert client.post(reverse("accounts:language"), {"language": "vi", "next": "/"}) \
        .status_code == 302
    assert client.get("/static/sixclear/sixclear.css").status_code != 302
    client.post(reverse("accounts:sign_out"))
    assert client.get(MY_WORK)["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("who", ["hh_officer", "hh_manager", "hh_viewer", "outsider"])
def test_people_whose_post_does_not_ask_for_it_are_untouched(client, world, required, who):
    sign_in(client, getattr(world, who).username)
    assert client.get(MY_WORK).status_code == 200
    assert client.get(reverse("accounts:preferences")).status_code == 200


def test_with_the_setting_off_nobody_is_forced_to_set_it_up(client, world, settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = False
    sign_in(client, world.hh_leader.username)
    assert client.get(MY_WORK).status_code == 200
    assert client.get("/api/v1/tasks/").status_code == 200
    # ... but it is offered.
    page = client.get(reverse("accounts:second_factor_enrol"))
    assert page.status_code == 200
    assert 'id="totp-secret"' in page.content.decode()


def test_the_setting_is_on_in_production_and_off_elsewhere(tmp_path):
    import subprocess
    import sys

    def required_in(env):
        code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sixclear.settings'; "
                "from django.conf import settings; print(settings.SIXCLEAR_REQUIRE_SECOND_FACTOR)")
        base = {"PATH": "/usr/bin:/bin", "SIXCLEAR_SECRET_KEY": "x" * 60,
                "SIXCLEAR_ALLOWED_HOSTS": "example.org", "SIXCLEAR_DATA_DIR": str(tmp_path),
                "PYTHONPATH": ":".join(sys.path)}
        out = subprocess.run([sys.executable, "-c", code], env={**base, **env},
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()

    assert required_in({"SIXCLEAR_ENV": "production"}) == "True"
    assert required_in({"SIXCLEAR_ENV": "development"}) == "False"
    assert required_in({"SIXCLEAR_ENV": "production",
                        "SIXCLEAR_REQUIRE_SECOND_FACTOR": "0"}) == "False"
    assert required_in({"SIXCLEAR_REQUIRE_SECOND_FACTOR": "1"}) == "True"


def test_setting_it_up_through_the_pages(client, world, required):
    sign_in(client, world.hh_leader.username)
    page = client.get(reverse("accounts:second_factor_enrol") + "?next=/my-work/")
    body = page.content.decode()
    assert 'src="data:image/svg+xml' in body  # the QR code, an image the CSP allows
    secret = page.context["secret"]
    assert secret in body
    wrong = client.post(reverse("accounts:second_factor_enrol"),
                        {"code": "000000", "next": MY_WORK})
    if code_from_secret(secret) != "000000":
        assert wrong.status_code == 400
        assert not services.has_second_factor(world.hh_leader)
    device = TOTPDevice.objects.get(user=world.hh_leader)
    device.throttle_reset()  # the wrong code above made the next one wait
    response = client.post(reverse("accounts:second_factor_enrol"),
                           {"code": code_from_secret(secret), "next": MY_WORK})
    assert response["Location"] == reverse("accounts:recovery_codes")
    codes = client.get(reverse("accounts:recovery_codes")).context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    download = client.get(reverse("accounts:recovery_codes_download"))
    assert download["Content-Disposition"].startswith("attachment")
    assert all(code in download.content.decode() for code in codes)
    done = client.post(reverse("accounts:recovery_codes"))
    assert done["Location"] == MY_WORK
    # Shown once: the codes are gone from the session.
    assert client.get(reverse("accounts:recovery_codes"))["Location"] == \
        reverse("accounts:second_factor")
    assert client.get(reverse("accounts:recovery_codes_download")).status_code == 404
    assert client.get(MY_WORK).status_code == 200
    assert SecondFactorEvent.objects.filter(
        user=world.hh_leader, kind=SecondFactorEvent.Kind.ENROLLED).count() == 1


def test_a_person_who_set_it_up_gives_a_code_after_the_password(client, world, required):
    device, _codes = enrol(world.hh_leader)
    sign_in(client, world.hh_leader.username)
    session_before = client.cookies["sessionid"].value
    assert client.get(MY_WORK)["Location"].startswith(reverse("accounts:second_factor_verify"))
    # Verification before set-up is not a way around it: the set-up page sends to the code.
    assert client.get(reverse("accounts:second_factor_enrol"))["Location"].startswith(
        reverse("accounts:second_factor_verify"))
    response = verify(client, code_for(device, steps_ahead=1))
    assert response.status_code == 302
    assert response["Location"] == MY_WORK
    assert client.cookies["sessionid"].value != session_before  # a new session key
    assert client.get(MY_WORK).status_code == 200
    assert client.get("/api/v1/tasks/").status_code == 200
    assert SecondFactorEvent.objects.filter(
        user=world.hh_leader, kind=SecondFactorEvent.Kind.VERIFIED).exists()


def test_an_offsite_next_is_not_followed(client, world):
    device, _codes = enrol(world.hh_officer)
    sign_in(client, world.hh_officer.username)
    response = verify(client, code_for(device, steps_ahead=1), next_url="https://evil.example/")
    assert response["Location"] == MY_WORK


def test_the_setting_off_still_asks_those_who_set_it_up(client, world, settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = False
    device, _codes = enrol(world.hh_officer)
    sign_in(client, world.hh_officer.username)
    assert client.get(MY_WORK)["Location"].startswith(reverse("accounts:second_factor_verify"))
    assert client.get("/api/v1/tasks/").status_code == 403
    verify(client, code_for(device, steps_ahead=1))
    assert client.get(MY_WORK).status_code == 200


def test_a_recovery_code_works_once(client, world, required):
    _device, codes = enrol(world.hh_leader)
    sign_in(client, world.hh_leader.username)
    response = verify(client, codes[3].upper().replace("-", " "))  # as typed from paper
    assert response["Location"] == MY_WORK
    assert services.recovery_codes_left(world.hh_leader) == 9
    assert SecondFactorEvent.objects.filter(
        user=world.hh_leader, kind=SecondFactorEvent.Kind.RECOVERY_USED).exists()
    client.post(reverse("accounts:sign_out"))
    sign_in(client, world.hh_leader.username)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        again = verify(client, codes[3])
        assert again.status_code == 400
        assert client.get(MY_WORK).status_code == 302
        clock.shift(datetime.timedelta(seconds=2))  # past the wait after a wrong code
        assert verify(client, codes[4], next_url="").status_code == 302


def test_a_wrong_code_is_refused_throttled_and_logged(client, world, required):
    device, _codes = enrol(world.hh_leader)
    sign_in(client, world.hh_leader.username)
    good = code_for(device, steps_ahead=1)
    wrong = "123456" if good != "123456" else "654321"
    with time_machine.travel(timezone.now(), tick=False) as clock:
        refused = verify(client, wrong)
        assert refused.status_code == 400
        assert refused.context["form"].errors["code"]
        # Right away, even the right code is not looked at: the throttle makes it wait.
        throttled = verify(client, code_for(device, steps_ahead=1))
        assert throttled.status_code == 400
        assert "Wait" in throttled.context["form"].errors["code"][0]
        assert client.get(MY_WORK).status_code == 302
        clock.shift(datetime.timedelta(seconds=3))
        assert verify(client, code_for(device, steps_ahead=1)).status_code == 302
    kinds = list(SecondFactorEvent.objects.filter(user=world.hh_leader)
                 .order_by("pk").values_list("kind", "address"))
    assert kinds[1:] == [("refused", "127.0.0.1"), ("throttled", "127.0.0.1"),
                         ("verified", "127.0.0.1")]


def test_repeated_wrong_codes_wait_longer_each_time(world):
    device, _codes = enrol(world.hh_officer)
    with time_machine.travel(timezone.now(), tick=False):
        for _attempt in range(4):
            with pytest.raises(services.ValidationError):
                services.verify_second_factor(actor=world.hh_officer, code="000000"
                                              if code_for(device) != "000000" else "111111")
            device.refresh_from_db()
            device.throttling_failure_timestamp = None  # as if the wait had passed
            device.save()
        device.refresh_from_db()
        assert device.throttling_failure_count == 4
        device.throttling_failure_timestamp = timezone.now()
        device.save()
        assert device.verify_is_allowed()[1]["locked_until"] >= \
            timezone.now() + datetime.timedelta(seconds=8)


def test_recovery_codes_are_throttled_too(world):
    _device, codes = enrol(world.hh_officer)
    with time_machine.travel(timezone.now(), tick=False):
        with pytest.raises(services.ValidationError):
            services.verify_second_factor(actor=world.hh_officer, code="aaaa-aaaa")
        with pytest.raises(services.ValidationError, match="Wait"):
            services.verify_second_factor(actor=world.hh_officer, code=codes[0])
    assert services.recovery_codes_left(world.hh_officer) == 10


def test_the_admin_asks_for_the_code(client, world, settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = False
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    device, _codes = enrol(chief)
    sign_in(client, chief.username)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:second_factor_verify"))
    verify(client, code_for(device, steps_ahead=1))
    assert client.get("/admin/").status_code == 200


def test_the_admin_asks_for_the_code_even_without_the_middleware(client, world, settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = True
    without_the_middleware(settings)
    chief = UserFactory(username="chief", is_staff=True, is_superuser=True)
    client.force_login(chief)
    page = client.get("/admin/", follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:second_factor_enrol"))
    assert client.get("/admin/orgs/unit/", follow=True).redirect_chain[-1][0].startswith(
        reverse("accounts:second_factor_enrol"))


def test_api_tokens_keep_working_but_their_page_needs_the_code(client, world, settings):
    settings.SIXCLEAR_REQUIRE_SECOND_FACTOR = True
    api = token_client(world.hh_leader)
    assert api.get("/api/v1/tasks/").status_code == 200
    without_the_middleware(settings)
    client.force_login(world.hh_leader)
    assert client.get(reverse("api_tokens:list"))["Location"].startswith(
        reverse("accounts:second_factor_enrol"))
    device, _codes = enrol(world.hh_leader)
    assert client.get(reverse("api_tokens:list"))["Location"].startswith(
        reverse("accounts:second_factor_verify"))
    verify(client, code_for(device, steps_ahead=1))
    assert client.get(reverse("api_tokens:list")).status_code == 200
    # An officer's post does not ask for it: the page opens with the password alone.
    client.force_login(world.hh_officer)
    assert client.get(reverse("api_tokens:list")).status_code == 200


def test_a_person_made_leader_during_the_session_is_sent_to_set_it_up(client, world, required):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        sign_in(client, world.hh_officer.username)
        assert client.get(MY_WORK).status_code == 200
        world.hh_officer.memberships.update(role=Role.LEADER)
        clock.shift(datetime.timedelta(seconds=61))
        assert client.get(MY_WORK)["Location"].startswith(
            reverse("accounts:second_factor_enrol"))


def test_new_recovery_codes_need_a_current_code(client, world, required):
    device, old = enrol(world.hh_leader)
    client.force_login(world.hh_leader)
    verify(client, code_for(device, steps_ahead=1))
    refused = client.post(reverse("accounts:renew_recovery_codes"), {"renew-code": "99999x"})
    assert refused.status_code == 400
    assert services.recovery_codes_left(world.hh_leader) == 10
    response = client.post(reverse("accounts:renew_recovery_codes"),
                           {"renew-code": code_for(device, steps_ahead=2)})
    assert response["Location"] == reverse("accounts:recovery_codes")
    new = client.get(reverse("accounts:recovery_codes")).context["codes"]
    assert set(new).isdisjoint(old)
    stored = set(StaticToken.objects.filter(device__user=world.hh_leader)
                 .values_list("token", flat=True))
    assert stored == {code.replace("-", "") for code in new}


def test_the_factor_cannot_be_removed_when_the_post_requires_it(client, world, required):
    device, _codes = enrol(world.hh_leader)
    client.force_login(world.hh_leader)
    verify(client, code_for(device, steps_ahead=1))
    page = client.get(reverse("accounts:second_factor")).content.decode()
    assert reverse("accounts:remove_second_factor") not in page
    refused = client.post(reverse("accounts:remove_second_factor"),
                          {"remove-code": code_for(device, steps_ahead=2)})
    assert refused.status_code == 400
    assert services.has_second_factor(world.hh_leader)


def test_a_person_whose_post_does_not_require_it_may_remove_it(client, world, required):
    device, _codes = enrol(world.hh_officer)
    client.force_login(world.hh_officer)
    verify(client, code_for(device, steps_ahead=1))
    wrong = client.post(reverse("accounts:remove_second_factor"), {"remove-code": "abc"})
    assert wrong.status_code == 400
    assert services.has_second_factor(world.hh_officer)
    response = client.post(reverse("accounts:remove_second_factor"),
                           {"remove-code": code_for(device, steps_ahead=2)})
    assert response["Location"] == reverse("accounts:second_factor")
    assert not services.has_second_factor(world.hh_officer)
    assert services.recovery_codes_left(world.hh_officer) == 0
    client.post(reverse("accounts:sign_out"))
    sign_in(client, world.hh_officer.username)
    assert client.get(MY_WORK).status_code == 200


@pytest.mark.parametrize("name", ["second_factor", "second_factor_verify", "second_factor_enrol",
                                  "recovery_codes", "recovery_codes_download"])
def test_anonymous_people_are_sent_to_sign_in(client, db, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:sign_in"))


@pytest.mark.parametrize("name", ["renew_recovery_codes", "remove_second_factor"])
def test_the_actions_need_a_post_from_a_signed_in_person(client, world, name):
    assert client.post(reverse(f"accounts:{name}"))["Location"].startswith(
        reverse("accounts:sign_in"))
    client.force_login(world.hh_officer)
    assert client.get(reverse(f"accounts:{name}")).status_code == 405


def test_one_person_s_code_does_not_open_another_s_session(client, world):
    leader_device, _codes = enrol(world.hh_leader)
    enrol(world.hh_officer)
    sign_in(client, world.hh_officer.username)
    assert verify(client, code_for(leader_device, steps_ahead=1)).status_code == 400
    assert client.get(MY_WORK).status_code == 302


@pytest.mark.parametrize("language, heading", [
    ("ar", "أدخل الرمز"), ("vi", "Nhập mã"), ("en", "Enter your code")])
def test_the_verification_page_speaks_the_three_languages(client, world, language, heading):
    enrol(world.hh_leader)
    sign_in(client, world.hh_leader.username)
    page = client.get(reverse("accounts:second_factor_verify"), HTTP_ACCEPT_LANGUAGE=language)
    body = page.content.decode()
    assert heading in body
    assert (f'lang="{language}" dir="rtl"' in body) == (language == "ar")
    wrong = verify(client, "abc", next_url="")
    assert wrong.status_code == 400


def test_events_are_chained_in_the_audit_trail(world):
    from sixclear.audit.models import AuditEntry

    enrol(world.hh_officer)
    assert AuditEntry.objects.filter(model_label__icontains="secondfactorevent").exists()


def test_an_htmx_request_is_sent_to_the_whole_page(client, world, required):
    sign_in(client, world.hh_leader.username)
    response = client.get(MY_WORK, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"].startswith(reverse("accounts:second_factor_enrol"))
