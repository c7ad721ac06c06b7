"""Journey 4: an officer imports a members file with one bad row, sees that row's error, fixes
the file and imports it; the new members are in the list."""

import csv
import re

from playwright.sync_api import expect

from tests.browser.conftest import field, login
from unions.models import Member

HEADER = ["Số thẻ đoàn viên", "Họ và tên", "Giới tính", "Ngày sinh", "Mã công đoàn", "Đối tượng"]
ROWS = [
    ["CD-0101", "Nguyễn Thị Lan", "Nữ", "12/04/1988", "CDCS-A", "Cán bộ, công chức"],
    ["CD-0102", "Trịnh Văn Tùng", "Nam", "31/02/1990", "CDCS-A-T1", "Viên chức"],
    ["CD-0103", "Bùi Thu Hà", "Nữ", "05/11/1995", "CDCS-A-T1", "Người lao động"],
]
NAMES = [row[1] for row in ROWS]


def write_csv(path, rows):
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def upload(page, path):
    page.goto("/can-bo/nhap-du-lieu/")
    page.get_by_role("radio", name="Danh sách đoàn viên").check()
    field(page, "Tệp").set_input_files(path)
    page.get_by_role("button", name="Kiểm tra tệp").click()


def test_officer_fixes_a_bad_row_and_imports_members(browsing, tree, officer_a, tmp_path):
    page = browsing.page()
    login(page, officer_a.username)

    # The file's third member has a date that does not exist: row 3 (the header is row 1).
    upload(page, write_csv(tmp_path / "doan-vien.csv", ROWS))
    expect(page.get_by_role("alert")).to_contain_text("1 lỗi")
    errors = page.get_by_role("table").filter(
        has=page.locator("caption", has_text="Lỗi theo dòng và cột của tệp")
    )
    expect(errors.locator("tbody tr")).to_have_count(1)
    cells = errors.locator("tbody tr td")
    expect(cells.nth(0)).to_have_text("3")
    expect(cells.nth(1)).to_have_text("Ngày sinh")
    expect(cells.nth(2)).to_have_text("31/02/1990 không phải là ngày có thật.")
    assert not Member.objects.filter(card_number__startswith="CD01").exists()

    # Fixed, the file checks clean and imports the three members.
    page.get_by_role("link", name="Tải lên tệp đã sửa").click()
    fixed = [row[:] for row in ROWS]
    fixed[1][3] = "28/02/1990"
    upload(page, write_csv(tmp_path / "doan-vien-da-sua.csv", fixed))
    expect(page.locator("[data-count=created]")).to_have_text("3")
    expect(page.locator("[data-count=errors]")).to_have_text("0")
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_role("status")).to_contain_text("doan-vien-da-sua.csv")
    expect(page.locator("[data-count=created]")).to_have_text("3")

    page.get_by_role("link", name="Xem danh sách đoàn viên").click()
    expect(page).to_have_url(re.compile(r"/can-bo/doan-vien/$"))
    listing = page.get_by_role("main").get_by_role("table")
    for name in NAMES:
        expect(listing.get_by_role("row").filter(has_text=name)).to_be_visible()
    expect(listing.get_by_role("row").filter(has_text="Trịnh Văn Tùng")).to_contain_text("CD0102")
