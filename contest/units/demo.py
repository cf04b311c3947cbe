"""The demo's organisation tree: a province's party committee (after seed 003) and a school.

Illustrative only: codes and headcounts are made up for the demo.
"""

# (code, name, parent_code, kind, headcount), parents first.
DEMO_UNITS = [
    ("HG", "Tỉnh ủy Hậu Giang", None, "Tỉnh ủy", None),
    ("HG-NB", "Thành ủy Ngã Bảy", "HG", "Thành ủy", None),
    ("HG-NB-LH", "Đảng bộ phường Lái Hiếu", "HG-NB", "Đảng bộ phường", None),
    ("HG-NB-LH-01", "Chi bộ khu vực 1", "HG-NB-LH", "Chi bộ", 42),
    ("HG-NB-LH-02", "Chi bộ khu vực 2", "HG-NB-LH", "Chi bộ", 37),
    ("HG-NB-NB", "Đảng bộ phường Ngã Bảy", "HG-NB", "Đảng bộ phường", None),
    ("HG-NB-NB-01", "Chi bộ khu vực 3", "HG-NB-NB", "Chi bộ", 51),
    ("HG-NB-NB-02", "Chi bộ khu vực 4", "HG-NB-NB", "Chi bộ", 29),
    ("HG-NB-HT", "Đảng bộ phường Hiệp Thành", "HG-NB", "Đảng bộ phường", 88),
    ("HG-CT", "Huyện ủy Châu Thành", "HG", "Huyện ủy", None),
    ("HG-CT-NS", "Đảng bộ thị trấn Ngã Sáu", "HG-CT", "Đảng bộ thị trấn", None),
    ("HG-CT-NS-01", "Chi bộ ấp 1", "HG-CT-NS", "Chi bộ", 33),
    ("HG-CT-NS-02", "Chi bộ ấp 2", "HG-CT-NS", "Chi bộ", 27),
    ("HG-CT-NS-CQ", "Chi bộ cơ quan thị trấn", "HG-CT-NS", "Chi bộ", 24),
    ("HG-CT-MD", "Đảng bộ thị trấn Mái Dầm", "HG-CT", "Đảng bộ thị trấn", 96),
    ("HG-VT", "Thành ủy Vị Thanh", "HG", "Thành ủy", None),
    ("HG-VT-P1", "Đảng bộ phường I", "HG-VT", "Đảng bộ phường", 120),
    ("HG-VT-P3", "Đảng bộ phường III", "HG-VT", "Đảng bộ phường", 104),
    ("HG-VT-P5", "Đảng bộ phường V", "HG-VT", "Đảng bộ phường", 97),
    ("HG-KCQ", "Đảng ủy Khối Các cơ quan và Doanh nghiệp tỉnh", "HG", "Đảng ủy khối", None),
    ("HG-KCQ-GD", "Đảng bộ Sở Giáo dục và Đào tạo", "HG-KCQ", "Đảng bộ cơ sở", 146),
    ("HG-KCQ-YT", "Đảng bộ Sở Y tế", "HG-KCQ", "Đảng bộ cơ sở", 212),
    ("HG-KCQ-BAO", "Chi bộ Báo Hậu Giang", "HG-KCQ", "Chi bộ", 31),
    ("HG-KCQ-DAI", "Chi bộ Đài Phát thanh và Truyền hình tỉnh", "HG-KCQ", "Chi bộ", 45),
    ("TCT", "Trường Chính trị tỉnh Hậu Giang", None, "Trường", None),
    ("TCT-LL", "Khoa Lý luận cơ sở", "TCT", "Khoa", 12),
    ("TCT-LL-A1", "Lớp Trung cấp lý luận chính trị A1", "TCT-LL", "Lớp", 58),
    ("TCT-LL-A2", "Lớp Trung cấp lý luận chính trị A2", "TCT-LL", "Lớp", 61),
    ("TCT-XD", "Khoa Xây dựng Đảng", "TCT", "Khoa", 9),
    ("TCT-XD-B1", "Lớp Bồi dưỡng kết nạp đảng viên mới B1", "TCT-XD", "Lớp", 74),
]
