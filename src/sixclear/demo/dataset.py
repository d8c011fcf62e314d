"""The demo dataset as plain data: three communes and wards from the source reports.

Figures and the leaders' names come from the two news reports in `seeds/` (Gia Lai: An Nhơn Bắc
and Hòa Hội; Hà Nội: Việt Hưng). Where the reports only give counts (5 viewpoints, 3
breakthroughs, 16 targets, 6 task groups, 18 + 10 + 7 targets of program 1), the wording is
invented but plausible. The other people are invented.

Dates of tasks, steps and reports are whole days relative to the day the demo is built, so a late
task stays late whenever it is built. Dates given as `date` are fixed (resolutions, programs).
Measurement years are fixed at 2025 and 2026.
"""

from datetime import date

from sixclear.orgs.models import Role, UnitKind
from sixclear.plans.models import Direction, ProgramKind, ResolutionItemKind, TargetKind

# Every demo account shares this password, which is why the command refuses production.
DEMO_PASSWORD = "sixclear-demo"  # noqa: S105 - published demo password, never a real account

SUPERUSER = {"username": "admin", "name": "Quản trị hệ thống", "email": "admin@example.org"}

# (code, parent code, name, kind); parents come before their children.
UNITS = [
    ("VN", None, "Việt Nam", UnitKind.COUNTRY),
    ("GL", "VN", "Gia Lai", UnitKind.PROVINCE),
    ("GL-ANB", "GL", "An Nhơn Bắc", UnitKind.WARD),
    ("GL-ANB-VP", "GL-ANB", "Văn phòng HĐND và UBND", UnitKind.DEPARTMENT),
    ("GL-ANB-KT", "GL-ANB", "Phòng Kinh tế, Hạ tầng và Đô thị", UnitKind.DEPARTMENT),
    ("GL-ANB-CB", "GL-ANB", "Chi bộ khu phố 3", UnitKind.PARTY_CELL),
    ("GL-HH", "GL", "Hòa Hội", UnitKind.COMMUNE),
    ("GL-HH-VP", "GL-HH", "Văn phòng HĐND và UBND", UnitKind.DEPARTMENT),
    ("GL-HH-KT", "GL-HH", "Phòng Kinh tế", UnitKind.DEPARTMENT),
    ("GL-HH-CB", "GL-HH", "Chi bộ thôn 2", UnitKind.PARTY_CELL),
    ("HN", "VN", "Hà Nội", UnitKind.PROVINCE),
    ("HN-VH", "HN", "Việt Hưng", UnitKind.WARD),
    ("HN-VH-VP", "HN-VH", "Văn phòng HĐND và UBND", UnitKind.DEPARTMENT),
    ("HN-VH-KT", "HN-VH", "Phòng Kinh tế, Hạ tầng và Đô thị", UnitKind.DEPARTMENT),
    ("HN-VH-CB", "HN-VH", "Chi bộ tổ dân phố số 5", UnitKind.PARTY_CELL),
]

