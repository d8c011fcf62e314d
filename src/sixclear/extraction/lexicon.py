"""The words the extractor reads in each language: section headings, document kinds, scales,
currencies, count nouns and the words that say a target's kind and direction. Lower case;
matched on lower-cased text."""

from __future__ import annotations

from dataclasses import dataclass, field

# Section kinds; they match plans.models.ResolutionItemKind where a section holds items.
VIEWPOINTS = "viewpoints"
BREAKTHROUGHS = "breakthroughs"
TARGETS = "targets"
TASKS = "tasks"
PROGRAMS = "programs"
OTHER = "other"


@dataclass(frozen=True)
class Lexicon:
    language: str
    # document kinds (plans: resolution, action_program, plan, conclusion, decision) by title word
    document_kinds: tuple[tuple[str, str], ...]
    number_label: tuple[str, ...]
    issuer_starts: tuple[str, ...]
    months: dict[str, int]
    # section heading keyword -> kind (first match wins, so the longer phrases come first)
    sections: tuple[tuple[str, str], ...]
    general_objective: tuple[str, ...]
    scales: dict[str, int]            # scale word -> power of ten
    currencies: tuple[str, ...]
    count_nouns: tuple[str, ...]
    people_nouns: tuple[str, ...]
    growth_words: tuple[str, ...]     # "tăng trưởng", "growth"
    per_year: tuple[str, ...]         # "/năm", "per year"
    average: tuple[str, ...]
    increase: tuple[str, ...]
    keep_words: tuple[str, ...]       # each year / maintain
    cumulative_words: tuple[str, ...]
    lower_words: tuple[str, ...]      # before the value: lower is better
    higher_guard: tuple[str, ...]     # "không dưới": contains a lower word but means higher
    at_least: tuple[str, ...]         # qualifiers to strip from the indicator
    yes_no_words: tuple[str, ...]
    by_year: tuple[str, ...]          # words before a target year
    period_words: tuple[str, ...]     # words before "2025–2030"
    range_joiners: tuple[tuple[str, str], ...]  # ("từ", "đến"): from X to Y
    baseline_words: tuple[str, ...]   # "so với năm", "compared with"
    lead_words: tuple[str, ...]       # "chủ trì"
    result_words: tuple[str, ...]     # "sản phẩm"
    deadline_words: tuple[str, ...]   # "hoàn thành", "thời hạn"
    measures: tuple[str, ...] = field(default=())
    # figures that describe what is counted, not the target ("dưới 5 tuổi", "3 sao")
    descriptors: tuple[str, ...] = field(default=())


VI = Lexicon(
    language="vi",
    document_kinds=(
        ("chương trình hành động", "action_program"), ("chương trình", "action_program"),
        ("nghị quyết", "resolution"), ("kế hoạch", "plan"), ("kết luận", "conclusion"),
        ("quyết định", "decision"),
    ),
    number_label=("số:", "số"),
    issuer_starts=("đảng bộ", "đảng ủy", "đảng uỷ", "ban chấp hành", "ban thường vụ",
                   "ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân"),
    months={},
    sections=(
        ("quan điểm", VIEWPOINTS), ("đột phá", BREAKTHROUGHS),
        ("chỉ tiêu", TARGETS), ("mục tiêu", TARGETS),
        ("nhiệm vụ", TASKS), ("giải pháp", TASKS),
        ("chương trình", PROGRAMS), ("tổ chức thực hiện", OTHER),
    ),
    general_objective=("mục tiêu tổng quát", "mục tiêu chung"),
    scales={"nghìn": 3, "ngàn": 3, "triệu": 6, "tỷ": 9, "tỉ": 9},
    currencies=("đồng", "usd", "vnđ", "vnd"),
    count_nouns=(
        "dự án", "công trình", "doanh nghiệp", "hợp tác xã", "mô hình", "sản phẩm ocop",
        "sản phẩm", "trường", "tuyến đường", "tuyến phố", "tuyến", "khu dân cư", "tổ dân phố",
        "thôn", "nhà văn hóa", "câu lạc bộ", "điểm", "cụm", "chợ", "camera", "cơ sở",
        "di tích", "lễ hội", "phòng học", "trạm", "công viên", "vườn hoa", "km", "ha",
        "căn hộ", "căn nhà", "nhà", "tổ chức cơ sở đảng", "chi bộ", "hệ thống", "dịch vụ công",
        "thủ tục", "cơ sở dữ liệu", "ứng dụng",
    ),
    measures=("ngày làm việc", "ngày", "giờ", "tuổi", "m2", "m²", "giường bệnh", "bác sĩ",
              "lần", "sao", "điểm"),
    descriptors=("tuổi", "sao"),
    people_nouns=("lượt", "lao động", "người", "hộ", "đảng viên", "học sinh", "hội viên",
                  "đoàn viên", "cán bộ", "lượt khách", "khách"),
    growth_words=("tăng trưởng",),
    per_year=("%/năm", "% /năm", "%/ năm", "% mỗi năm", "% một năm", "%/1 năm"),
    average=("bình quân", "trung bình"),
    increase=("tăng",),
    keep_words=("hằng năm", "hàng năm", "mỗi năm", "duy trì", "giữ vững", "giữ ổn định",
                "năm nào cũng"),
    cumulative_words=("lũy kế", "luỹ kế", "cộng dồn", "tổng cộng", "cả giai đoạn",
                      "cả nhiệm kỳ", "trong nhiệm kỳ", "trong giai đoạn", "tổng vốn",
                      "tổng số", "trong 5 năm", "5 năm"),
    lower_words=("giảm", "dưới", "không quá", "không vượt quá", "tối đa", "xuống còn",
                 "còn dưới"),
    higher_guard=("không dưới", "không giảm"),
    at_least=("ít nhất", "không dưới", "tối thiểu", "trên", "từ", "đạt", "có", "lên",
              "khoảng", "hơn", "giảm còn", "giảm xuống", "xuống còn", "còn", "dưới",
              "không quá", "không vượt quá", "tối đa", "đạt trên", "trở lên", "bình quân",
              "trung bình", "tăng", "là", "mức", "và", "với", "thêm", "mới", "giai đoạn",
              "nhiệm kỳ", "trong nhiệm kỳ", "trong giai đoạn", "cả giai đoạn", "năm", "cho",
              "đến", "trở lên"),
    yes_no_words=("đạt chuẩn", "đạt tiêu chí", "đạt danh hiệu", "được công nhận", "công nhận",
                  "hoàn thành", "trở thành", "xây dựng xong", "đưa vào sử dụng", "hoàn thiện"),
    by_year=("đến năm", "vào năm", "đến hết năm", "trong năm", "năm", "đến"),
    period_words=("giai đoạn", "nhiệm kỳ", "thời kỳ"),
    range_joiners=(("từ", "đến"), ("từ", "-")),
    baseline_words=("so với năm", "so với cuối năm", "so với đầu nhiệm kỳ"),
    lead_words=("chủ trì", "cơ quan chủ trì", "giao"),
    result_words=("sản phẩm", "kết quả"),
    deadline_words=("thời hạn", "hoàn thành trước", "hoàn thành trong", "hoàn thành",
                    "trước ngày", "trước"),
)

