"""Question spreadsheets: the example questions a template shows, one of each type."""

from __future__ import annotations

from questions.formats.base import QuestionRecord

_SOURCE = "Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị"


def _example(
    content: dict, level: str, points: int, seconds: int, tags: list[str]
) -> QuestionRecord:
    return QuestionRecord(
        content=content,
        level=level,
        points=points,
        time_limit_s=seconds,
        tags=tags,
        source_document=_SOURCE,
    )


def examples() -> list[QuestionRecord]:
    """One question of each type, as a template shows them (facts from the sample bank)."""
    return [
        _example(
            {
                "type": "single",
                "stem": "Chỉ thị số 05-CT/TW của Bộ Chính trị được ban hành ngày nào?",
                "explanation": "Chỉ thị số 05-CT/TW được Bộ Chính trị khóa XII ban hành ngày "
                "15/5/2016.",
                "options": [
                    {"text": "18/5/2021"},
                    {"text": "15/5/2016", "correct": True},
                    {"text": "07/11/2006"},
                    {"text": "14/5/2011"},
                ],
            },
            "recall",
            10,
            30,
            ["mốc thời gian"],
        ),
        _example(
            {
                "type": "multiple",
                "stem": "Những cụm từ nào có trong tên chuyên đề toàn khóa 2021–2025? "
                "(chọn tất cả ý đúng)",
                "explanation": "Tên chuyên đề toàn khóa gồm “ý chí tự lực, tự cường” và “khát "
                "vọng phát triển đất nước phồn vinh, hạnh phúc”.",
                "options": [
                    {"text": "tận dụng thời kỳ vàng"},
                    {"text": "ý chí tự lực, tự cường", "correct": True},
                    {"text": "khát vọng phát triển đất nước phồn vinh, hạnh phúc", "correct": True},
                ],
                "scoring": "partial",
            },
            "understanding",
            20,
            60,
            ["chuyên đề toàn khóa"],
        ),
        _example(
            {
                "type": "true_false",
                "stem": "Đúng hay sai: Chỉ thị số 05-CT/TW do Ban Bí thư Trung ương Đảng ban hành.",
                "explanation": "Sai. Chỉ thị số 05-CT/TW do Bộ Chính trị khóa XII ban hành.",
                "answer": False,
            },
            "recall",
            10,
            20,
            ["văn bản"],
        ),
        _example(
            {
                "type": "short_text",
                "stem": "Điền số hiệu văn bản còn thiếu: Chỉ thị số …… ngày 15/5/2016 của Bộ "
                "Chính trị.",
                "explanation": "Đó là Chỉ thị số 05-CT/TW.",
                "accepted": ["05-CT/TW", "05", "Chỉ thị 05"],
                "ignore_diacritics": True,
            },
            "recall",
            10,
            30,
            ["văn bản"],
        ),
        _example(
            {
                "type": "numeric",
                "stem": "Theo bài viết “Đột phá trong học tập và làm theo Bác” (Lai Châu, "
                "06/01/2023), các cấp trong tỉnh đã ban hành bao nhiêu kế hoạch thực hiện "
                "Kết luận 01-KL/TW?",
                "explanation": "2.594 kế hoạch.",
                "value": 2594,
                "unit": "kế hoạch",
            },
            "recall",
            10,
            30,
            ["số liệu"],
        ),
        _example(
            {
                "type": "ordering",
                "stem": "Sắp xếp các văn bản sau theo thứ tự thời gian ban hành, từ sớm nhất.",
                "explanation": "06-CT/TW (2006) → 03-CT/TW (2011) → 05-CT/TW (2016) → "
                "01-KL/TW (2021).",
                "items": ["Chỉ thị 06-CT/TW", "Chỉ thị 03-CT/TW", "Chỉ thị 05-CT/TW"],
            },
            "understanding",
            20,
            60,
            ["mốc thời gian"],
        ),
        _example(
            {
                "type": "open",
                "stem": "Trình bày ý nghĩa của trách nhiệm nêu gương trong học tập và làm theo "
                "Bác, liên hệ với cơ quan, đơn vị của đội thi.",
                "guidance": "Giám khảo xem bài có nêu được:\n- vai trò nêu gương của người "
                "đứng đầu;\n- liên hệ cụ thể với đơn vị.",
            },
            "application",
            20,
            240,
            ["nêu gương"],
        ),
    ]