# (username, full name, unit code, role, title). The full name is kept whole in first_name:
# Vietnamese puts the family name first, so Django's "first last" would reverse it.
PEOPLE = [
    ("gl.leader", "Hồ Quốc Dũng", "GL", Role.LEADER, "Bí thư Tỉnh ủy Gia Lai"),
    ("gl.chairman", "Phạm Anh Tuấn", "GL", Role.LEADER,
     "Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Gia Lai"),
    ("gl.manager", "Lê Thị Ngọc Ánh", "GL", Role.MANAGER, "Chuyên viên Văn phòng Tỉnh ủy Gia Lai"),
    ("hn.leader", "Bùi Văn Thắng", "HN", Role.LEADER, "Phó Chánh Văn phòng Thành ủy Hà Nội"),
    ("hn.manager", "Ngô Thị Hồng Nhung", "HN", Role.MANAGER,
     "Chuyên viên Văn phòng Thành ủy Hà Nội"),
    ("anb.leader", "Nguyễn Thị Kim Quy", "GL-ANB", Role.LEADER,
     "Bí thư Đảng ủy phường An Nhơn Bắc"),
    ("anb.manager", "Đặng Văn Hòa", "GL-ANB", Role.MANAGER, "Phó Chủ tịch UBND phường An Nhơn Bắc"),
    ("anb.officer", "Lê Thị Mỹ Duyên", "GL-ANB", Role.OFFICER,
     "Chuyên viên Văn phòng HĐND và UBND phường"),
    ("anb.officer2", "Võ Minh Tâm", "GL-ANB-KT", Role.OFFICER,
     "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("anb.viewer", "Trần Văn Lộc", "GL-ANB", Role.VIEWER, "Đại biểu HĐND phường"),
    ("anb.admin", "Huỳnh Ngọc Sơn", "GL-ANB", Role.ADMIN, "Công chức phụ trách chuyển đổi số"),
    ("hh.leader", "Tô Hữu Trung", "GL-HH", Role.LEADER, "Bí thư Đảng ủy xã Hòa Hội"),
    ("hh.manager", "Lê Quang Vinh", "GL-HH", Role.MANAGER, "Phó Chủ tịch UBND xã Hòa Hội"),
    ("hh.officer", "Nguyễn Văn Phúc", "GL-HH", Role.OFFICER,
     "Chuyên viên Văn phòng HĐND và UBND xã"),
    ("hh.officer2", "Trương Thị Kim Oanh", "GL-HH-KT", Role.OFFICER, "Chuyên viên Phòng Kinh tế"),
    ("hh.viewer", "Phan Thị Lệ", "GL-HH", Role.VIEWER, "Đại biểu HĐND xã"),
    ("hh.admin", "Đỗ Thành Nhân", "GL-HH", Role.ADMIN, "Công chức phụ trách chuyển đổi số"),
    ("vh.leader", "Dương Hoài Nam", "HN-VH", Role.LEADER,
     "Bí thư Đảng ủy, Chủ tịch HĐND phường Việt Hưng"),
    ("vh.manager", "Trần Quốc Khánh", "HN-VH", Role.MANAGER, "Phó Chủ tịch UBND phường Việt Hưng"),
    ("vh.officer", "Nguyễn Thị Thanh Huyền", "HN-VH", Role.OFFICER,
     "Chuyên viên Văn phòng HĐND và UBND phường"),
    ("vh.officer2", "Phạm Đức Anh", "HN-VH-KT", Role.OFFICER,
     "Chuyên viên Phòng Kinh tế, Hạ tầng và Đô thị"),
    ("vh.viewer", "Hoàng Thị Minh Thư", "HN-VH", Role.VIEWER, "Đại biểu HĐND phường"),
    ("vh.admin", "Vũ Hải Long", "HN-VH", Role.ADMIN, "Công chức phụ trách chuyển đổi số"),
    # The heads of Việt Hưng's two offices: they write their office's annual self-assessment.
    ("vh.vp.head", "Lê Thị Thu Trang", "HN-VH-VP", Role.MANAGER,
     "Chánh Văn phòng HĐND và UBND phường"),
    ("vh.kt.head", "Đỗ Mạnh Cường", "HN-VH-KT", Role.MANAGER,
     "Trưởng phòng Kinh tế, Hạ tầng và Đô thị"),
]

# The office each officer works in: the responsible unit of the targets they report.
OFFICE_OF = {
    "anb.officer": "GL-ANB-VP",
    "anb.officer2": "GL-ANB-KT",
    "hh.officer": "GL-HH-VP",
    "hh.officer2": "GL-HH-KT",
    "vh.officer": "HN-VH-VP",
    "vh.officer2": "HN-VH-KT",
}

TERM = {"term_start": 2025, "term_end": 2030}
TARGET_YEARS = {"baseline_year": 2025, "target_year": 2030}
TERM_END = date(2030, 12, 31)

GROWTH = TargetKind.ANNUAL_GROWTH
RANGE = TargetKind.GROWTH_RANGE
CUMULATIVE = TargetKind.CUMULATIVE
COUNT = TargetKind.COUNT
THRESHOLD = TargetKind.THRESHOLD
THRESHOLD_KEEP = TargetKind.THRESHOLD_KEEP
YES_NO = TargetKind.YES_NO
LOWER = Direction.LOWER

# ---------------------------------------------------------------------------------------------
# An Nhơn Bắc (phường, Gia Lai): growth of 11–12 % a year from trade, services, small industry.
# ---------------------------------------------------------------------------------------------

ANB_PROGRAM = "01-CTr/ĐU"
ANB_PLAN = "02-KH/ĐU"
ANB_CONCLUSION = "05-KL/ĐU"

AN_NHON_BAC = {
    "unit": "GL-ANB",
    "manager": "anb.manager",
    "leader": "anb.leader",
    "responsible": "anb.officer2",
    "source": "Báo cáo kinh tế – xã hội của UBND phường An Nhơn Bắc",
    "resolution": {
        "number": "01-NQ/ĐH",
        "title": "Nghị quyết Đại hội đại biểu Đảng bộ phường An Nhơn Bắc lần thứ I, "
        "nhiệm kỳ 2025–2030",
        **TERM,
        "adopted_on": date(2025, 7, 30),
        "summary": "Xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh; phát triển kinh tế "
        "đô thị bền vững gắn với thu hút đầu tư, tập trung vào thương mại, dịch vụ và tiểu thủ "
        "công nghiệp; tăng trưởng kinh tế bình quân 11–12%/năm.",
    },
    "resolution_items": {
        ResolutionItemKind.TASK_GROUP: [
            ("Xây dựng, chỉnh đốn Đảng và hệ thống chính trị trong sạch, vững mạnh",
             "Nâng cao năng lực lãnh đạo của Đảng bộ; cán bộ năng động, dám nghĩ, dám làm, dám "
             "chịu trách nhiệm."),
            ("Phát triển kinh tế đô thị bền vững gắn với thu hút đầu tư",
             "Tập trung phát triển thương mại, dịch vụ và tiểu thủ công nghiệp; nâng cấp hạ tầng "
             "chợ và các tuyến phố thương mại."),
            ("Cải cách hành chính, xây dựng chính quyền số",
             "Đẩy mạnh dịch vụ công trực tuyến, lấy sự hài lòng của người dân làm thước đo."),
            ("Chăm lo văn hóa, xã hội, an sinh; nâng cao chất lượng cuộc sống Nhân dân",
             "Bảo đảm an sinh xã hội, giảm nghèo bền vững, tăng thu nhập của người dân."),
        ],
    },
    "programs": [
        {
            "number": ANB_PROGRAM,
            "kind": ProgramKind.ACTION_PROGRAM,
            "title": "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ phường "
            "nhiệm kỳ 2025–2030",
            "period_start": date(2025, 8, 5),
            "period_end": TERM_END,
            "issued_on": date(2025, 8, 5),
            "summary": "Ban hành chưa đầy một tuần sau Đại hội; cụ thể hóa Nghị quyết theo phương "
            "châm “sáu rõ”: rõ người, rõ việc, rõ thời gian, rõ trách nhiệm, rõ sản phẩm, rõ "
            "thẩm quyền.",
        },
        {
            "number": ANB_PLAN,
            "kind": ProgramKind.PLAN,
            "title": "Kế hoạch quán triệt, triển khai Nghị quyết Đại hội và đối thoại với Nhân dân",
            "period_start": date(2025, 8, 15),
            "period_end": date(2026, 12, 31),
            "issued_on": date(2025, 8, 15),
        },
        {
            "number": ANB_CONCLUSION,
            "kind": ProgramKind.CONCLUSION,
            "title": "Kết luận của Ban Thường vụ Đảng ủy phường tại buổi làm việc với tiểu thương "
            "chợ trung tâm phường",
            "period_start": -30,
            "period_end": 60,
            "issued_on": -30,
            "summary": "Tập trung tháo gỡ vướng mắc về hạ tầng chợ, tạo môi trường thuận lợi để "
            "tiểu thương ổn định kinh doanh.",
        },
    ],
    "targets": [
        {"code": "ANB-NQ-01", "in_resolution": True, "programs": [ANB_PROGRAM],
         "name": "Tốc độ tăng trưởng kinh tế (giá trị sản xuất) bình quân 11–12%/năm",
         "indicator": "GTSX", "group": "Kinh tế", "kind": RANGE, "unit_of_measure": "tỷ đồng",
         "baseline_value": "5420", "annual_rate": "11", "annual_rate_high": "12"},
        {"code": "ANB-NQ-02", "in_resolution": True, "programs": [ANB_PROGRAM],
         "name": "Tỷ trọng thương mại – dịch vụ trong cơ cấu kinh tế đạt trên 50%",
         "group": "Kinh tế", "kind": THRESHOLD, "unit_of_measure": "%",
         "baseline_value": "42.5", "target_value": "50"},
        {"code": "ANB-NQ-03", "in_resolution": True, "programs": [ANB_PROGRAM],
         "name": "Giá trị sản xuất tiểu thủ công nghiệp tăng bình quân 13%/năm",
         "group": "Kinh tế", "kind": GROWTH, "unit_of_measure": "tỷ đồng",
         "baseline_value": "1860", "annual_rate": "13"},
        {"code": "ANB-NQ-04", "in_resolution": True, "programs": [ANB_PROGRAM],
         "name": "Thu ngân sách nhà nước trên địa bàn tăng bình quân 10%/năm",
         "group": "Kinh tế", "kind": GROWTH, "unit_of_measure": "tỷ đồng",
         "baseline_value": "185", "annual_rate": "10"},
        {"code": "ANB-NQ-05", "in_resolution": True, "programs": [ANB_PROGRAM],
         "name": "Cải tạo, nâng cấp chợ trung tâm và 2 tuyến phố thương mại",
         "group": "Hạ tầng đô thị", "kind": COUNT, "unit_of_measure": "công trình",
         "baseline_value": "0", "target_value": "3"},
        {"code": "ANB-NQ-06", "in_resolution": True, "programs": [ANB_PROGRAM],
         "responsible": "anb.officer",
         "name": "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến đạt trên 80%",
         "group": "Cải cách hành chính", "kind": THRESHOLD, "unit_of_measure": "%",
         "baseline_value": "45", "target_value": "80"},
        {"code": "ANB-NQ-07", "in_resolution": True, "programs": [ANB_PROGRAM],
         "responsible": "anb.officer",
         "name": "Tỷ lệ hộ nghèo giảm xuống dưới 1%",
         "group": "Văn hóa – xã hội", "kind": THRESHOLD, "direction": LOWER,
         "unit_of_measure": "%", "baseline_value": "2.1", "target_value": "1"},
        {"code": "ANB-NQ-08", "in_resolution": True, "programs": [ANB_PROGRAM],
         "name": "Số doanh nghiệp thành lập mới trong nhiệm kỳ đạt trên 150",
         "group": "Kinh tế", "kind": CUMULATIVE, "unit_of_measure": "doanh nghiệp",
         "baseline_value": "0", "target_value": "150"},
    ],
    "tasks": [
        {"code": "ANB-P1-T01", "program": ANB_PROGRAM, "group": 2, "priority": "high",
         "title": "Lập đề án cải tạo, nâng cấp chợ trung tâm phường",
         "description": "Khảo sát hiện trạng, lấy ý kiến tiểu thương; lập đề án cải tạo mái che, "
         "hệ thống thoát nước, phòng cháy chữa cháy và bố trí lại ngành hàng.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "coordinating": ["GL-ANB-VP"],
         "start": -100, "deadline": 45, "authority": "anb.leader", "targets": ["ANB-NQ-05"],
         "result": "Đề án được UBND phường phê duyệt và trình tỉnh bố trí vốn",
         "steps": [("Khảo sát hiện trạng, lấy ý kiến tiểu thương", -70, True),
                   ("Lập dự thảo đề án", 15, False),
                   ("Trình UBND phường phê duyệt", 45, False)],
         "reports": [
             {"day": -11, "percent": 45, "outcome": "approve",
              "narrative": "Hoàn thành khảo sát hiện trạng; 312 tiểu thương đã góp ý.",
              "obstacles": "Kinh phí đối ứng của phường chưa được bố trí; tiểu thương đề nghị "
              "bố trí chợ tạm trong thời gian thi công."},
         ]},
        {"code": "ANB-P1-T02", "program": ANB_PROGRAM, "group": 2,
         "title": "Xây dựng kế hoạch phát triển thương mại, dịch vụ giai đoạn 2026–2030",
         "description": "Xác định các tuyến phố thương mại, dịch vụ trọng điểm, cơ chế hỗ trợ hộ "
         "kinh doanh và lộ trình nâng tỷ trọng thương mại – dịch vụ.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "start": -110, "deadline": -40,
         "authority": "anb.manager", "targets": ["ANB-NQ-02"],
         "result": "Kế hoạch được UBND phường ban hành",
         "reports": [
             {"day": -70, "percent": 60, "outcome": "approve",
              "narrative": "Hoàn thành dự thảo, đang lấy ý kiến các hội ngành nghề."},
             {"day": -45, "percent": 100, "outcome": "approve",
              "narrative": "Kế hoạch đã được UBND phường ban hành và công khai."},
         ]},
        {"code": "ANB-P1-T03", "program": ANB_PROGRAM, "group": 2,
         "title": "Hỗ trợ cơ sở tiểu thủ công nghiệp đổi mới công nghệ, mở rộng thị trường",
         "description": "Hỗ trợ cơ sở sản xuất nhỏ tiếp cận vốn khuyến công, đăng ký nhãn hiệu, "
         "đưa sản phẩm lên sàn thương mại điện tử.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "start": -60, "deadline": 90,
         "authority": "anb.manager", "targets": ["ANB-NQ-03"],
         "result": "Ít nhất 20 cơ sở được hỗ trợ; 5 sản phẩm lên sàn thương mại điện tử",
         "reports": [
             {"day": -15, "percent": 30, "outcome": "approve",
              "narrative": "Đã hỗ trợ 7 cơ sở lập hồ sơ đề nghị hỗ trợ khuyến công."},
         ]},
        {"code": "ANB-P1-T04", "program": ANB_PROGRAM, "group": 2, "priority": "high",
         "title": "Kêu gọi đầu tư hạ tầng cụm công nghiệp, bố trí mặt bằng cho cơ sở sản xuất "
         "nhỏ",
         "description": "Phối hợp Sở Công Thương rà soát quy hoạch cụm công nghiệp; kêu gọi nhà "
         "đầu tư hạ tầng để di dời cơ sở sản xuất ra khỏi khu dân cư.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "start": -130, "deadline": -15,
         "authority": "anb.leader", "targets": ["ANB-NQ-03", "ANB-NQ-08"],
         "result": "Nhà đầu tư hạ tầng cụm công nghiệp được chấp thuận chủ trương đầu tư",
         "reports": [
             {"day": -30, "percent": 40, "outcome": "approve",
              "narrative": "Đã làm việc với 2 nhà đầu tư quan tâm.",
              "obstacles": "Chưa có quyết định điều chỉnh quy hoạch cụm công nghiệp sau sắp xếp "
              "đơn vị hành chính; cần tỉnh hướng dẫn."},
         ]},
        {"code": "ANB-P1-T05", "program": ANB_PROGRAM, "group": 2,
         "title": "Chỉnh trang vỉa hè, chiếu sáng các tuyến phố thương mại",
         "description": "Lát lại vỉa hè, bổ sung đèn chiếu sáng trang trí và biển chỉ dẫn trên "
         "các tuyến phố thương mại trọng điểm.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "start": -75, "deadline": 6,
         "authority": "anb.manager", "targets": ["ANB-NQ-05"],
         "result": "Các tuyến phố được nghiệm thu, đưa vào sử dụng",
         "reports": [
             {"day": -5, "percent": 85, "outcome": "submit",
              "narrative": "Hoàn thành lát vỉa hè; đang lắp đèn chiếu sáng trang trí."},
         ]},
        {"code": "ANB-P1-T06", "program": ANB_PROGRAM, "group": 3,
         "title": "Nâng tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến",
         "description": "Bố trí công chức hướng dẫn tại bộ phận một cửa; hỗ trợ người dân nộp hồ "
         "sơ trực tuyến qua Cổng dịch vụ công quốc gia.",
         "owner": "anb.officer", "lead": "GL-ANB-VP", "start": -200, "deadline": 38,
         "authority": "anb.manager", "targets": ["ANB-NQ-06"],
         "result": "Tỷ lệ hồ sơ giải quyết trực tuyến đạt trên 80%",
         "reports": [
             {"day": -9, "percent": 60, "outcome": "approve",
              "narrative": "Tỷ lệ hồ sơ trực tuyến quý III đạt 63%.",
              "obstacles": "Người dân lớn tuổi còn quen nộp hồ sơ giấy; khu vực hướng dẫn chưa "
              "đủ máy tính."},
         ]},
        {"code": "ANB-P1-T07", "program": ANB_PROGRAM, "group": 4,
         "title": "Rà soát hộ nghèo, hộ cận nghèo; triển khai chính sách hỗ trợ sinh kế",
         "description": "Rà soát theo chuẩn nghèo đa chiều; hỗ trợ vốn, học nghề và việc làm cho "
         "từng hộ nghèo, hộ cận nghèo.",
         "owner": "anb.officer", "lead": "GL-ANB-VP", "coordinating": ["GL-ANB-CB"],
         "start": -150, "deadline": -50, "authority": "anb.manager", "targets": ["ANB-NQ-07"],
         "result": "Danh sách hộ nghèo được công nhận; 100% hộ nghèo được hỗ trợ sinh kế",
         "reports": [
             {"day": -90, "percent": 50, "outcome": "approve",
              "narrative": "Hoàn thành rà soát ở 8/15 khu phố."},
             {"day": -55, "percent": 100, "outcome": "approve",
              "narrative": "Danh sách được công nhận; 41 hộ nghèo đã được hỗ trợ sinh kế."},
         ]},
        {"code": "ANB-P1-T08", "program": ANB_PROGRAM, "group": 2, "draft": True,
         "title": "Xây dựng phố đi bộ, chợ đêm phục vụ du lịch",
         "description": "Nghiên cứu bố trí phố đi bộ, chợ đêm cuối tuần gắn với ẩm thực và sản "
         "phẩm thủ công địa phương.",
         "owner": None, "lead": "GL-ANB-KT", "start": 10, "deadline": 240,
         "authority_body": "Ủy ban nhân dân phường",
         "result": "Đề án phố đi bộ, chợ đêm được phê duyệt"},
        {"code": "ANB-KH-T01", "program": ANB_PLAN, "group": 2,
         "title": "Tổ chức hội nghị đối thoại giữa lãnh đạo phường với doanh nghiệp, hộ kinh "
         "doanh",
         "description": "Lắng nghe kiến nghị về mặt bằng, hạ tầng, thủ tục; phân công giải quyết "
         "từng kiến nghị có thời hạn.",
         "owner": "anb.officer", "lead": "GL-ANB-VP", "start": -20, "deadline": 2,
         "authority": "anb.leader",
         "result": "Biên bản đối thoại; danh mục kiến nghị được phân công giải quyết"},
        {"code": "ANB-KH-T02", "program": ANB_PLAN, "group": 1,
         "title": "Quán triệt Nghị quyết Đại hội đến 100% đảng viên",
         "description": "Các chi bộ tổ chức học tập, quán triệt Nghị quyết và chương trình hành "
         "động; mỗi đảng viên đăng ký việc làm cụ thể.",
         "owner": "anb.officer", "lead": "GL-ANB-VP", "coordinating": ["GL-ANB-CB"],
         "start": -110, "deadline": -80, "authority_body": "Ban Thường vụ Đảng ủy phường",
         "result": "100% chi bộ tổ chức quán triệt; báo cáo kết quả",
         "reports": [
             {"day": -82, "percent": 100, "outcome": "approve",
              "narrative": "100% chi bộ đã tổ chức quán triệt; 98,6% đảng viên tham dự."},
         ]},
        {"code": "ANB-KL-T01", "program": ANB_CONCLUSION, "group": 2, "priority": "urgent",
         "title": "Khắc phục mái che, hệ thống thoát nước chợ trung tâm trước mùa mưa",
         "description": "Sửa chữa mái che khu hàng khô, nạo vét rãnh thoát nước theo kiến nghị "
         "của tiểu thương.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "start": -30, "deadline": -4,
         "authority": "anb.manager", "targets": ["ANB-NQ-05"],
         "result": "Mái che, rãnh thoát nước được sửa chữa, nghiệm thu",
         "reports": [
             {"day": -10, "percent": 50, "outcome": "approve",
              "narrative": "Đã sửa chữa xong mái che khu hàng khô.",
              "obstacles": "Nhà thầu thiếu nhân công; giá tôn lợp tăng so với dự toán."},
         ]},
        {"code": "ANB-KL-T02", "program": ANB_CONCLUSION, "group": 2,
         "title": "Báo cáo tiến độ giải ngân vốn đầu tư công các công trình hạ tầng thương mại",
         "description": "Tổng hợp tiến độ giải ngân từng công trình, đề xuất điều chuyển vốn từ "
         "công trình chậm sang công trình có khối lượng.",
         "owner": "anb.officer2", "lead": "GL-ANB-KT", "start": -30, "deadline": 7,
         "authority": "anb.leader",
         "result": "Báo cáo giải ngân kèm đề xuất điều chuyển vốn",
         "reports": [
             {"day": -1, "percent": 80, "outcome": "submit",
              "narrative": "Đã giải ngân 68% kế hoạch vốn; dự thảo báo cáo hoàn thành."},
         ]},
    ],
    # (target code, year, quarter or 0 for the year, value, approved). Growth targets are
    # measured as levels; cumulative ones as the running total since the congress. A few are
    # deliberately behind their trajectory (here ANB-NQ-01 and ANB-NQ-02).
    "measurements": [
        ("ANB-NQ-01", 2025, 0, "5436", True),
        ("ANB-NQ-01", 2026, 0, "5930", True),
        ("ANB-NQ-02", 2025, 0, "42.8", True),
        ("ANB-NQ-02", 2026, 0, "44.6", True),
        ("ANB-NQ-03", 2026, 0, "2110", True),
        ("ANB-NQ-04", 2025, 0, "187", True),
        ("ANB-NQ-04", 2026, 0, "205", False),
        ("ANB-NQ-06", 2026, 1, "52", True),
        ("ANB-NQ-06", 2026, 2, "58", True),
        ("ANB-NQ-06", 2026, 3, "63", False),
    ],
}

# ---------------------------------------------------------------------------------------------
# Hòa Hội (xã, Gia Lai): production value +21.7 % a year, 10 projects, exports above 33 M USD.
# ---------------------------------------------------------------------------------------------

HH_PROGRAM = "01-CTr/ĐU"
HH_PLAN = "125/KH-UBND"

HOA_HOI = {
    "unit": "GL-HH",
    "manager": "hh.manager",
    "leader": "hh.leader",
    "responsible": "hh.officer2",
    "source": "Báo cáo kinh tế – xã hội của UBND xã Hòa Hội",
    "resolution": {
        "number": "01-NQ/ĐH",
        "title": "Nghị quyết Đại hội đại biểu Đảng bộ xã Hòa Hội lần thứ I, nhiệm kỳ 2025–2030",
        **TERM,
        "adopted_on": date(2025, 7, 31),
        "summary": "Đưa Hòa Hội trở thành vùng kinh tế tổng hợp, động lực của tỉnh; giá trị sản "
        "xuất tăng bình quân 21,7%/năm, trong đó công nghiệp – xây dựng 27,8%, dịch vụ 11,3%, "
        "nông, lâm, thủy sản 3,5%; thu hút 10 dự án đầu tư; kim ngạch xuất khẩu trên 33 triệu "
        "USD.",
    },
    "resolution_items": {
        ResolutionItemKind.TASK_GROUP: [
            ("Phát triển công nghiệp – xây dựng, thu hút đầu tư vào Khu công nghiệp Hòa Hội",
             "Công nghiệp – xây dựng tăng trưởng cao, tạo động lực cho toàn bộ nền kinh tế."),
            ("Phát triển cân bằng các tiểu vùng theo tiềm năng, lợi thế so sánh",
             "Xây dựng nghị quyết chuyên đề về quy hoạch phát triển tổng thể xã."),
            ("Phát triển thương mại, dịch vụ và nông nghiệp bền vững",
             "Nông nghiệp ứng dụng công nghệ cao, liên kết chuỗi giá trị."),
            ("Xây dựng Đảng, chính quyền và bảo đảm an sinh xã hội",
             "Đào tạo nghề, giải quyết việc làm; chuyển đổi số phục vụ người dân."),
        ],
    },
    "programs": [
        {
            "number": HH_PROGRAM,
            "kind": ProgramKind.ACTION_PROGRAM,
            "title": "Chương trình hành động thực hiện Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ "
            "2025–2030",
            "period_start": date(2025, 8, 12),
            "period_end": TERM_END,
            "issued_on": date(2025, 8, 12),
        },
        {
            "number": HH_PLAN,
            "kind": ProgramKind.PLAN,
            "title": "Kế hoạch thu hút đầu tư vào Khu công nghiệp Hòa Hội giai đoạn 2025–2030",
            "period_start": date(2025, 9, 1),
            "period_end": TERM_END,
            "issued_on": date(2025, 9, 1),
        },
    ],
    "targets": [
        {"code": "HH-NQ-01", "in_resolution": True, "programs": [HH_PROGRAM],
         "name": "Giá trị sản xuất trên địa bàn tăng bình quân 21,7%/năm",
         "indicator": "GTSX", "group": "Kinh tế", "kind": GROWTH, "unit_of_measure": "tỷ đồng",
         "baseline_value": "3600", "annual_rate": "21.7"},
        {"code": "HH-NQ-02", "in_resolution": True, "programs": [HH_PROGRAM, HH_PLAN],
         "name": "Giá trị sản xuất công nghiệp – xây dựng tăng bình quân 27,8%/năm",
         "group": "Kinh tế", "kind": GROWTH, "unit_of_measure": "tỷ đồng",
         "baseline_value": "2100", "annual_rate": "27.8"},
        {"code": "HH-NQ-03", "in_resolution": True, "programs": [HH_PROGRAM],
         "name": "Giá trị sản xuất thương mại – dịch vụ tăng bình quân 11,3%/năm",
         "group": "Kinh tế", "kind": GROWTH, "unit_of_measure": "tỷ đồng",
         "baseline_value": "750", "annual_rate": "11.3"},
        {"code": "HH-NQ-04", "in_resolution": True, "programs": [HH_PROGRAM],
         "name": "Giá trị sản xuất nông, lâm, thủy sản tăng bình quân 3,5%/năm",
         "group": "Kinh tế", "kind": GROWTH, "unit_of_measure": "tỷ đồng",
         "baseline_value": "750", "annual_rate": "3.5"},
        {"code": "HH-NQ-05", "in_resolution": True, "programs": [HH_PROGRAM, HH_PLAN],
         "name": "Thu hút 10 dự án đầu tư trong nhiệm kỳ",
         "group": "Thu hút đầu tư", "kind": COUNT, "unit_of_measure": "dự án",
         "baseline_value": "0", "target_value": "10"},
        {"code": "HH-NQ-06", "in_resolution": True, "programs": [HH_PROGRAM, HH_PLAN],
         "name": "Tổng kim ngạch xuất khẩu trong nhiệm kỳ đạt trên 33 triệu USD",
         "group": "Thu hút đầu tư", "kind": CUMULATIVE, "unit_of_measure": "triệu USD",
         "baseline_value": "0", "target_value": "33"},
        {"code": "HH-NQ-07", "in_resolution": True, "programs": [HH_PROGRAM],
         "responsible": "hh.officer",
         "name": "Giải quyết việc làm mới cho 2.500 lao động trong nhiệm kỳ",
         "group": "Văn hóa – xã hội", "kind": CUMULATIVE, "unit_of_measure": "người",
         "baseline_value": "0", "target_value": "2500"},
    ],
    "tasks": [
        {"code": "HH-P1-T01", "program": HH_PROGRAM, "group": 2, "priority": "high",
         "title": "Tham mưu xây dựng Nghị quyết chuyên đề về quy hoạch phát triển tổng thể xã "
         "giai đoạn 2025–2030",
         "description": "Theo chỉ đạo của Ban Thường vụ, UBND xã tham mưu nghị quyết chuyên đề "
         "bảo đảm phát triển cân bằng các tiểu vùng dựa trên tiềm năng, lợi thế so sánh, đưa Hòa "
         "Hội trở thành vùng kinh tế tổng hợp, động lực của tỉnh.",
         "owner": "hh.officer", "lead": "GL-HH-VP", "coordinating": ["GL-HH-KT"],
         "start": -110, "deadline": -45, "authority": "hh.leader", "targets": ["HH-NQ-01"],
         "result": "Nghị quyết chuyên đề được Ban Chấp hành Đảng bộ xã thông qua",
         "steps": [("Lập đề cương, thành lập tổ biên tập", -100, True),
                   ("Lấy ý kiến các thôn và doanh nghiệp", -70, True),
                   ("Trình Ban Chấp hành Đảng bộ xã thông qua", -45, True)],
         "reports": [
             {"day": -75, "percent": 50, "outcome": "approve",
              "narrative": "Hoàn thành dự thảo lần 1; đã lấy ý kiến 12 thôn."},
             {"day": -47, "percent": 100, "outcome": "approve",
              "narrative": "Nghị quyết chuyên đề đã được Ban Chấp hành Đảng bộ xã thông qua."},
         ]},
        {"code": "HH-P1-T02", "program": HH_PROGRAM, "group": 2,
         "title": "Phân vùng phát triển các tiểu vùng theo tiềm năng, lợi thế so sánh",
         "description": "Xác định vùng công nghiệp quanh Khu công nghiệp Hòa Hội, vùng nông nghiệp "
         "ứng dụng công nghệ cao và vùng thương mại, dịch vụ trung tâm xã.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "start": -40, "deadline": 70,
         "authority": "hh.leader",
         "result": "Bản đồ phân vùng và danh mục dự án ưu tiên theo từng tiểu vùng",
         "steps": [("Thu thập dữ liệu hiện trạng sử dụng đất", -15, True),
                   ("Dự thảo phương án phân vùng", 30, False),
                   ("Hội nghị lấy ý kiến", 55, False)],
         "reports": [
             {"day": -6, "percent": 35, "outcome": "approve",
              "narrative": "Đã số hóa bản đồ hiện trạng sử dụng đất toàn xã."},
         ]},
        {"code": "HH-P1-T03", "program": HH_PROGRAM, "group": 1, "priority": "urgent",
         "title": "Hỗ trợ giải phóng mặt bằng mở rộng Khu công nghiệp Hòa Hội",
         "description": "Phối hợp Ban Quản lý Khu kinh tế tỉnh kiểm đếm, lập phương án bồi "
         "thường, vận động người dân bàn giao mặt bằng.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "coordinating": ["GL-HH-CB"],
         "start": -140, "deadline": -9, "authority": "hh.leader",
         "targets": ["HH-NQ-02", "HH-NQ-05"],
         "result": "Bàn giao 100% mặt bằng giai đoạn 1 cho nhà đầu tư hạ tầng",
         "reports": [
             {"day": -12, "percent": 80, "outcome": "approve",
              "narrative": "Đã bàn giao 86% diện tích giai đoạn 1.",
              "obstacles": "Còn 14 hộ chưa đồng ý phương án bồi thường; giá đất tái định cư "
              "chưa được tỉnh phê duyệt."},
         ]},
        {"code": "HH-P1-T04", "program": HH_PROGRAM, "group": 3,
         "title": "Phát triển vùng nguyên liệu nông nghiệp ứng dụng công nghệ cao",
         "description": "Hỗ trợ hợp tác xã liên kết với doanh nghiệp xây dựng vùng nguyên liệu "
         "rau, dưa, lúa giống theo tiêu chuẩn VietGAP.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "start": -10, "deadline": 150,
         "authority": "hh.manager", "targets": ["HH-NQ-04"],
         "result": "Ít nhất 50 ha vùng nguyên liệu đạt VietGAP có hợp đồng liên kết tiêu thụ"},
        {"code": "HH-P1-T05", "program": HH_PROGRAM, "group": 4,
         "title": "Đào tạo nghề, cung ứng lao động cho doanh nghiệp may mặc xuất khẩu",
         "description": "Phối hợp các doanh nghiệp may trong Khu công nghiệp Hòa Hội mở lớp đào "
         "tạo tại chỗ, ưu tiên lao động nông thôn và lao động bị thu hồi đất.",
         "owner": "hh.officer", "lead": "GL-HH-VP", "start": -120, "deadline": -2,
         "authority": "hh.manager", "targets": ["HH-NQ-07", "HH-NQ-06"],
         "result": "300 lao động được đào tạo và ký hợp đồng làm việc",
         "reports": [
             {"day": -13, "percent": 60, "outcome": "approve",
              "narrative": "Đã đào tạo 210 lao động; 180 người đã ký hợp đồng làm việc."},
         ]},
        {"code": "HH-P1-T06", "program": HH_PROGRAM, "group": 3,
         "title": "Xây dựng cơ sở dữ liệu giá trị sản xuất theo ngành để theo dõi chỉ tiêu tăng "
         "trưởng",
         "description": "Thu thập số liệu định kỳ từ doanh nghiệp, hợp tác xã, hộ kinh doanh; "
         "tính giá trị sản xuất theo ngành hằng quý.",
         "owner": "hh.officer", "lead": "GL-HH-VP", "coordinating": ["GL-HH-KT"],
         "start": -50, "deadline": 30, "authority": "hh.manager",
         "targets": ["HH-NQ-01", "HH-NQ-02", "HH-NQ-03", "HH-NQ-04"],
         "result": "Cơ sở dữ liệu cập nhật hằng quý, đối chiếu với số liệu thống kê",
         "reports": [
             {"day": -2, "percent": 40, "outcome": "submit",
              "narrative": "Đã thu số liệu của 64/95 doanh nghiệp trên địa bàn."},
         ]},
        {"code": "HH-P1-T07", "program": HH_PROGRAM, "group": 3, "draft": True,
         "title": "Xây dựng nhãn hiệu chứng nhận cho nông sản chủ lực của xã",
         "description": "Lựa chọn sản phẩm chủ lực, lập hồ sơ đăng ký nhãn hiệu chứng nhận.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "start": 0, "deadline": None,
         "authority_body": "Ủy ban nhân dân xã", "result": ""},
        {"code": "HH-P1-T08", "program": HH_PROGRAM, "group": 4,
         "title": "Kiện toàn tổ công nghệ số cộng đồng tại các thôn",
         "description": "Mỗi thôn có tổ công nghệ số cộng đồng hướng dẫn người dân dùng dịch vụ "
         "công trực tuyến và thanh toán điện tử.",
         "owner": "hh.officer", "lead": "GL-HH-VP", "coordinating": ["GL-HH-CB"],
         "start": -30, "deadline": 1, "authority": "hh.manager",
         "result": "Quyết định kiện toàn và danh sách tổ công nghệ số ở tất cả các thôn",
         "reports": [
             {"day": -1, "percent": 90, "outcome": "submit",
              "narrative": "Đã kiện toàn tổ công nghệ số cộng đồng ở 11/12 thôn."},
         ]},
        {"code": "HH-KH-T01", "program": HH_PLAN, "group": 1,
         "title": "Xúc tiến, kêu gọi 3 dự án đầu tư vào Khu công nghiệp Hòa Hội năm 2026",
         "description": "Phối hợp Ban Quản lý Khu kinh tế tỉnh giới thiệu địa điểm, hỗ trợ thủ "
         "tục cho nhà đầu tư.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "start": -300, "deadline": 38,
         "authority": "hh.leader", "targets": ["HH-NQ-05"],
         "result": "3 dự án được chấp thuận chủ trương đầu tư",
         "reports": [
             {"day": -20, "percent": 67, "outcome": "approve",
              "narrative": "Đã có 2/3 dự án được chấp thuận chủ trương đầu tư."},
         ]},
        {"code": "HH-KH-T02", "program": HH_PLAN, "group": 1,
         "title": "Hỗ trợ doanh nghiệp xuất khẩu tiếp cận thị trường, hoàn thiện thủ tục",
         "description": "Kết nối doanh nghiệp may mặc, chế biến gỗ, nông sản với các chương trình "
         "xúc tiến thương mại của tỉnh.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "start": -150, "deadline": -20,
         "authority": "hh.manager", "targets": ["HH-NQ-06"],
         "result": "Báo cáo kim ngạch xuất khẩu và danh sách doanh nghiệp được hỗ trợ",
         "reports": [
             {"day": -25, "percent": 55, "outcome": "approve",
              "narrative": "Đã kết nối 6 doanh nghiệp với 2 hội chợ xuất khẩu.",
              "obstacles": "Đơn hàng may mặc xuất khẩu giảm do thị trường khó khăn; kim ngạch 9 "
              "tháng thấp hơn lộ trình."},
         ]},
        {"code": "HH-KH-T03", "program": HH_PLAN, "group": 1,
         "title": "Lập danh mục dự án kêu gọi đầu tư vào Khu công nghiệp Hòa Hội",
         "description": "Rà soát quỹ đất sạch, xây dựng hồ sơ giới thiệu từng dự án kêu gọi đầu "
         "tư.",
         "owner": "hh.officer2", "lead": "GL-HH-KT", "start": -250, "deadline": -180,
         "authority": "hh.leader", "targets": ["HH-NQ-05"],
         "result": "Danh mục dự án kêu gọi đầu tư được UBND xã ban hành",
         "steps": [("Rà soát quỹ đất sạch trong khu công nghiệp", -220, True),
                   ("Xây dựng hồ sơ giới thiệu dự án", -190, True)],
         "reports": [
             {"day": -185, "percent": 100, "outcome": "approve",
              "narrative": "Danh mục 8 dự án kêu gọi đầu tư đã được ban hành."},
         ]},
        {"code": "HH-KH-T04", "program": HH_PLAN, "group": 1,
         "title": "Rà soát, rút ngắn thời gian giải quyết thủ tục cho nhà đầu tư",
         "description": "Công khai quy trình, thời gian giải quyết thủ tục về đất đai, xây dựng; "
         "cử công chức theo dõi, hỗ trợ từng dự án.",
         "owner": "hh.officer", "lead": "GL-HH-VP", "start": -60, "deadline": -4,
         "authority": "hh.manager",
         "result": "Quy trình được công khai; thời gian giải quyết giảm ít nhất 30%",
         "reports": [
             {"day": -3, "percent": 50, "outcome": "return",
              "narrative": "Đã công khai 12 quy trình thủ tục.",
              "comment": "Bổ sung số liệu thời gian giải quyết trước và sau khi rút ngắn."},
         ]},
    ],
    # Behind on purpose: industry (HH-NQ-02) drags total value (HH-NQ-01); exports (HH-NQ-06).
    "measurements": [
        ("HH-NQ-01", 2025, 0, "3612", True),
        ("HH-NQ-01", 2026, 0, "4290", True),
        ("HH-NQ-02", 2025, 0, "2108", True),
        ("HH-NQ-02", 2026, 0, "2455", True),
        ("HH-NQ-03", 2025, 0, "752", True),
        ("HH-NQ-03", 2026, 0, "840", True),
        ("HH-NQ-04", 2025, 0, "748", True),
        ("HH-NQ-04", 2026, 0, "779", True),
        ("HH-NQ-05", 2026, 0, "3", False),
        ("HH-NQ-06", 2026, 1, "1.1", True),
        ("HH-NQ-06", 2026, 2, "2.3", True),
        ("HH-NQ-06", 2026, 3, "3.6", True),
        ("HH-NQ-06", 2026, 0, "4.8", True),
        ("HH-NQ-07", 2026, 0, "520", True),
    ],
}

# ---------------------------------------------------------------------------------------------
# Việt Hưng (phường, Hà Nội): first congress; 5 viewpoints, 3 breakthroughs, 16 targets,
# 6 task groups; four action programs, program 1 with 18 + 10 + 7 targets in three areas.
# ---------------------------------------------------------------------------------------------

VH_P1 = "01-CTr/ĐU"
VH_P2 = "02-CTr/ĐU"
VH_P3 = "03-CTr/ĐU"
VH_P4 = "04-CTr/ĐU"
VH_DECISION = "168-QĐ/ĐU"
VH_CONCLUSION = "12-KL/ĐU"

LEADERSHIP = "Đổi mới phương thức lãnh đạo, quản lý, điều hành"
CADRES = "Đội ngũ cán bộ, công chức, viên chức"
EVALUATION = "Đánh giá, xếp loại và thi đua hằng năm"
# Việt Hưng's program 1 measures three areas beyond the standard list: the demo adds them to
# the shared list as an administrator would (code, Vietnamese, English, Arabic).
EXTRA_AREAS = [
    ("lanh-dao-dieu-hanh", LEADERSHIP, "Leadership, management and administration methods",
     "أساليب القيادة والإدارة والتسيير"),
    ("doi-ngu-can-bo", CADRES, "Cadres, civil servants and public employees",
     "الكوادر والموظفون المدنيون والعموميون"),
    ("danh-gia-thi-dua", EVALUATION, "Annual assessment, ranking and emulation",
     "التقييم والتصنيف والمنافسة السنوية"),
]

# Shared by the four action programs, issued together soon after the congress.
VH_ACTION_PROGRAM = {
    "kind": ProgramKind.ACTION_PROGRAM,
    "issuing_body": "Ban Chấp hành Đảng bộ phường Việt Hưng",
    "period_start": date(2025, 9, 5),
    "period_end": TERM_END,
    "issued_on": date(2025, 9, 5),
}

VH_PROGRAMS = [
    {**VH_ACTION_PROGRAM, "number": VH_P1,
     "title": "Xây dựng Đảng và hệ thống chính trị phường vững mạnh toàn diện, hoạt động hiệu "
     "lực, hiệu quả, gần dân, phục vụ Nhân dân; đổi mới phương thức lãnh đạo, quản lý tiên "
     "tiến, hiện đại, ứng dụng khoa học công nghệ, chuyển đổi số; xây dựng đội ngũ cán bộ, công "
     "chức, viên chức chuyên nghiệp, sáng tạo, khát vọng, giai đoạn 2025–2030"},
    {**VH_ACTION_PROGRAM, "number": VH_P2,
     "title": "Nâng cao chất lượng cuộc sống của Nhân dân, xây dựng xã hội văn minh, nghĩa tình, "
     "hạnh phúc trên địa bàn phường Việt Hưng giai đoạn 2025–2030"},
    {**VH_ACTION_PROGRAM, "number": VH_P3,
     "title": "Đầu tư, hoàn thiện hệ thống hạ tầng đô thị, xây dựng phường Việt Hưng trở thành "
     "đô thị xanh, thông minh, hiện đại giai đoạn 2025–2030"},
    {**VH_ACTION_PROGRAM, "number": VH_P4,
     "title": "Phát triển kinh tế xanh, thông minh, tập trung khai thác nguồn lực đất đai trên "
     "địa bàn phường Việt Hưng giai đoạn 2025–2030"},
    {"number": VH_DECISION, "kind": ProgramKind.DECISION,
     "title": "Quyết định phân công nhiệm vụ trọng tâm triển khai Nghị quyết Đại hội (kèm phụ "
     "lục nhiệm vụ)",
     "period_start": -45, "period_end": 90, "issued_on": -45,
     "summary": "Quyết định ngắn gọn, tập trung vào trọng tâm; phụ lục kèm theo xác định rõ "
     "nhiệm vụ, trách nhiệm và thời hạn hoàn thành."},
    {"number": VH_CONCLUSION, "kind": ProgramKind.CONCLUSION,
     "title": "Kết luận của Thường trực Đảng ủy tại buổi làm việc định kỳ hằng tháng với các "
     "chi bộ, cơ quan, đơn vị",
     "period_start": -25, "period_end": 60, "issued_on": -25,
     "summary": "Cuộc họp chỉ bàn cách tháo gỡ vướng mắc, không nghe đọc báo cáo."},
]

# The 16 targets of the resolution. Five of them are also program 1 targets (see below).
VH_RESOLUTION_TARGETS = [
    {"code": "VH-NQ-01", "programs": [VH_P4], "responsible": "vh.officer2",
     "name": "Thu ngân sách nhà nước trên địa bàn tăng bình quân 10%/năm",
     "kind": GROWTH, "unit_of_measure": "tỷ đồng", "baseline_value": "1250",
     "annual_rate": "10"},
    {"code": "VH-NQ-02", "programs": [VH_P2],
     "name": "Tỷ lệ dân số tham gia bảo hiểm y tế đạt trên 95%",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "92.4", "target_value": "95"},
    {"code": "VH-NQ-03", "programs": [VH_P2],
     "name": "Tỷ lệ hộ gia đình đạt danh hiệu “Gia đình văn hóa” trên 90%",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "88", "target_value": "90"},
    {"code": "VH-NQ-04", "programs": [VH_P2],
     "name": "Tỷ lệ tổ dân phố đạt danh hiệu “Tổ dân phố văn hóa” trên 85%",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "80", "target_value": "85"},
    {"code": "VH-NQ-05", "programs": [VH_P2],
     "name": "100% trường công lập đạt chuẩn quốc gia",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "83.3", "target_value": "100"},
    {"code": "VH-NQ-06", "programs": [VH_P2],
     "name": "Không còn hộ nghèo theo chuẩn của Thành phố",
     "kind": THRESHOLD, "direction": LOWER, "unit_of_measure": "%", "baseline_value": "0.12",
     "target_value": "0"},
    {"code": "VH-NQ-07", "programs": [VH_P3], "responsible": "vh.officer2",
     "name": "100% rác thải sinh hoạt được thu gom, xử lý trong ngày",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "98.5", "target_value": "100"},
    {"code": "VH-NQ-08", "programs": [VH_P3], "responsible": "vh.officer2",
     "name": "Chỉnh trang, hạ ngầm đường dây, cáp viễn thông trên 12 tuyến phố",
     "kind": COUNT, "unit_of_measure": "tuyến phố", "baseline_value": "0", "target_value": "12"},
    {"code": "VH-NQ-09", "programs": [VH_P3], "responsible": "vh.officer2",
     "name": "Cải tạo, xây mới 8 vườn hoa, sân chơi công cộng",
     "kind": COUNT, "unit_of_measure": "công trình", "baseline_value": "0",
     "target_value": "8"},
    {"code": "VH-NQ-10", "programs": [VH_P4], "responsible": "vh.officer2",
     "name": "Số doanh nghiệp thành lập mới trong nhiệm kỳ đạt trên 600",
     "kind": CUMULATIVE, "unit_of_measure": "doanh nghiệp", "baseline_value": "0",
     "target_value": "600"},
    {"code": "VH-NQ-11", "programs": [],
     "name": "Kết nạp 150 đảng viên mới trong nhiệm kỳ",
     "kind": CUMULATIVE, "unit_of_measure": "đảng viên", "baseline_value": "0",
     "target_value": "150"},
]

# Program 1: 18 targets on leadership and management methods, 10 on cadres and civil servants,
# 7 on annual evaluation and emulation. Those marked in_resolution are among the 16 above.
VH_LEADERSHIP_TARGETS = [
    {"code": "VH-CT1-A01", "name": "100% văn bản chỉ đạo, điều hành được ký số và xử lý trên "
     "nền tảng số", "kind": THRESHOLD, "baseline_value": "72", "target_value": "100"},
    # One target serving the resolution and two programs: one row, linked three times.
    {"code": "VH-CT1-A02", "in_resolution": True, "programs": [VH_P1, VH_P4],
     "name": "Tỷ lệ hồ sơ thủ tục hành chính được giải quyết trực tuyến toàn trình đạt trên 80%",
     "kind": THRESHOLD, "baseline_value": "58", "target_value": "80"},
    {"code": "VH-CT1-A03", "in_resolution": True, "programs": [VH_P1, VH_P2],
     "name": "Mức độ hài lòng của người dân, doanh nghiệp đối với sự phục vụ của cơ quan hành "
     "chính đạt trên 95%", "kind": THRESHOLD, "baseline_value": "91.2", "target_value": "95"},
    {"code": "VH-CT1-A04", "name": "Vận hành phần mềm giám sát, theo dõi tiến độ mọi nhiệm vụ "
     "từ nghị quyết, chương trình, kế hoạch, kết luận", "kind": YES_NO, "unit_of_measure": "",
     "baseline_value": "0", "target_value": "1"},
    {"code": "VH-CT1-A05", "name": "Tự động tổng hợp báo cáo, thống kê định kỳ trên bảng điều "
     "khiển thông minh", "kind": YES_NO, "unit_of_measure": "", "baseline_value": "0",
     "target_value": "1"},
    {"code": "VH-CT1-A06", "name": "100% cơ quan, đơn vị duy trì, áp dụng hệ thống quản lý chất "
     "lượng theo TCVN ISO 9001", "kind": THRESHOLD, "baseline_value": "60",
     "target_value": "100"},
    {"code": "VH-CT1-A07", "name": "Quy trình công việc được xây dựng, giám sát và đánh giá tự "
     "động hằng năm", "kind": YES_NO, "unit_of_measure": "", "baseline_value": "0",
     "target_value": "1"},
    {"code": "VH-CT1-A08", "name": "100% quyết định lãnh đạo có phụ lục xác định rõ nhiệm vụ, "
     "trách nhiệm, tiến độ", "kind": THRESHOLD, "baseline_value": "40", "target_value": "100"},
    {"code": "VH-CT1-A09", "name": "100% kết quả thực hiện nhiệm vụ từ nghị quyết, chương trình, "
     "kế hoạch, kết luận được công khai", "kind": THRESHOLD, "baseline_value": "0",
     "target_value": "100"},
    {"code": "VH-CT1-A10", "name": "Giảm ít nhất 30% số cuộc họp so với năm 2025",
     "kind": THRESHOLD, "baseline_value": "0", "target_value": "30"},
    {"code": "VH-CT1-A11", "name": "Lãnh đạo phường làm việc định kỳ hằng tháng với chi bộ, cơ "
     "quan, đơn vị phụ trách", "kind": THRESHOLD, "unit_of_measure": "buổi/năm",
     "baseline_value": "6", "target_value": "12"},
    {"code": "VH-CT1-A12", "name": "Tỷ lệ hồ sơ thủ tục hành chính giải quyết đúng và trước hạn "
     "đạt trên 98%", "kind": THRESHOLD, "baseline_value": "96.5", "target_value": "98"},
    {"code": "VH-CT1-A13", "name": "100% kết quả giải quyết thủ tục hành chính được số hóa",
     "kind": THRESHOLD, "baseline_value": "70", "target_value": "100"},
    {"code": "VH-CT1-A14", "name": "Trên 95% người dân từ 14 tuổi trở lên có tài khoản định "
     "danh điện tử mức 2", "kind": THRESHOLD, "baseline_value": "86", "target_value": "95"},
    {"code": "VH-CT1-A15", "name": "Trên 95% kiến nghị của cử tri được giải quyết, trả lời "
     "đúng hạn", "kind": THRESHOLD, "baseline_value": "90", "target_value": "95"},
    {"code": "VH-CT1-A16", "name": "100% đơn thư khiếu nại, tố cáo được giải quyết đúng hạn",
     "kind": THRESHOLD, "baseline_value": "94", "target_value": "100"},
    {"code": "VH-CT1-A17", "name": "100% phản ánh, kiến nghị của người dân qua nền tảng số "
     "được trả lời trong thời hạn", "kind": THRESHOLD, "baseline_value": "88",
     "target_value": "100"},
    {"code": "VH-CT1-A18", "name": "100% chi bộ sinh hoạt, quản lý đảng viên trên nền tảng "
     "“Sổ tay đảng viên điện tử”", "kind": THRESHOLD, "baseline_value": "75",
     "target_value": "100"},
]

VH_CADRE_TARGETS = [
    {"code": "VH-CT1-B01", "in_resolution": True,
     "name": "100% cán bộ, công chức phường có trình độ đại học trở lên",
     "kind": THRESHOLD, "baseline_value": "96", "target_value": "100"},
    {"code": "VH-CT1-B02", "name": "100% cán bộ, công chức được bồi dưỡng kỹ năng số hằng năm",
     "kind": THRESHOLD, "baseline_value": "65", "target_value": "100"},
    {"code": "VH-CT1-B03", "name": "Tỷ lệ cán bộ nữ trong Ban Chấp hành Đảng bộ phường đạt "
     "trên 25%", "kind": THRESHOLD, "baseline_value": "22", "target_value": "25"},
    {"code": "VH-CT1-B04", "name": "Tỷ lệ cán bộ dưới 40 tuổi trong Ban Chấp hành Đảng bộ "
     "phường đạt trên 15%", "kind": THRESHOLD, "baseline_value": "12", "target_value": "15"},
    {"code": "VH-CT1-B05", "name": "50 sáng kiến, giải pháp cải tiến được công nhận trong "
     "nhiệm kỳ", "kind": CUMULATIVE, "unit_of_measure": "sáng kiến", "baseline_value": "0",
     "target_value": "50"},
    {"code": "VH-CT1-B06", "name": "100% vị trí việc làm có bản mô tả công việc và khung năng "
     "lực", "kind": THRESHOLD, "baseline_value": "30", "target_value": "100"},
    {"code": "VH-CT1-B07", "name": "100% cán bộ, công chức được đánh giá theo kết quả, sản "
     "phẩm cụ thể trên phần mềm", "kind": THRESHOLD, "baseline_value": "0",
     "target_value": "100"},
    {"code": "VH-CT1-B08", "name": "Không có cán bộ, công chức bị kỷ luật do vi phạm đạo đức "
     "công vụ", "kind": THRESHOLD, "direction": LOWER, "unit_of_measure": "trường hợp",
     "baseline_value": "1", "target_value": "0"},
    {"code": "VH-CT1-B09", "name": "Trên 80% cán bộ chủ chốt có trình độ cao cấp hoặc cử nhân "
     "lý luận chính trị", "kind": THRESHOLD, "baseline_value": "70", "target_value": "80"},
    {"code": "VH-CT1-B10", "name": "15 cán bộ, công chức được đào tạo sau đại học trong nhiệm "
     "kỳ", "kind": COUNT, "unit_of_measure": "người", "baseline_value": "0",
     "target_value": "15"},
]

VH_EVALUATION_TARGETS = [
    {"code": "VH-CT1-C01", "name": "Đảng bộ phường hằng năm được xếp loại hoàn thành tốt nhiệm "
     "vụ trở lên", "kind": THRESHOLD_KEEP, "unit_of_measure": "% số năm", "baseline_value": "100",
     "target_value": "100"},
    {"code": "VH-CT1-C02", "in_resolution": True,
     "name": "Hằng năm trên 90% tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
     "kind": THRESHOLD, "baseline_value": "88", "target_value": "90"},
    {"code": "VH-CT1-C03", "name": "Hằng năm trên 90% đảng viên được xếp loại hoàn thành tốt "
     "nhiệm vụ trở lên", "kind": THRESHOLD, "baseline_value": "89", "target_value": "90"},
    {"code": "VH-CT1-C04", "in_resolution": True,
     "name": "Hằng năm trên 90% cán bộ, công chức được xếp loại hoàn thành tốt nhiệm vụ trở lên",
     "kind": THRESHOLD, "baseline_value": "87", "target_value": "90"},
    {"code": "VH-CT1-C05", "name": "100% Mặt trận Tổ quốc và các đoàn thể phường được xếp loại "
     "hoàn thành tốt nhiệm vụ trở lên", "kind": THRESHOLD_KEEP, "baseline_value": "100",
     "target_value": "100"},
    {"code": "VH-CT1-C06", "name": "Hằng năm trên 70% tập thể đạt danh hiệu “Tập thể lao động "
     "tiên tiến”", "kind": THRESHOLD, "baseline_value": "62", "target_value": "70"},
    {"code": "VH-CT1-C07", "name": "Phường được UBND Thành phố tặng Cờ thi đua ít nhất 2 lần "
     "trong nhiệm kỳ", "kind": COUNT, "unit_of_measure": "lần", "baseline_value": "0",
     "target_value": "2"},
]

VH_OTHER_PROGRAM_TARGETS = [
    {"code": "VH-CT2-01", "programs": [VH_P2],
     "name": "Trên 98% người dân được quản lý sức khỏe bằng hồ sơ sức khỏe điện tử",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "80", "target_value": "98"},
    {"code": "VH-CT2-02", "programs": [VH_P2],
     "name": "Xây dựng 5 điểm sinh hoạt văn hóa cộng đồng kiểu mẫu",
     "kind": COUNT, "unit_of_measure": "điểm", "baseline_value": "0", "target_value": "5"},
    {"code": "VH-CT3-01", "programs": [VH_P3], "responsible": "vh.officer2",
     "name": "Trên 60% hộ gia đình phân loại rác thải tại nguồn",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "35", "target_value": "60"},
    {"code": "VH-CT3-02", "programs": [VH_P3], "responsible": "vh.officer2",
     "name": "Lắp đặt 300 camera an ninh, giao thông kết nối Trung tâm điều hành của phường",
     "kind": COUNT, "unit_of_measure": "camera", "baseline_value": "0", "target_value": "300"},
    {"code": "VH-CT4-01", "programs": [VH_P4], "responsible": "vh.officer2",
     "name": "Trên 80% hộ kinh doanh áp dụng thanh toán không dùng tiền mặt",
     "kind": THRESHOLD, "unit_of_measure": "%", "baseline_value": "55", "target_value": "80"},
    {"code": "VH-CT4-02", "programs": [VH_P4], "responsible": "vh.officer2",
     "name": "Hoàn thành đấu giá quyền sử dụng đất các ô đất xen kẹt đã được phê duyệt",
     "kind": YES_NO, "baseline_value": "0", "target_value": "1"},
]

VH_TASKS = [
    # Program 1: party, political system, digital transformation, civil servants.
    {"code": "VH-P1-T01", "program": VH_P1, "group": 2, "priority": "high",
     "title": "Đưa phần mềm theo dõi, giám sát tiến độ nhiệm vụ vào vận hành",
     "description": "Cập nhật toàn bộ nhiệm vụ từ Nghị quyết Đại hội, bốn chương trình hành động, "
     "các kế hoạch và kết luận vào phần mềm; mỗi nhiệm vụ đủ sáu rõ: rõ người, rõ việc, rõ thời "
     "gian, rõ trách nhiệm, rõ sản phẩm, rõ thẩm quyền.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "coordinating": ["HN-VH-KT"],
     "start": -150, "deadline": -20, "authority": "vh.leader",
     "targets": ["VH-CT1-A04", "VH-CT1-A09"],
     "result": "Phần mềm vận hành chính thức; 100% nhiệm vụ được theo dõi tự động và công khai "
     "kết quả",
     "steps": [("Rà soát, chuẩn hóa danh mục nhiệm vụ theo sáu rõ", -110, True),
               ("Nhập nhiệm vụ và phân công trên phần mềm", -60, True),
               ("Vận hành chính thức, công khai kết quả", -20, True)],
     "reports": [
         {"day": -75, "percent": 40, "outcome": "approve",
          "narrative": "Đã chuẩn hóa 212 nhiệm vụ theo sáu rõ; đang nhập liệu."},
         {"day": -40, "percent": 80, "outcome": "approve",
          "narrative": "Đã nhập và phân công 95% nhiệm vụ; tập huấn cho 46 cán bộ."},
         {"day": -21, "percent": 100, "outcome": "approve",
          "narrative": "Phần mềm đã vận hành chính thức; kết quả thực hiện nhiệm vụ được công "
          "khai trên cổng thông tin điện tử phường."},
     ]},
    {"code": "VH-P1-T02", "program": VH_P1, "group": 2,
     "title": "Ký số và xử lý 100% văn bản chỉ đạo, điều hành trên nền tảng số",
     "description": "Cấp chữ ký số cho lãnh đạo phường, bí thư chi bộ và công chức; chuyển toàn "
     "bộ văn bản chỉ đạo, điều hành sang hệ thống quản lý văn bản điện tử.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "coordinating": ["HN-VH-CB"],
     "start": -120, "deadline": 40, "authority": "vh.leader", "targets": ["VH-CT1-A01"],
     "result": "Báo cáo rà soát: 100% văn bản đi, đến được ký số và xử lý trên hệ thống",
     "reports": [
         {"day": -10, "percent": 85, "outcome": "approve",
          "narrative": "Đã cấp chữ ký số cho 52/58 cán bộ; 96% văn bản đi được ký số.",
          "obstacles": "6 bí thư chi bộ tổ dân phố chưa được cấp chữ ký số cá nhân; đang chờ "
          "cấp bổ sung."},
     ]},
    {"code": "VH-P1-T03", "program": VH_P1, "group": 2, "priority": "high",
     "title": "Xây dựng bảng điều khiển thông minh tự động tổng hợp báo cáo, thống kê định kỳ",
     "description": "Kết nối dữ liệu từ phần mềm theo dõi nhiệm vụ, hệ thống một cửa điện tử và "
     "các phần mềm chuyên ngành để tổng hợp báo cáo tự động, thay cho thu thập báo cáo thủ công.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -100, "deadline": -6,
     "authority": "vh.leader", "targets": ["VH-CT1-A05"],
     "result": "Bảng điều khiển vận hành; báo cáo tháng, quý được tổng hợp tự động",
     "reports": [
         {"day": -35, "percent": 50, "outcome": "approve",
          "narrative": "Hoàn thành thiết kế các chỉ số và giao diện bảng điều khiển."},
         {"day": -8, "percent": 70, "outcome": "submit",
          "narrative": "Đã kết nối dữ liệu phần mềm theo dõi nhiệm vụ; đang thử nghiệm báo cáo "
          "quý.",
          "obstacles": "Hệ thống một cửa điện tử của Thành phố chưa mở kết nối dữ liệu; đề nghị "
          "Thường trực Đảng ủy làm việc với Sở Khoa học và Công nghệ."},
     ]},
    {"code": "VH-P1-T04", "program": VH_P1, "group": 2,
     "title": "Áp dụng hệ thống quản lý chất lượng theo TCVN ISO 9001:2015 tại các cơ quan, đơn "
     "vị của phường",
     "description": "Xây dựng, công bố và áp dụng hệ thống quản lý chất lượng tại Văn phòng HĐND "
     "và UBND, Phòng Kinh tế, Hạ tầng và Đô thị và các đơn vị sự nghiệp.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "coordinating": ["HN-VH-KT"],
     "start": -30, "deadline": 150, "authority_body": "Ủy ban nhân dân phường",
     "targets": ["VH-CT1-A06"],
     "result": "Quyết định công bố hệ thống quản lý chất lượng phù hợp TCVN ISO 9001:2015"},
    {"code": "VH-P1-T05", "program": VH_P1, "group": 2,
     "title": "Xây dựng quy trình công việc và bộ chỉ số đánh giá tự động hằng năm",
     "description": "Chuẩn hóa quy trình xử lý công việc của các cơ quan trong hệ thống chính "
     "trị phường; gắn mỗi bước với chỉ số thời gian và kết quả để phần mềm tự động đánh giá.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -60, "deadline": 60,
     "authority_body": "Ban Thường vụ Đảng ủy phường", "targets": ["VH-CT1-A07"],
     "result": "Bộ quy trình và bộ chỉ số được Ban Thường vụ Đảng ủy ban hành",
     "steps": [("Khảo sát quy trình hiện hành của các cơ quan", -40, True),
               ("Dự thảo quy trình và bộ chỉ số", 10, False),
               ("Trình Ban Thường vụ Đảng ủy ban hành", 50, False)],
     "reports": [
         {"day": -5, "percent": 45, "outcome": "submit",
          "narrative": "Đã khảo sát 37 quy trình; dự thảo xong 20 quy trình kèm chỉ số."},
     ]},
    {"code": "VH-P1-T06", "program": VH_P1, "group": 1,
     "title": "Bồi dưỡng kỹ năng số cho cán bộ, công chức năm 2026",
     "description": "Tổ chức 4 lớp bồi dưỡng về khai thác dữ liệu, ký số, an toàn thông tin và "
     "sử dụng phần mềm dùng chung cho toàn bộ cán bộ, công chức phường.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -90, "deadline": 5,
     "authority": "vh.manager", "targets": ["VH-CT1-B02"],
     "result": "100% cán bộ, công chức hoàn thành bồi dưỡng, có chứng nhận",
     "reports": [
         {"day": -14, "percent": 70, "outcome": "approve",
          "narrative": "Đã tổ chức 3/4 lớp với 41 học viên."},
     ]},
    {"code": "VH-P1-T07", "program": VH_P1, "group": 1,
     "title": "Đánh giá, xếp loại chất lượng tổ chức đảng, đảng viên năm 2026 trên phần mềm",
     "description": "Đánh giá dựa trên kết quả thực hiện nhiệm vụ được ghi nhận trên phần mềm, "
     "thay cho tự nhận xét; công khai kết quả đến từng chi bộ.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "coordinating": ["HN-VH-CB"],
     "start": -10, "deadline": 25, "authority_body": "Ban Thường vụ Đảng ủy phường",
     "targets": ["VH-CT1-C02", "VH-CT1-C03"],
     "result": "Báo cáo kết quả đánh giá, xếp loại năm 2026 trình Ban Thường vụ"},
    {"code": "VH-P1-T08", "program": VH_P1, "group": 1, "priority": "high",
     "title": "Xây dựng bản mô tả công việc và khung năng lực cho từng vị trí việc làm",
     "description": "Rà soát vị trí việc làm sau sắp xếp đơn vị hành chính; mỗi vị trí có bản "
     "mô tả công việc, khung năng lực và sản phẩm đầu ra để đánh giá.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -80, "deadline": -12,
     "authority": "vh.leader", "targets": ["VH-CT1-B06", "VH-CT1-B07"],
     "result": "Đề án vị trí việc làm được phê duyệt, kèm bản mô tả công việc và khung năng lực",
     "reports": [
         {"day": -20, "percent": 60, "outcome": "approve",
          "narrative": "Đã hoàn thành bản mô tả công việc cho 24/40 vị trí việc làm.",
          "obstacles": "Chưa có hướng dẫn thống nhất của Sở Nội vụ về khung năng lực cấp "
          "phường; đề nghị xin ý kiến Thành phố."},
     ]},
    # Program 2: quality of people's life, a civilised, happy society.
    {"code": "VH-P2-T01", "program": VH_P2, "group": 5,
     "title": "Vận động người dân tham gia bảo hiểm y tế, phấn đấu đạt trên 95% dân số",
     "description": "Phối hợp tổ dân phố rà soát người chưa có thẻ bảo hiểm y tế; vận động, hỗ "
     "trợ mua thẻ cho hộ cận nghèo, người cao tuổi.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "coordinating": ["HN-VH-CB"],
     "start": -200, "deadline": 38, "authority": "vh.manager", "targets": ["VH-NQ-02"],
     "result": "Báo cáo tỷ lệ bao phủ bảo hiểm y tế trên 95% có xác nhận của cơ quan bảo hiểm xã "
     "hội",
     "reports": [
         {"day": -7, "percent": 80, "outcome": "approve",
          "narrative": "Tỷ lệ bao phủ đạt 94,1%; đã vận động thêm 620 người tham gia."},
     ]},
    {"code": "VH-P2-T02", "program": VH_P2, "group": 5,
     "title": "Xây dựng gia đình văn hóa, tổ dân phố văn hóa năm 2026",
     "description": "Hướng dẫn đăng ký và bình xét danh hiệu gia đình văn hóa, tổ dân phố văn "
     "hóa, gắn với cuộc vận động toàn dân đoàn kết xây dựng đời sống văn hóa.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "coordinating": ["HN-VH-CB"],
     "start": -300, "deadline": 20, "authority_body": "Ủy ban nhân dân phường",
     "targets": ["VH-NQ-03", "VH-NQ-04"],
     "result": "Quyết định công nhận danh hiệu năm 2026",
     "reports": [
         {"day": -3, "percent": 50, "outcome": "submit",
          "narrative": "38/45 tổ dân phố đã tổ chức bình xét."},
     ]},
    {"code": "VH-P2-T03", "program": VH_P2, "group": 5, "priority": "high",
     "title": "Lập hồ sơ sức khỏe điện tử cho toàn bộ người dân",
     "description": "Trạm y tế phường phối hợp tổ dân phố cập nhật hồ sơ sức khỏe điện tử, liên "
     "thông với ứng dụng định danh điện tử VNeID.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -150, "deadline": -2,
     "authority": "vh.manager", "targets": ["VH-CT2-01"],
     "result": "Trên 98% người dân có hồ sơ sức khỏe điện tử",
     "reports": [
         {"day": -15, "percent": 75, "outcome": "approve",
          "narrative": "Đã lập hồ sơ sức khỏe điện tử cho 76% người dân.",
          "obstacles": "Trạm y tế thiếu nhân lực nhập liệu; 18% người cao tuổi chưa có tài khoản "
          "định danh điện tử mức 2."},
     ]},
    {"code": "VH-P2-T04", "program": VH_P2, "group": 2,
     "title": "Khảo sát mức độ hài lòng của người dân đối với sự phục vụ của cơ quan hành chính",
     "description": "Khảo sát trực tuyến và trực tiếp tại bộ phận một cửa; phân tích nguyên nhân "
     "chưa hài lòng để khắc phục.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -80, "deadline": -10,
     "authority": "vh.leader", "targets": ["VH-CT1-A03"],
     "result": "Báo cáo kết quả khảo sát và kế hoạch khắc phục",
     "reports": [
         {"day": -40, "percent": 50, "outcome": "approve",
          "narrative": "Đã thu 1.250 phiếu khảo sát."},
         {"day": -18, "percent": 100, "outcome": "approve",
          "narrative": "Mức độ hài lòng đạt 95,8%; đã ban hành kế hoạch khắc phục 3 nội dung "
          "người dân chưa hài lòng."},
     ]},
    {"code": "VH-P2-T05", "program": VH_P2, "group": 5, "draft": True,
     "title": "Xây dựng 5 điểm sinh hoạt văn hóa cộng đồng kiểu mẫu",
     "description": "Cải tạo nhà văn hóa tổ dân phố thành điểm sinh hoạt cộng đồng kiểu mẫu, có "
     "tủ sách, sân tập thể thao.",
     "owner": None, "lead": "HN-VH-VP", "start": 10, "deadline": 200,
     "authority_body": "Ủy ban nhân dân phường", "targets": ["VH-CT2-02"],
     "result": "5 điểm sinh hoạt văn hóa cộng đồng được đưa vào sử dụng"},
    # Program 3: urban infrastructure; a green, smart, modern urban area.
    {"code": "VH-P3-T01", "program": VH_P3, "group": 4, "priority": "high",
     "title": "Chỉnh trang, hạ ngầm đường dây, cáp viễn thông trên 3 tuyến phố chính năm 2026",
     "description": "Phối hợp các doanh nghiệp điện lực, viễn thông hạ ngầm đường dây, cáp; "
     "chỉnh trang vỉa hè, cây xanh, chiếu sáng.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "coordinating": ["HN-VH-VP"],
     "start": -120, "deadline": 75, "authority": "vh.leader", "targets": ["VH-NQ-08"],
     "result": "3 tuyến phố được hạ ngầm cáp, chỉnh trang và nghiệm thu",
     "steps": [("Khảo sát, lập phương án hạ ngầm", -90, True),
               ("Thi công tuyến thứ nhất", -30, True),
               ("Thi công tuyến thứ hai và thứ ba", 60, False),
               ("Nghiệm thu, bàn giao", 75, False)],
     "reports": [
         {"day": -25, "percent": 35, "outcome": "approve",
          "narrative": "Hoàn thành thi công tuyến thứ nhất."},
         {"day": -4, "percent": 50, "outcome": "submit",
          "narrative": "Đang thi công tuyến thứ hai.",
          "obstacles": "Vướng mặt bằng tại 2 vị trí cột điện; doanh nghiệp viễn thông chậm di "
          "dời cáp treo."},
     ]},
    {"code": "VH-P3-T02", "program": VH_P3, "group": 4,
     "title": "Thu gom, xử lý 100% rác thải sinh hoạt trong ngày; phân loại rác tại nguồn",
     "description": "Giám sát đơn vị vệ sinh môi trường theo giờ thu gom; hướng dẫn hộ gia đình "
     "phân loại rác tại nguồn ở 10 tổ dân phố thí điểm.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "coordinating": ["HN-VH-CB"],
     "start": -300, "deadline": 38, "authority": "vh.manager",
     "targets": ["VH-NQ-07", "VH-CT3-01"],
     "result": "Báo cáo giám sát hằng tháng; 10 tổ dân phố thí điểm phân loại rác tại nguồn",
     "reports": [
         {"day": -12, "percent": 90, "outcome": "approve",
          "narrative": "Thu gom 100% rác trong ngày; 9/10 tổ dân phố đã phân loại rác tại nguồn."},
     ]},
    {"code": "VH-P3-T03", "program": VH_P3, "group": 4, "priority": "high",
     "title": "Cải tạo vườn hoa, sân chơi tại khu đô thị Việt Hưng",
     "description": "Cải tạo lối đi, thay thế thiết bị vui chơi, bổ sung cây xanh và chiếu sáng.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "start": -160, "deadline": -18,
     "authority": "vh.leader", "targets": ["VH-NQ-09"],
     "result": "Công trình hoàn thành, nghiệm thu và đưa vào sử dụng",
     "reports": [
         {"day": -25, "percent": 65, "outcome": "approve",
          "narrative": "Hoàn thành lối đi và hệ thống chiếu sáng.",
          "obstacles": "Nhà thầu chậm tiến độ do mưa kéo dài; thiết bị vui chơi về chậm."},
     ]},
    {"code": "VH-P3-T04", "program": VH_P3, "group": 6,
     "title": "Lắp đặt camera giám sát an ninh, trật tự kết nối Trung tâm điều hành của phường",
     "description": "Lắp đặt bổ sung 80 camera tại các nút giao, khu dân cư; kết nối về Trung "
     "tâm điều hành để phát hiện vi phạm trật tự đô thị.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "coordinating": ["HN-VH-VP"],
     "start": -60, "deadline": 4, "authority": "vh.manager", "targets": ["VH-CT3-02"],
     "result": "80 camera hoạt động, kết nối Trung tâm điều hành",
     "reports": [
         {"day": -4, "percent": 90, "outcome": "submit",
          "narrative": "Đã lắp đặt và kết nối 74/80 camera."},
     ]},
    {"code": "VH-P3-T05", "program": VH_P3, "group": 4, "draft": True,
     "title": "Rà soát, xử lý vi phạm trật tự xây dựng, lấn chiếm vỉa hè",
     "description": "Lập danh sách vi phạm, xử lý dứt điểm các trường hợp tồn đọng.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "start": 0, "deadline": 90, "result": ""},
    # Program 4: a green, smart economy; exploiting land resources.
    {"code": "VH-P4-T01", "program": VH_P4, "group": 3,
     "title": "Rà soát, lập danh mục quỹ đất công, đất xen kẹt để khai thác",
     "description": "Rà soát quỹ đất công, đất xen kẹt, đất dôi dư sau sắp xếp; đề xuất phương "
     "án khai thác, đấu giá hoặc làm công trình công cộng.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "start": -140, "deadline": -30,
     "authority": "vh.leader", "targets": ["VH-NQ-01", "VH-CT4-02"],
     "result": "Danh mục quỹ đất kèm phương án khai thác được UBND phường phê duyệt",
     "steps": [("Rà soát hồ sơ địa chính", -110, True),
               ("Kiểm tra hiện trạng thực địa", -70, True)],
     "reports": [
         {"day": -60, "percent": 60, "outcome": "approve",
          "narrative": "Đã rà soát 43 khu đất, kiểm tra hiện trạng 26 khu."},
         {"day": -32, "percent": 100, "outcome": "approve",
          "narrative": "Danh mục 43 khu đất kèm phương án khai thác đã được phê duyệt."},
     ]},
    {"code": "VH-P4-T02", "program": VH_P4, "group": 3,
     "title": "Tổ chức đấu giá quyền sử dụng đất các ô đất xen kẹt đã được phê duyệt",
     "description": "Lập hồ sơ, xác định giá khởi điểm và tổ chức đấu giá công khai theo danh "
     "mục đã phê duyệt.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "start": -20, "deadline": 120,
     "authority_body": "Ủy ban nhân dân phường", "targets": ["VH-CT4-02", "VH-NQ-01"],
     "result": "Kết quả đấu giá được công nhận; tiền sử dụng đất được nộp ngân sách"},
    {"code": "VH-P4-T03", "program": VH_P4, "group": 3,
     "title": "Hỗ trợ hộ kinh doanh chuyển đổi số, thanh toán không dùng tiền mặt",
     "description": "Tổ công nghệ số cộng đồng hướng dẫn hộ kinh doanh mở tài khoản, dùng mã "
     "QR và hóa đơn điện tử.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "coordinating": ["HN-VH-CB"],
     "start": -90, "deadline": 3, "authority": "vh.manager", "targets": ["VH-CT4-01"],
     "result": "Trên 80% hộ kinh doanh áp dụng thanh toán không dùng tiền mặt",
     "reports": [
         {"day": -6, "percent": 60, "outcome": "approve",
          "narrative": "Đã hỗ trợ 410/680 hộ kinh doanh.",
          "obstacles": "Nhiều hộ kinh doanh lớn tuổi ngại dùng ứng dụng; cần thêm thành viên tổ "
          "công nghệ số cộng đồng hỗ trợ tại chợ."},
     ]},
    # The leadership decision: a short decision whose appendix lists these tasks.
    {"code": "VH-QD-T01", "program": VH_DECISION, "group": 2,
     "title": "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính còn tồn đọng",
     "description": "Số hóa toàn bộ hồ sơ, kết quả giải quyết thủ tục hành chính từ năm 2020 "
     "đến nay của các phường cũ trước sắp xếp.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -45, "deadline": 30,
     "authority": "vh.manager", "targets": ["VH-CT1-A13"],
     "result": "100% hồ sơ tồn đọng được số hóa, liên thông kho dữ liệu",
     "reports": [
         {"day": -2, "percent": 70, "outcome": "submit",
          "narrative": "Đã số hóa 18.400/26.000 hồ sơ."},
     ]},
    {"code": "VH-QD-T02", "program": VH_DECISION, "group": 3,
     "title": "Rà soát, đề xuất phương án sử dụng trụ sở dôi dư sau sắp xếp đơn vị hành chính",
     "description": "Rà soát các trụ sở, nhà văn hóa dôi dư; đề xuất chuyển đổi công năng phục "
     "vụ người dân.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "start": -45, "deadline": -8,
     "authority_body": "Ban Thường vụ Đảng ủy phường",
     "result": "Báo cáo phương án sử dụng trụ sở dôi dư trình Ban Thường vụ"},
    {"code": "VH-QD-T03", "program": VH_DECISION, "group": 1,
     "title": "Ban hành quy chế làm việc định kỳ hằng tháng giữa lãnh đạo phường với chi bộ, "
     "cơ quan, đơn vị",
     "description": "Mỗi tháng lãnh đạo phường làm việc với các chi bộ, cơ quan, đơn vị được "
     "phân công phụ trách; nội dung tập trung tháo gỡ vướng mắc.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -45, "deadline": -15,
     "authority": "vh.leader", "targets": ["VH-CT1-A11"],
     "result": "Quy chế được ban hành, lịch làm việc cả năm được công khai",
     "reports": [
         {"day": -20, "percent": 100, "outcome": "approve",
          "narrative": "Quy chế đã được ban hành; lịch làm việc được công khai trên phần mềm."},
     ]},
    # The meeting conclusion: obstacles discussed, tasks assigned.
    {"code": "VH-KL-T01", "program": VH_CONCLUSION, "group": 2,
     "title": "Giảm số cuộc họp; chuyển nội dung nghe báo cáo sang báo cáo trên phần mềm",
     "description": "Cuộc họp chỉ bàn cách tháo gỡ vướng mắc; tiến độ được báo cáo trên phần "
     "mềm trước cuộc họp ít nhất 2 ngày.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -25, "deadline": 35,
     "authority": "vh.leader", "targets": ["VH-CT1-A10"],
     "result": "Thông báo quy định về họp; báo cáo số cuộc họp giảm hằng quý",
     "reports": [
         {"day": -9, "percent": 40, "outcome": "return",
          "narrative": "Đã ban hành thông báo; số cuộc họp tháng này giảm 35% so với cùng kỳ.",
          "comment": "Đề nghị bổ sung số liệu so sánh theo từng cơ quan, đơn vị."},
     ]},
    {"code": "VH-KL-T02", "program": VH_CONCLUSION, "group": 4, "priority": "urgent",
     "title": "Tháo gỡ vướng mắc mặt bằng để hạ ngầm cáp viễn thông",
     "description": "Làm việc với điện lực và các doanh nghiệp viễn thông để di dời cột điện, "
     "cáp treo tại 2 vị trí vướng mặt bằng.",
     "owner": "vh.officer2", "lead": "HN-VH-KT", "start": -4, "deadline": 6,
     "authority": "vh.manager", "targets": ["VH-NQ-08"],
     "result": "Biên bản thống nhất phương án di dời và mốc thời gian hoàn thành"},
    # Sub-tasks of VH-P1-T02 (ký số): one under way, one cancelled with its reason.
    {"code": "VH-P1-T02a", "parent": "VH-P1-T02", "program": VH_P1, "group": 2,
     "title": "Cấp bổ sung chữ ký số cho 6 bí thư chi bộ tổ dân phố",
     "description": "Lập danh sách, đề nghị cấp chữ ký số cá nhân và hướng dẫn sử dụng cho bí "
     "thư chi bộ các tổ dân phố chưa được cấp.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -8, "deadline": 25,
     "authority": "vh.leader", "result": "6 bí thư chi bộ được cấp và sử dụng chữ ký số"},
    {"code": "VH-P1-T02b", "parent": "VH-P1-T02", "program": VH_P1, "group": 2,
     "title": "Thuê dịch vụ ký số từ xa cho các tổ dân phố",
     "description": "Khảo sát, lựa chọn nhà cung cấp dịch vụ ký số từ xa cho các tổ dân phố.",
     "owner": "vh.officer", "lead": "HN-VH-VP", "start": -30, "deadline": 30,
     "authority": "vh.leader", "result": "Hợp đồng dịch vụ ký số từ xa",
     "cancel": "Đã gộp vào gói cấp chữ ký số của Thành phố cho cơ sở"},
]

VIET_HUNG = {
    "unit": "HN-VH",
    "manager": "vh.manager",
    "leader": "vh.leader",
    "responsible": "vh.officer",
    "source": "Báo cáo của UBND phường Việt Hưng",
    "resolution": {
        "number": "01-NQ/ĐH",
        "title": "Nghị quyết Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I, nhiệm kỳ "
        "2025–2030",
        **TERM,
        "adopted_on": date(2025, 8, 14),
        "issuing_body": "Đại hội đại biểu Đảng bộ phường Việt Hưng lần thứ I",
        "summary": "Xây dựng phường Việt Hưng phát triển bền vững, văn minh, hiện đại, đáng sống, "
        "xứng tầm đô thị trung tâm cửa ngõ Đông Bắc của Thủ đô; 5 quan điểm chỉ đạo, 3 đột phá, "
        "16 chỉ tiêu và 6 nhóm nhiệm vụ, giải pháp trọng tâm.",
    },
    "resolution_items": {
        ResolutionItemKind.VIEWPOINT: [
            ("Giữ vững sự lãnh đạo toàn diện của Đảng",
             "Xây dựng Đảng bộ và hệ thống chính trị trong sạch, vững mạnh là then chốt; Đảng ủy "
             "lãnh đạo toàn diện nhưng không làm thay chính quyền."),
            ("Lấy người dân làm trung tâm",
             "Sự hài lòng của người dân và doanh nghiệp là thước đo hiệu quả phục vụ của chính "
             "quyền phường."),
            ("Chuyển đổi số là phương thức lãnh đạo mới",
             "Chuyển từ lãnh đạo thủ công dựa trên kinh nghiệm và thông tin tổng hợp sang lãnh "
             "đạo số dựa trên dữ liệu."),
            ("Phát triển nhanh và bền vững",
             "Phát triển kinh tế xanh, thông minh gắn với khai thác hiệu quả nguồn lực đất đai "
             "và bảo vệ môi trường."),
            ("Phát huy đoàn kết, dân chủ, đổi mới sáng tạo",
             "Khơi dậy tinh thần dám nghĩ, dám làm, dám chịu trách nhiệm vì lợi ích chung."),
        ],
        ResolutionItemKind.BREAKTHROUGH: [
            ("Đột phá về chuyển đổi số và phương thức lãnh đạo",
             "Xây dựng môi trường làm việc số toàn diện; văn bản được ký số, xử lý trên nền tảng "
             "số; báo cáo tổng hợp tự động trên bảng điều khiển thông minh."),
            ("Đột phá về đội ngũ cán bộ",
             "Đội ngũ cán bộ, công chức chuyên nghiệp, sáng tạo, khát vọng, bản lĩnh trong kỷ "
             "nguyên số."),
            ("Đột phá về hạ tầng đô thị",
             "Hạ tầng đô thị đồng bộ, xanh, thông minh, hiện đại; khai thác hiệu quả quỹ đất."),
        ],
        ResolutionItemKind.TASK_GROUP: [
            ("Xây dựng Đảng và hệ thống chính trị trong sạch, vững mạnh toàn diện",
             "Nâng cao chất lượng tổ chức cơ sở đảng và đội ngũ cán bộ, đảng viên."),
            ("Đổi mới phương thức lãnh đạo, quản lý, điều hành; đẩy mạnh chuyển đổi số",
             "Theo dõi, giám sát tự động mọi nhiệm vụ; công khai kết quả; giảm họp."),
            ("Phát triển kinh tế xanh, thông minh; khai thác hiệu quả nguồn lực đất đai",
             "Rà soát, khai thác quỹ đất; hỗ trợ doanh nghiệp, hộ kinh doanh chuyển đổi số."),
            ("Đầu tư, chỉnh trang hạ tầng; quản lý đô thị văn minh, hiện đại",
             "Hạ ngầm cáp, chỉnh trang tuyến phố, vườn hoa; xử lý rác thải trong ngày."),
            ("Nâng cao chất lượng cuộc sống, xây dựng xã hội văn minh, hạnh phúc",
             "Chăm lo y tế, giáo dục, văn hóa; xây dựng gia đình, tổ dân phố văn hóa."),
            ("Bảo đảm quốc phòng, an ninh, trật tự an toàn xã hội",
             "Xây dựng thế trận an ninh nhân dân; ứng dụng camera giám sát."),
        ],
    },
    "programs": VH_PROGRAMS,
    # Program 1 in its three sections: 18 targets on leadership and management methods,
    # 10 on cadres and civil servants, 7 on annual evaluation (code, title, the targets'
    # code prefix, the tasks).
    "program_sections": {
        VH_P1: [
            ("A", LEADERSHIP, "VH-CT1-A",
             ["VH-P1-T01", "VH-P1-T02", "VH-P1-T03", "VH-P1-T04", "VH-P1-T05"]),
            ("B", CADRES, "VH-CT1-B", ["VH-P1-T06", "VH-P1-T08"]),
            ("C", EVALUATION, "VH-CT1-C", ["VH-P1-T07"]),
        ],
    },
    "targets": (
        [{**spec, "in_resolution": True} for spec in VH_RESOLUTION_TARGETS]
        + [{"programs": [VH_P1], "group": LEADERSHIP, "unit_of_measure": "%", **spec}
           for spec in VH_LEADERSHIP_TARGETS]
        + [{"programs": [VH_P1], "group": CADRES, "unit_of_measure": "%", **spec}
           for spec in VH_CADRE_TARGETS]
        + [{"programs": [VH_P1], "group": EVALUATION, "unit_of_measure": "%", **spec}
           for spec in VH_EVALUATION_TARGETS]
        + VH_OTHER_PROGRAM_TARGETS
    ),
    "tasks": VH_TASKS,
    # Behind on purpose: digital signing (VH-CT1-A01), online procedures (VH-CT1-A02).
    "measurements": [
        ("VH-NQ-01", 2025, 0, "1262", True),
        ("VH-NQ-01", 2026, 0, "1381", True),
        ("VH-NQ-02", 2025, 0, "92.6", True),
        ("VH-NQ-02", 2026, 0, "94.1", False),
        ("VH-NQ-07", 2025, 0, "99", True),
        ("VH-NQ-07", 2026, 0, "100", True),
        ("VH-NQ-08", 2026, 0, "3", True),
        ("VH-NQ-10", 2026, 0, "126", True),
        ("VH-CT1-A01", 2025, 0, "78", True),
        ("VH-CT1-A01", 2026, 0, "96", True),
        ("VH-CT1-A02", 2025, 0, "61.5", True),
        ("VH-CT1-A02", 2026, 1, "66.2", True),
        ("VH-CT1-A02", 2026, 2, "70.4", True),
        ("VH-CT1-A02", 2026, 3, "73.8", True),
        ("VH-CT1-A03", 2025, 0, "91.5", True),
        ("VH-CT1-A03", 2026, 0, "95.8", True),
        ("VH-CT1-B02", 2026, 0, "100", True),
        ("VH-CT1-C02", 2025, 0, "89.3", True),
    ],
}

COMMUNES = [AN_NHON_BAC, HOA_HOI, VIET_HUNG]
