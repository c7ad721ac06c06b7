"""Journey 2: a member asks for support with a document; the officer of their grassroots union
approves it; the member sees the decision; an officer of another union cannot find it; the
half-year review counts it."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import files
from tests.browser.conftest import field, login
from tests.factories import ProgramFactory

DESCRIPTION = "Tôi nằm viện 5 ngày vì sốt xuất huyết, xin công đoàn thăm hỏi."


def half_year_of(day):
    """The review preset (and its label) of the half-year holding ``day``."""
    return ("h1", "6 tháng đầu năm") if day.month <= 6 else ("h2", "6 tháng cuối năm")


def file_request(page, tmp_path, *, today):
    page.goto("/doan-vien/")
    page.get_by_role("link", name="Gửi đề nghị hỗ trợ tới công đoàn").click()
    expect(page).to_have_url(re.compile(r"/doan-vien/de-nghi-ho-tro/moi/$"))
    form = page.get_by_role("main").locator("form[enctype='multipart/form-data']")
    form.get_by_label("Loại hỗ trợ").select_option(label="Ốm đau")
    form.get_by_label("Ngày xảy ra").fill(today.strftime("%d/%m/%Y"))
    form.get_by_label("Nội dung sự việc").fill(DESCRIPTION)
    form.get_by_label("Số tiền đề nghị").fill("1.000.000")
    form.get_by_label("Tài liệu đính kèm").set_input_files(files.pdf(tmp_path / "giay-ra-vien.pdf"))
    form.get_by_label(re.compile("Tôi đồng ý")).check()
    form.get_by_role("button", name="Gửi đề nghị").click()


def test_member_request_approved_by_their_officer(
    browsing, tree, member, officer_a, officer_b, tmp_path
):
    today = timezone.localdate()
    program = ProgramFactory(
        code="OMDAU",
        name="Thăm hỏi ốm đau",
        kind="sickness",
        branch=tree.a,
        starts_on=datetime.date(today.year, 1, 1),
        ends_on=datetime.date(today.year, 12, 31),
        budget_vnd=50_000_000,
        default_amount_vnd=500_000,
    )

    # The member files the request with a hospital certificate.
    home = browsing.page()
    login(home, member.username)
    expect(home).to_have_url(re.compile(r"/doan-vien/$"))
    file_request(home, tmp_path, today=today)
    main = home.get_by_role("main")
    expect(home.get_by_role("alert").or_(home.get_by_role("status")).first).to_contain_text(
        "Đề nghị của bạn đã được gửi"
    )
    expect(main.get_by_role("heading", level=1)).to_have_text("Ốm đau")
    expect(main).to_contain_text("Đã gửi")
    expect(main).to_contain_text("1.000.000 ₫")
    expect(main.get_by_role("link", name=re.compile("giay-ra-vien"))).to_be_visible()
    request_url = home.url

    # The officer of the member's grassroots union reviews and approves it.
    office = browsing.page()
    login(office, officer_a.username)
    office.get_by_role("navigation", name=re.compile("cán bộ", re.I)).get_by_role(
        "link", name="Đề nghị hỗ trợ"
    ).click()
    row = office.get_by_role("row").filter(has_text="Trần Thị Bình")
    expect(row).to_contain_text("Ốm đau")
    expect(row).to_contain_text("1.000.000 ₫")
    row.get_by_role("link").first.click()
    review = office.get_by_role("main")
    expect(review.get_by_role("heading", level=1)).to_contain_text("Trần Thị Bình")
    expect(review).to_contain_text(DESCRIPTION)
    with office.expect_download() as download:
        review.get_by_role("link", name=re.compile("giay-ra-vien")).click()
    assert download.value.suggested_filename == "giay-ra-vien.pdf"
    review.get_by_role("button", name="Bắt đầu xem xét").click()
    expect(review.get_by_text("Đang xem xét").first).to_be_visible()
    approve = review.locator("form").filter(
        has=office.get_by_role("button", name="Duyệt và ghi nhận khoản hỗ trợ")
    )
    expect(approve.get_by_label("Chương trình hỗ trợ")).to_have_value(str(program.pk))
    approve.get_by_label("Số tiền được hỗ trợ").fill("1.000.000")
    approve.get_by_role("button", name="Duyệt và ghi nhận khoản hỗ trợ").click()
    expect(office.get_by_text("Đã duyệt đề nghị và ghi nhận khoản hỗ trợ.")).to_be_visible()
    decision = review.locator("section").filter(
        has=office.get_by_role("heading", name="Kết quả xét duyệt")
    )
    expect(decision).to_contain_text("Thăm hỏi ốm đau")
    expect(decision).to_contain_text("1.000.000 ₫")

    # The member sees the decision and the amount.
    home.goto("/doan-vien/de-nghi-ho-tro/")
    mine = home.get_by_role("row").filter(has_text="Ốm đau")
    expect(mine).to_contain_text("Đã duyệt")
    home.goto(request_url)
    main = home.get_by_role("main")
    expect(main).to_contain_text("Đã duyệt")
    expect(main).to_contain_text("Đề nghị của bạn đã được duyệt: công đoàn hỗ trợ bạn 1.000.000 ₫.")

    # An officer of another grassroots union finds nothing of it.
    other = browsing.page()
    login(other, officer_b.username)
    other.goto("/can-bo/de-nghi/")
    other.get_by_label("Trạng thái").select_option(label="Tất cả")
    other.get_by_role("button", name="Lọc").click()
    expect(other).to_have_url(re.compile(r"status=all"))
    expect(other.get_by_role("main")).to_contain_text("0 đề nghị")
    expect(other.get_by_role("main")).not_to_contain_text("Trần Thị Bình")
    other.goto("/can-bo/doan-vien/")
    other.get_by_text("Tìm kiếm và lọc").click()
    search = other.get_by_role("main").get_by_label("Họ tên hoặc số thẻ")
    search.fill("Tran Thi Binh")
    search.press("Enter")
    expect(other).to_have_url(re.compile(r"q=Tran"))
    expect(other.get_by_role("main").get_by_role("status")).to_have_text("0 đoàn viên")
    expect(other.get_by_role("main")).not_to_contain_text("Trần Thị Bình")
    assert other.goto(office.url).status == 404

    # The half-year review of the member's union counts the request and the aid granted.
    preset, label = half_year_of(today)
    office.goto("/can-bo/bao-cao/")
    office.get_by_label("Thời gian").select_option(label=label)
    field(office, "Năm").fill(str(today.year))
    office.get_by_label("Công đoàn (và các công đoàn trực thuộc)").select_option(
        value=str(tree.a.pk)
    )
    office.get_by_role("button", name="Xem báo cáo").click()
    expect(office).to_have_url(re.compile(rf"preset={preset}"))
    requests_table = office.get_by_role("table").filter(
        has=office.locator("caption", has_text="Đề nghị hỗ trợ")
    )
    for label in ("Đã gửi", "Đã duyệt"):
        header = office.get_by_role("rowheader", name=label, exact=True)
        row = requests_table.get_by_role("row").filter(has=header)
        expect(row.get_by_role("cell").first).to_have_text("1")
    by_kind = office.get_by_role("table").filter(
        has=office.locator("caption", has_text="Hỗ trợ theo loại")
    )
    sickness = by_kind.get_by_role("row").filter(has_text="Ốm đau")
    expect(sickness).to_contain_text("1.000.000 ₫")
