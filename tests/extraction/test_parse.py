"""The extractor reads targets as Vietnamese, English and Arabic documents write them."""

import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from sixclear.extraction import UnreadableDocument, extract, read_bytes
from sixclear.extraction.evaluate import evaluate
from sixclear.extraction.numbers import parse_number

CORPUS = Path(__file__).parent / "corpus"

HEADER = """ĐẢNG BỘ PHƯỜNG VIỆT HƯNG
Số: 01-NQ/ĐH
Việt Hưng, ngày 15 tháng 8 năm 2025
NGHỊ QUYẾT
Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I, nhiệm kỳ 2025 – 2030
II. MỤC TIÊU, CHỈ TIÊU
"""


def one_target(line, language="vi"):
    header = HEADER if language == "vi" else "OBJECTIVES AND TARGETS 2025–2030\n"
    targets = extract(header + "- " + line + "\n", language=language).targets
    assert len(targets) == 1, [t.clause for t in targets]
    return targets[0]


@pytest.mark.parametrize("written, language, value", [
    ("1.200", "vi", "1200"), ("1,2", "vi", "1.2"), ("21,7", "vi", "21.7"),
    ("1.200.500", "vi", "1200500"), ("1.200,5", "vi", "1200.5"), ("1,200", "en", "1200"),
    ("1.2", "en", "1.2"), ("١٢٫٥", "ar", "12.5"), ("2,500.75", "en", "2500.75"),
])
def test_numbers_as_each_language_writes_them(written, language, value):
    assert parse_number(written, language) == Decimal(value)


def test_the_issues_examples():
    growth = one_target("Tăng trưởng kinh tế bình quân 11–12 %/năm.")
    assert (growth.kind, growth.annual_rate, growth.annual_rate_high) == ("growth_range", "11",
                                                                          "12")
    count = one_target("Thu hút ít nhất 10 dự án đầu tư.")
    assert (count.kind, count.target_value, count.unit) == ("count", "10", "dự án")
    export = one_target("Kim ngạch xuất khẩu đạt trên 33 triệu USD vào năm 2030.")
    assert (export.kind, export.target_value, export.unit, export.target_year,
            export.direction) == ("threshold", "33", "triệu USD", 2030, "higher")
    poor = one_target("Tỷ lệ hộ nghèo giảm còn dưới 1 %.")
    assert (poor.kind, poor.target_value, poor.unit, poor.direction) == (
        "threshold", "1", "%", "lower")


@pytest.mark.parametrize("line, kind, value, unit", [
    ("Tăng trưởng GRDP 11-12%/năm", "growth_range", ("11", "12"), ""),
    ("Giá trị sản xuất tăng bình quân 21,7%/năm", "annual_growth", ("21.7", None), ""),
    ("Tổng vốn đầu tư giai đoạn 2025–2030 đạt 1,2 nghìn tỷ đồng", "cumulative", "1200",
     "tỷ đồng"),
    ("Thu ngân sách đạt 1.200 tỷ đồng", "threshold", "1200", "tỷ đồng"),
    ("Tỷ lệ che phủ rừng không dưới 35%", "threshold", "35", "%"),
    ("Tỷ lệ cán bộ nữ đạt tối thiểu 25%", "threshold", "25", "%"),
    ("Hằng năm có trên 90% chi bộ trong sạch, vững mạnh", "threshold_keep", "90", "%"),
    ("Giải quyết việc làm cho 2.500 lao động", "cumulative", "2500", "lao động"),
    ("Xây dựng mới 3 công viên", "count", "3", "công viên"),
    ("Cải tạo 5 sân chơi cho trẻ em", "count", "5", "sân chơi"),  # a noun no list knows
    ("Tỷ lệ đô thị hóa đạt 30% vào năm 2030", "threshold", "30", "%"),
])
def test_kinds_values_and_units(line, kind, value, unit):
    target = one_target(line)
    got = (target.annual_rate, target.annual_rate_high) if isinstance(value, tuple) \
        else target.target_value
    assert (target.kind, got, target.unit) == (kind, value, unit)


def test_higher_or_lower_is_better():
    assert one_target("Tỷ lệ hộ nghèo không dưới 5%").direction == "higher"
    assert one_target("Thời gian giải quyết giảm còn không quá 3 ngày làm việc").direction \
        == "lower"
    assert one_target("Tỷ lệ trẻ em dưới 5 tuổi suy dinh dưỡng đạt dưới 8%").target_value == "8"


def test_years_baseline_and_the_documents_period():
    target = one_target("Tỷ lệ tham gia BHYT từ 92,4% năm 2024 lên 95% vào năm 2028.")
    assert (target.baseline_value, target.baseline_year, target.target_value,
            target.target_year) == ("92.4", 2024, "95", 2028)
    inferred = one_target("Tỷ lệ lao động qua đào tạo đạt 75%")
    assert (inferred.baseline_year, inferred.target_year) == (2025, 2030)
    assert {"baseline_year", "target_year"} <= set(inferred.inferred)


