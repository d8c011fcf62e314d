"""The shared list of areas starts with the areas Vietnamese plans are written in.

The migration that created the list seeds it from here; `ensure_standard_areas` seeds it again
when none of them is there (a database emptied by hand or by a test), so that no door refuses
"Kinh tế" for want of a list.
"""

from django.db import transaction

# The areas Vietnamese plans are written in, with the other names units have used for them.
# (code, Vietnamese, English, Arabic, other names)
STANDARD_AREAS = [
    ("kinh-te", "Kinh tế", "Economy", "الاقتصاد",
     ["Phát triển kinh tế", "Thu hút đầu tư", "Economic"]),
    ("van-hoa-xa-hoi", "Văn hóa – xã hội", "Culture and society", "الثقافة والمجتمع",
     ["Xã hội", "Văn hóa", "Văn hóa, xã hội", "Văn hóa và xã hội", "Society", "Social"]),
    ("quoc-phong-an-ninh", "Quốc phòng – an ninh", "Defence and security", "الدفاع والأمن",
     ["Quốc phòng", "An ninh", "Quốc phòng, an ninh", "An ninh trật tự"]),
    ("xay-dung-dang", "Xây dựng Đảng và hệ thống chính trị",
     "Party building and the political system", "بناء الحزب والنظام السياسي",
     ["Xây dựng Đảng", "Hệ thống chính trị", "Xây dựng hệ thống chính trị",
      "Công tác xây dựng Đảng"]),
    ("moi-truong", "Môi trường", "Environment", "البيئة",
     ["Tài nguyên và môi trường", "Tài nguyên – môi trường", "Bảo vệ môi trường"]),
    ("ket-cau-ha-tang", "Kết cấu hạ tầng", "Infrastructure", "البنية التحتية",
     ["Hạ tầng", "Hạ tầng đô thị", "Hạ tầng giao thông", "Đô thị"]),
    ("cai-cach-hanh-chinh", "Cải cách hành chính", "Administrative reform", "الإصلاح الإداري",
     ["Chuyển đổi số", "Xây dựng chính quyền"]),
    ("nong-nghiep-nong-thon", "Nông nghiệp – nông thôn mới", "Agriculture and new rural areas",
     "الزراعة والريف الجديد", ["Nông nghiệp", "Nông thôn mới", "Nông nghiệp, nông thôn"]),
    ("giao-duc-y-te", "Giáo dục – y tế", "Education and health", "التعليم والصحة",
     ["Giáo dục", "Y tế", "Giáo dục, y tế"]),
]


def ensure_standard_areas(area_model=None) -> None:
    """Create the standard areas when none of them is in the list (an emptied database);
    a list that holds any of them is left as its administrators made it."""
    from .models import Area

    model = area_model or Area
    if model.objects.filter(code__in=[code for code, *_rest in STANDARD_AREAS]).exists():
        return
    with transaction.atomic():
        for order, (code, name, name_en, name_ar, synonyms) in enumerate(STANDARD_AREAS, 1):
            model.objects.get_or_create(code=code, defaults={
                "name": name, "name_en": name_en, "name_ar": name_ar,
                "synonyms": "\n".join(synonyms), "order": order * 10})