EN = Lexicon(
    language="en",
    document_kinds=(
        ("action programme", "action_program"), ("action program", "action_program"),
        ("programme", "action_program"), ("program", "action_program"),
        ("resolution", "resolution"), ("plan", "plan"), ("conclusion", "conclusion"),
        ("decision", "decision"),
    ),
    number_label=("no.", "number"),
    issuer_starts=("party committee", "party organisation", "party organization",
                   "executive committee", "standing committee", "people's committee",
                   "people's council"),
    months={m: i for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1)},
    sections=(
        ("viewpoint", VIEWPOINTS), ("guiding principle", VIEWPOINTS),
        ("breakthrough", BREAKTHROUGHS), ("target", TARGETS), ("objective", TARGETS),
        ("goal", TARGETS), ("task", TASKS), ("solution", TASKS), ("programme", PROGRAMS),
        ("program", PROGRAMS), ("implementation", OTHER),
    ),
    general_objective=("general objective", "overall objective", "general goal"),
    scales={"thousand": 3, "million": 6, "billion": 9, "trillion": 12},
    currencies=("usd", "vnd", "dong", "us dollars", "dollars"),
    count_nouns=("investment projects", "projects", "project", "enterprises", "businesses",
                 "cooperatives", "works", "schools", "streets", "roads", "models", "products",
                 "parks", "cameras", "km", "hectares", "ha", "cultural houses", "markets",
                 "residential groups", "public services", "services", "apartments",
                 "party cells", "clubs", "festivals"),
    people_nouns=("workers", "people", "households", "party members", "students",
                  "members", "officials", "jobs", "visitors", "tourists"),
    growth_words=("growth", "grow"),
    per_year=("% per year", "% a year", "% annually", "%/year", "% per annum", "% each year"),
    average=("average", "on average"),
    increase=("increase", "rise", "grow"),
    keep_words=("every year", "each year", "annually", "maintain", "keep", "sustain"),
    cumulative_words=("cumulative", "in total", "total", "over the term",
                      "during the term", "over the period", "over five years", "in the term",
                      "during the period"),
    lower_words=("reduce", "below", "under", "no more than", "at most", "not exceed",
                 "lower", "cut", "fall", "decrease"),
    higher_guard=("no less than", "not below", "not lower"),
    at_least=("at least", "no less than", "more than", "over", "above", "reach", "reaching",
              "of", "to", "by", "at", "below", "under", "no more than", "at most", "around",
              "minimum", "a minimum of", "average", "an average", "on average", "achieve",
              "attain", "exceed", "exceeding", "the", "a", "and", "be", "new", "from", "with",
              "annual", "hold", "have", "up", "reaches", "reach", "is", "rate of"),
    descriptors=("years old", "stars", "star"),
    yes_no_words=("recognised", "recognized", "certified", "completed", "complete",
                  "become", "meet the standard", "meets the standard", "put into use",
                  "finished"),
    by_year=("by the end of", "by", "in", "until", "before"),
    period_words=("period", "term", "from"),
    range_joiners=(("between", "and"), ("from", "to")),
    baseline_words=("compared with", "compared to", "against", "than in", "from the"),
    lead_words=("lead:", "led by", "in charge:", "lead unit:"),
    result_words=("result:", "output:", "product:"),
    deadline_words=("deadline:", "due", "by", "complete by", "completed by"),
)