def test_the_source_sentence_and_its_place():
    text = HEADER + "- Thu ngân sách đạt 85 tỷ đồng; tỷ lệ đô thị hóa đạt 30%.\n"
    first, second = extract(text).targets
    assert first.line == second.line == 7
    assert first.sentence == second.sentence == text.splitlines()[6]
    assert text[slice(*second.span)] == "tỷ lệ đô thị hóa đạt 30%"


def test_english_and_arabic():
    en = one_target("Export turnover above USD 33 million by 2030.", "en")
    assert (en.kind, en.target_value, en.unit, en.target_year) == (
        "threshold", "33", "million USD", 2030)
    ar = extract("الأهداف 2025-2030\n- نمو اقتصادي سنوي متوسط يتراوح بين 11% و12%.\n"
                 "- خفض نسبة الأسر الفقيرة إلى أقل من ١٪.\n", language="ar").targets
    assert (ar[0].kind, ar[0].annual_rate, ar[0].annual_rate_high) == ("growth_range", "11",
                                                                       "12")
    assert (ar[1].target_value, ar[1].unit, ar[1].direction) == ("1", "%", "lower")


def test_header_sections_items_and_tasks():
    proposal = extract((CORPUS / "dev" / "vi_viet_hung_nghi_quyet.txt").read_text())
    assert proposal.language == "vi"
    assert proposal.document == {
        "kind": "resolution", "number": "01-NQ/ĐH", "date": "2025-07-28",
        "issuer": "ĐẢNG BỘ PHƯỜNG VIỆT HƯNG", "period": {"start": 2025, "end": 2030},
        "title": "Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I, nhiệm kỳ 2025 – 2030"}
    kinds = [item.kind for item in proposal.items]
    assert (kinds.count("viewpoint"), kinds.count("breakthrough"),
            kinds.count("task_group")) == (5, 3, 6)
    first = proposal.tasks[1]
    assert (first.lead_unit, first.deadline, first.result) == (
        "Văn phòng HĐND-UBND phường", "2025-12-31", "hệ thống phần mềm vận hành")
    assert [p.number for p in proposal.programs] == [f"0{i}-CTr/ĐU" for i in range(1, 5)]
    inline = extract((CORPUS / "heldout" / "vi_an_nhon_bac_nghi_quyet.txt").read_text())
    assert [i.kind for i in inline.items].count("breakthrough") == 3


def test_labels_agree_with_the_documents_structure():
    for label_file in CORPUS.glob("*/*.json"):
        labels = json.loads(label_file.read_text())
        document = label_file.with_suffix(".txt")
        proposal = extract(document.read_text(), language=labels["language"])
        for name, value in labels["document"].items():
            assert proposal.document[name] == value, (label_file.name, name)
        kinds = [item.kind for item in proposal.items]
        for kind, count in labels["sections"].items():
            assert kinds.count(kind) == count, (label_file.name, kind)


def test_the_corpus_meets_the_goal():
    """Recall of targets ≥ 0.95 and every reported number right (precision ≥ 0.98), on the
    documents read while writing the rules and on those held out."""
    results = evaluate(CORPUS)
    assert set(results) == {"dev", "heldout"}
    total = sum(per["all"].labelled for per in results.values())
    assert total >= 100
    for per_language in results.values():
        tally = per_language["all"]
        assert tally.recall("found") >= 0.95
        assert tally.precision("value") >= 0.98
        assert tally.precision("found") >= 0.95


def test_documents_docx_pdf_and_text():
    import docx

    document = docx.Document()
    for line in (HEADER + "- Thu hút ít nhất 10 dự án đầu tư.").splitlines():
        document.add_paragraph(line)
    data = io.BytesIO()
    document.save(data)
    text = read_bytes(data.getvalue(), "nghi-quyet.docx")
    assert extract(text).targets[0].target_value == "10"
    assert read_bytes("Số 5".encode(), "a.txt") == "Số 5"
    with pytest.raises(UnreadableDocument):
        read_bytes(b"%PDF-1.4 broken", "a.pdf")
    with pytest.raises(UnreadableDocument):
        read_bytes(b"\x00\x01", "a.exe")


def test_a_pdf_with_a_text_layer():
    from weasyprint import HTML

    pdf = HTML(string="<p>II. MỤC TIÊU, CHỈ TIÊU</p><p>- Thu hút ít nhất 10 dự án đầu tư "
                      "đến năm 2030.</p>").write_pdf()
    targets = extract(read_bytes(pdf, "x.pdf"), language="vi").targets
    assert [(t.kind, t.target_value, t.target_year) for t in targets] == [("count", "10", 2030)]


def test_the_command_prints_the_proposals(tmp_path, capsys):
    from sixclear.cli import main

    path = CORPUS / "dev" / "vi_hoa_hoi_nghi_quyet.txt"
    main(["extract", str(path), "--format", "json"])
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads(json.dumps(extract(path.read_text()).as_dict()))
    assert printed["targets"][5]["unit"] == "triệu USD"
    with pytest.raises(SystemExit):
        main(["extract", str(tmp_path / "missing.docx")])
