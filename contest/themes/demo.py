"""Demo themes, with titles copied character for character from the facts file and the seeds.

The titles are official wording that sample questions quote, so they are never retyped:
a test checks each against verbatim excerpts of its source (`tests/themes/sources.txt`).
"""

from __future__ import annotations

from datetime import date

from contest.themes import service
from contest.themes.models import ThemeKind

DEMO_THEMES = [
    {
        "kind": ThemeKind.DIRECTIVE,
        "short_name": "Chỉ thị 05-CT/TW",
        "title": (
            "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị về đẩy mạnh học tập và làm theo"
            " tư tưởng, đạo đức, phong cách Hồ Chí Minh"
        ),
        "organisation": "Bộ Chính trị (khóa XII)",
        "year_from": 2016,
        "document_code": "05-CT/TW",
        "issued_on": date(2016, 5, 15),
        "source": "facts.md F1",
    },
    {
        "kind": ThemeKind.CONCLUSION,
        "short_name": "Kết luận 01-KL/TW",
        "title": (
            "Kết luận số 01-KL/TW ngày 18/5/2021 của Bộ Chính trị về tiếp tục thực hiện"
            " Chỉ thị số 05-CT/TW"
        ),
        "organisation": "Bộ Chính trị (khóa XIII)",
        "year_from": 2021,
        "document_code": "01-KL/TW",
        "issued_on": date(2021, 5, 18),
        "source": "facts.md F5; seeds 002, 004",
    },
    {
        "kind": ThemeKind.WHOLE_TERM,
        "short_name": "Chuyên đề toàn khóa 2021–2025",
        "title": (
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về ý chí tự lực,"
            " tự cường và khát vọng phát triển đất nước phồn vinh, hạnh phúc"
        ),
        "organisation": "Nhiệm kỳ Đại hội XIII của Đảng",
        "year_from": 2021,
        "year_to": 2025,
        "source": "facts.md F6",
    },
    {
        "kind": ThemeKind.ANNUAL,
        "short_name": "Chuyên đề năm 2022–2023 (Hậu Giang)",
        "title": (
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về phát huy nội lực,"
            " tận dụng thời cơ, khơi dậy khát vọng xây dựng tỉnh Hậu Giang phát triển nhanh"
            " và bền vững"
        ),
        "organisation": "Tỉnh ủy Hậu Giang",
        "year_from": 2022,
        "year_to": 2023,
        "source": "seed 003",
    },
    {
        "kind": ThemeKind.ANNUAL,
        "short_name": "Chuyên đề năm 2024–2025 (Hậu Giang)",
        # The curly quotes are the province's own (seed 003, line 33).
        "title": (
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về phát huy nội lực,"
            " “tận dụng thời kỳ vàng”, hiện thực hóa khát vọng xây dựng tỉnh Hậu Giang phát"
            " triển nhanh, bền vững, toàn diện, bao trùm"
        ),
        "organisation": "Tỉnh ủy Hậu Giang",
        "year_from": 2024,
        "year_to": 2025,
        "source": "seed 003",
    },
    {
        "kind": ThemeKind.ANNUAL,
        "short_name": "Chuyên đề năm 2023 (Thanh Trì)",
        "title": (
            "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh về xây dựng đội ngũ"
            " cán bộ thật sự tiên phong, gương mẫu, có đạo đức cách mạng trong sáng, bản lĩnh"
            " chính trị vững vàng, đủ năng lực đáp ứng yêu cầu nhiệm vụ trong tình hình mới"
        ),
        "organisation": "Huyện ủy Thanh Trì (Hà Nội)",
        "year_from": 2023,
        "source": "seed 004",
    },
]


def load_demo_themes() -> int:
    """Create the demo themes that are missing (matched by organisation and title).

    Existing themes are left as they are, edits included. Returns how many were created;
    the caller commits.
    """
    created = 0
    for fields in DEMO_THEMES:
        if service.find_theme(fields["organisation"], fields["title"]) is None:
            service.create_theme(**fields)
            created += 1
    return created
