"""The API writes a resolution's status and issuing body and a program's issuer through the
same services as the pages, under the same rules."""

from sixclear.plans import services
from tests.api.conftest import token_client


def test_a_resolution_is_written_with_its_status_and_issuing_body(world, sample):
    client = token_client(world.hh_manager)
    response = client.post("/api/v1/resolutions/", {
        "unit": sample.unit.pk, "number": "07-NQ/ĐU", "title": "Nghị quyết",
        "issuing_body": "Đại hội Đảng bộ xã", "term_start": 2025, "term_end": 2030,
        "status": "adopted", "adopted_on": "2025-08-01"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["issuing_body"]) == ("adopted", "Đại hội Đảng bộ xã")
    undated = client.post("/api/v1/resolutions/", {
        "unit": sample.unit.pk, "number": "08-NQ/ĐU", "title": "Nghị quyết",
        "term_start": 2025, "term_end": 2030, "status": "adopted"}, format="json")
    assert undated.status_code == 400
    assert list(undated.json()["fields"]) == ["adopted_on"]


def test_a_program_is_written_with_its_issuer(world, sample):
    response = token_client(world.hh_manager).post("/api/v1/programs/", {
        "unit": sample.unit.pk, "kind": "decision", "number": "168-QĐ/ĐU", "title": "Quyết định",
        "issuing_body": "Ban Thường vụ Đảng ủy", "period_start": "2026-01-01",
        "period_end": "2026-12-31"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["issuing_body"] == "Ban Thường vụ Đảng ủy"


def test_a_program_shows_its_sections_in_order_with_their_targets(world, sample):
    program = sample.program  # which carries sample.target
    first = services.add_program_section(actor=world.hh_manager, program=program, code="A",
                                         title="Kinh tế")
    services.add_program_section(actor=world.hh_manager, program=program, code="B",
                                 title="Xã hội")
    services.place_targets_in_sections(actor=world.hh_manager, program=program,
                                       placement={sample.target: first})
    body = token_client(world.hh_officer).get(f"/api/v1/programs/{program.pk}/").json()
    assert [(s["code"], s["targets"]) for s in body["sections"]] == [
        ("A", [sample.target.pk]), ("B", [])]
