"""Uploads and generated files on S3-compatible storage (SIXCLEAR_S3_BUCKET): evidence, a
report file and its signed copy are written to a bucket and read back through the
access-checked views; nothing lands on the app server's disk. The bucket is moto's S3 server,
started in this process on a free port."""

import hashlib
import socket
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from sixclear.audit.backup import backup
from sixclear.reports import services
from sixclear.tracking import services as tracking
from sixclear.tracking.models import TaskState
from tests.factories import TaskFactory
from tests.web.conftest import PDF, pdf

pytest.importorskip("storages.backends.s3", reason="django-storages[s3] is not installed")
boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")

KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint():
    port = free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings, tmp_path):
    """A new bucket as the default storage, as settings make it from SIXCLEAR_S3_*."""
    name = f"sixclear-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")  # noqa: S106
    client.create_bucket(Bucket=name)
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
            "bucket_name": name, "endpoint_url": s3_endpoint, "location": "",
            "file_overwrite": False, "default_acl": None, "querystring_auth": True,
            "signature_version": "s3v4", **KEYS}}}

    def objects():
        listed = client.list_objects_v2(Bucket=name).get("Contents", [])
        return {item["Key"]: client.get_object(Bucket=name, Key=item["Key"])["Body"].read()
                for item in listed}

    return objects


def downloaded(response):
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_evidence_is_stored_in_the_bucket_and_served_by_the_checked_view(client, world, bucket,
                                                                         settings):
    task = TaskFactory(unit=world.hoa_hoi, owner=world.hh_officer, state=TaskState.ISSUED)
    report = tracking.report_progress(actor=world.hh_officer, task=task, percent=10,
                                      narrative="Đã khảo sát.", files=[pdf()])
    evidence = report.evidence.get()
    assert default_storage.__class__.__name__ == "S3Storage"
    stored = bucket()
    assert stored == {evidence.file.name: PDF}
    assert evidence.file.name.startswith(f"evidence/{task.pk}/")
    assert not settings.MEDIA_ROOT.exists()  # nothing on the app server's disk
    client.force_login(world.hh_officer)
    assert downloaded(client.get(reverse("tracking:evidence", args=[evidence.pk]))) == PDF
    client.force_login(world.anb_officer)  # a sibling commune: as if it did not exist
    assert client.get(reverse("tracking:evidence", args=[evidence.pk])).status_code == 404


def test_a_report_and_its_signed_copy_are_written_to_and_read_from_the_bucket(
        client, world, quarter, demo_pki, bucket, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_report(actor=world.province_leader, unit=world.gia_lai,
                                         period_kind="quarter", year=2026, period_number=4,
                                         format="pdf", language="vi")
    report.refresh_from_db()
    assert report.status == "done", report.error
    signed = services.sign_report(actor=world.province_leader, report=report)  # reads it back
    stored = bucket()
    assert set(stored) == {report.file.name, signed.file.name}
    assert hashlib.sha256(stored[report.file.name]).hexdigest() == report.sha256
    assert hashlib.sha256(stored[signed.file.name]).hexdigest() == signed.sha256
    client.force_login(world.province_leader)
    file = downloaded(client.get(reverse("reports:file", args=[report.pk])))
    assert hashlib.sha256(file).hexdigest() == report.sha256
    copy = downloaded(client.get(reverse("reports:signed_file", args=[signed.pk])))
    assert hashlib.sha256(copy).hexdigest() == signed.sha256
    assert b"/ByteRange" in copy  # the PAdES signature


def test_a_backup_leaves_the_bucket_to_its_own_versions(transactional_db, bucket, tmp_path):
    default_storage.save("evidence/1/kept-in-the-bucket.pdf", ContentFile(PDF))
    manifest = backup(tmp_path / "archive")
    assert manifest["media"] == {"files": 0, "bytes": 0, "object_storage": True}
    assert not (tmp_path / "archive" / "media").exists()