AR = Lexicon(
    language="ar",
    document_kinds=(
        ("برنامج عمل", "action_program"), ("البرنامج", "action_program"),
        ("برنامج", "action_program"), ("قرار", "resolution"), ("خطة", "plan"),
        ("استنتاج", "conclusion"), ("خلاصة", "conclusion"),
    ),
    number_label=("رقم:", "رقم", "العدد:"),
    issuer_starts=("لجنة الحزب", "اللجنة التنفيذية", "اللجنة الدائمة", "اللجنة الشعبية",
                   "المجلس الشعبي", "منظمة الحزب"),
    months={m: i for i, m in enumerate(
        ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر",
         "أكتوبر", "نوفمبر", "ديسمبر"), start=1)},
    sections=(
        ("وجهات النظر", VIEWPOINTS), ("وجهات نظر", VIEWPOINTS), ("المنطلقات", VIEWPOINTS),
        ("الاختراقات", BREAKTHROUGHS), ("اختراقات", BREAKTHROUGHS),
        ("الإنجازات", BREAKTHROUGHS), ("المؤشرات", TARGETS), ("الأهداف", TARGETS),
        ("المهام", TASKS), ("الحلول", TASKS), ("البرامج", PROGRAMS),
        ("تنظيم التنفيذ", OTHER),
    ),
    general_objective=("الهدف العام", "الأهداف العامة"),
    scales={"ألف": 3, "آلاف": 3, "مليون": 6, "ملايين": 6, "مليار": 9, "مليارات": 9},
    currencies=("دولار أمريكي", "دولار", "دونغ"),
    count_nouns=("مشاريع استثمارية", "مشروعًا استثماريًا", "مشروعا", "مشروعًا", "مشاريع",
                 "مشروع", "مؤسسات", "شركات", "شركة", "تعاونيات", "مدارس", "شوارع", "طرق",
                 "نماذج", "منتجات", "حدائق", "كاميرات", "كم", "هكتار", "أسواق", "مراكز",
                 "دار ثقافة", "منشآت", "خدمات"),
    people_nouns=("عامل", "عمال", "شخص", "أشخاص", "أسرة", "أسر", "عضو", "أعضاء",
                  "طالب", "فرصة عمل", "فرص عمل", "زائر"),
    growth_words=("نمو", "النمو"),
    per_year=("% سنويًا", "% سنوياً", "% سنويا", "% في السنة", "% في العام", "%/سنة",
              "% كل عام"),
    average=("متوسط", "بمتوسط", "المتوسط"),
    increase=("زيادة", "يزيد", "تزيد", "ارتفاع"),
    keep_words=("كل عام", "سنويًا", "سنوياً", "كل سنة", "الحفاظ", "المحافظة", "الإبقاء"),
    cumulative_words=("إجمالي", "الإجمالي", "مجموع", "تراكمي", "خلال الولاية",
                      "خلال الفترة", "طوال الفترة", "على مدى الولاية"),
    lower_words=("خفض", "تخفيض", "أقل من", "لا يتجاوز", "لا تتجاوز", "انخفاض", "تقليص",
                 "إلى ما دون", "دون"),
    higher_guard=("لا يقل", "لا تقل"),
    at_least=("على الأقل", "لا يقل عن", "لا تقل عن", "أكثر من", "يتجاوز", "تتجاوز", "تبلغ",
              "يبلغ", "بلوغ", "إلى", "أقل من", "لا يتجاوز", "لا تتجاوز", "نحو", "حوالي",
              "بنسبة", "بمتوسط", "متوسط", "ما لا يقل عن", "وصول", "و", "ب", "من",
              "يتراوح بين", "بين", "عند"),
    descriptors=("سنوات", "نجوم"),
    yes_no_words=("الاعتراف", "معترف", "استكمال", "إنجاز", "يصبح", "تصبح", "استيفاء",
                  "المعايير", "تشغيل"),
    by_year=("بحلول عام", "بحلول", "في عام", "عام", "حتى عام"),
    period_words=("الفترة", "للفترة", "الولاية", "فترة"),
    range_joiners=(("بين", "و"), ("من", "إلى")),
    baseline_words=("مقارنة بعام", "مقارنة بـ", "قياسًا بعام"),
    lead_words=("الجهة المسؤولة:", "تتولى", "يتولى", "الجهة الرئيسية:"),
    result_words=("النتيجة:", "المنتج:", "الناتج:"),
    deadline_words=("الموعد النهائي:", "المهلة:", "قبل"),
)

LEXICONS = {"vi": VI, "en": EN, "ar": AR}
