"""The printable review (/can-bo/bao-cao/ban-in/) and the Word review (?download=docx): the layout
of an official Vietnamese report, the seed scenario's figures, scope, bad input, query count."""

import datetime
import io

import docx
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone, translation
from docx.shared import Pt

from tests.factories import (
    AssignmentFactory,
    BranchFactory,
    CampaignFactory,
    MemberFactory,
    ProgramFactory,
)
from tests.portal.test_translations import english_in, visible_text
from unions.models import Branch, OfficerAssignment
from welfare import services
from welfare.models import Contribution
from welfare.report_document import place_and_date, tasks_title, title_of
from welfare.reports import review
from welfare.services import AidInput

pytestmark = pytest.mark.django_db

PRINT = "/can-bo/bao-cao/ban-in/"
REPORT = "/can-bo/bao-cao/"
H1_2020 = "preset=h1&year=2020&branch={pk}&date=20/07/2020"
MOTTO = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def plain(text):
    """Text as a reader sees it: non-breaking spaces as spaces, runs of white space as one."""
    return " ".join(text.replace("\u00a0", " ").split())


def page_text(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode().replace("<em>", "").replace("</em>", "")  # inline
    return plain(visible_text(html))


def open_docx(response):
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX_TYPE
    assert response["Cache-Control"] == "private, no-store"
    return docx.Document(io.BytesIO(response.content))


def table_rows(table):
    return [[plain(cell.text) for cell in row.cells] for row in table.rows]


def docx_text(document):
    """Every paragraph of the Word file, those inside tables (the heading, the signature) too."""
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return plain(" ".join(parts))


def docx_table(document, header):
    """The rows of the bordered table whose first row holds ``header``."""
    for table in document.tables:
        rows = table_rows(table)
        if header in rows[0]:
            return rows
    raise AssertionError(f"no table headed {header!r}")


def give(program, by, date, entries, status="paid"):
    return services.record_aid(program=program, by=by, date=date, entries=entries, status=status)


@pytest.fixture
def aid(tree, ministry_officer):
    """1,000,000 đồng to a member of A in February 2020, and a campaign of A that gave rice."""
    program = ProgramFactory(branch=tree.root, budget_vnd=None, name="Quà Tết thử nghiệm")
    give(
        program,
        ministry_officer,
        datetime.date(2020, 2, 1),
        [AidInput(member=MemberFactory(branch=tree.a, gender="female"), amount_vnd=1_000_000)],
    )
    campaign = CampaignFactory(branch=tree.a, name="Ủng hộ đồng bào vùng lũ", goal_vnd=10_000_000)
    Contribution.objects.create(
        campaign=campaign,
        direction="in",
        date=datetime.date(2020, 3, 2),
        party="Nhà hảo tâm",
        amount_vnd=5_000_000,
    )
    Contribution.objects.create(
        campaign=campaign,
        direction="out",
        date=datetime.date(2020, 3, 9),
        party="Xã Hòa Bình",
        item="Gạo",
        quantity=3_000,
        unit="kg",
        value_vnd=45_000_000,
    )
    return program


# --- The seed scenario ------------------------------------------------------------------------


@pytest.fixture
def seed(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    return Branch.objects.get(parent__isnull=True)


def test_the_seed_review_on_paper_and_in_word(client, seed):
    client.force_login(get_user_model().objects.get(username="canbo"))
    query = H1_2020.format(pk=seed.pk)
    figures = review(branch=seed, start=datetime.date(2020, 1, 1), end=datetime.date(2020, 6, 30))
    (campaign,) = figures["campaigns"]
    raised = campaign["raised_vnd"]
    assert 390_000_000 <= raised < 400_000_000
    raised_text = f"{raised:,}".replace(",", ".")
    chair = (
        OfficerAssignment.objects.active_on(datetime.date(2020, 7, 20))
        .get(branch=seed, position="chair")
        .member.full_name
    )
    expected = [
        *MOTTO,
        seed.name.upper(),
        "Hà Nội, ngày 20 tháng 7 năm 2020",
        "BÁO CÁO SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2020",
        "(Từ ngày 01/01/2020 đến ngày 30/06/2020)",
        "I. TÌNH HÌNH ĐOÀN VIÊN",
        "II. CÔNG TÁC CHĂM LO, HỖ TRỢ ĐOÀN VIÊN",
        "III. CUỘC VẬN ĐỘNG QUYÊN GÓP",
        "IV. ĐỀ NGHỊ HỖ TRỢ CỦA ĐOÀN VIÊN",
        "V. SO SÁNH VỚI KỲ TRƯỚC",
        "VII. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2020",
        "Quà Tết: 144 lượt, 144 đoàn viên được hỗ trợ, số tiền 144.000.000 đồng "
        "(Bằng chữ: Một trăm bốn mươi bốn triệu đồng).",
        "Hoàn cảnh khó khăn: 25 lượt, 25 đoàn viên được hỗ trợ, số tiền 50.000.000 đồng "
        "(Bằng chữ: Năm mươi triệu đồng).",
        "19 đoàn viên được hỗ trợ, số tiền 38.000.000 đồng (Bằng chữ: Ba mươi tám triệu đồng)",
        "11.200 chiếc khẩu trang vải kháng khuẩn",
        "2.500 chiếc khẩu trang y tế",
        f"với tổng giá trị {raised_text} đồng",
        "Cây ATM gạo quận Cầu Giấy: 2.000 kg (2 tấn) gạo trị giá 30.000.000 đồng.",
        "Trên đây là báo cáo sơ kết công tác 6 tháng đầu năm 2020 của Ban Chấp hành",
        "Nơi nhận:",
        "TM. BAN CHẤP HÀNH",
        "CHỦ TỊCH",
        chair,
    ]
    page = client.get(f"{PRINT}?{query}")
    text = page_text(page)
    html = page.content.decode()
    for phrase in expected:
        assert phrase in text, phrase
    assert "css/report_print.css" in html and "js/report-print.js" in html
    assert "<script>" not in html  # no inline script
    assert "date=20%2F07%2F2020&amp;download=docx" in html  # the Word link keeps the query

    word = open_docx(client.get(f"{PRINT}?{query}&download=docx"))
    text = docx_text(word)
    for phrase in expected:
        assert phrase in text, phrase
    kinds = docx_table(word, "Loại hỗ trợ")
    assert ["1", "Quà Tết", "144", "144", "144.000.000", "0"] in kinds
    assert ["2", "Hoàn cảnh khó khăn", "25", "25", "50.000.000", "0"] in kinds
    assert kinds[-1][1:5] == ["Tổng cộng", "213", "188", "232.000.000"]
    goods = docx_table(word, "Hiện vật")
    assert ["1", "Khẩu trang vải kháng khuẩn", "chiếc", "11.200", "112.000.000"] in goods
    assert ["2", "Khẩu trang y tế", "chiếc", "2.500", "12.500.000"] in goods
    campaigns = docx_table(word, "Cuộc vận động")
    assert campaigns[1][3] == raised_text
    gifts = docx_table(word, "Đơn vị, cá nhân nhận")
    assert gifts[-1][3:] == ["2.000 kg (2 tấn) gạo", "30.000.000"]

    # The same Word file from the review page's own download link.
    again = open_docx(client.get(f"{REPORT}?{query}&download=docx"))
    assert [p.text for p in again.paragraphs] == [p.text for p in word.paragraphs]


# --- Layout of the Word file ------------------------------------------------------------------


def test_the_word_file_is_an_a4_administrative_document(client, officer_a, tree, aid):
    client.force_login(officer_a)
    response = client.get(f"{PRINT}?{H1_2020.format(pk=tree.a.pk)}&download=docx")
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-cdcs-a-2020-01-01-2020-06-30.docx"'
    )
    word = open_docx(response)
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(margin.mm) for margin in margins] == [20, 20, 30, 15]
    normal = word.styles["Normal"]
    assert (normal.font.name, normal.font.size) == ("Times New Roman", Pt(14))
    heading = table_rows(word.tables[0])
    # The issuing union under its superior on the left, the motto on the right.
    assert heading[0][0] == "CÔNG ĐOÀN BỘ NỘI VỤ CÔNG ĐOÀN VĂN PHÒNG BỘ"
    assert heading[0][1] == " ".join(MOTTO)
    assert heading[1] == ["Số: ……/BC-CĐVPB", "Hà Nội, ngày 20 tháng 7 năm 2020"]
    title = next(p for p in word.paragraphs if p.text.startswith("BÁO CÁO"))
    assert title.text == "BÁO CÁO SƠ KẾT CÔNG TÁC 6 THÁNG ĐẦU NĂM 2020"
    assert title.alignment == 1 and all(run.bold for run in title.runs)  # centred, bold
    text = docx_text(word)
    assert (
        "số tiền 1.000.000 đồng (Bằng chữ: Một triệu đồng)" in text
        and "3.000 kg (3 tấn) gạo trị giá 45.000.000 đồng" in text
        and "đạt 50,0% so với mục tiêu 10.000.000 đồng" in text
    )
    # The officers' part to write before signing, and who signs.
    assert "[Ban Chấp hành bổ sung tại đây" in text
    signature = table_rows(word.tables[-1])[0]
    assert signature[0].startswith("Nơi nhận: - Công đoàn Bộ Nội vụ (để báo cáo);")
    assert signature[1].startswith("TM. BAN CHẤP HÀNH CHỦ TỊCH")
    chair = OfficerAssignment.objects.get(branch=tree.a, position="chair").member.full_name
    assert signature[1].endswith(chair)
    # Every table has a header row repeated on each page and borders.
    members = docx_table(word, "Chỉ tiêu")
    assert members[1][1:] == ["Đoàn viên đang sinh hoạt đến ngày 30/06/2020", "2", "100,0"]
    assert all(t.style.name == "Table Grid" for t in word.tables[1:-1])


def test_the_page_and_the_word_file_say_the_same(client, officer_a, tree, aid):
    client.force_login(officer_a)
    query = H1_2020.format(pk=tree.a.pk)
    page = page_text(client.get(f"{PRINT}?{query}"))
    word = open_docx(client.get(f"{PRINT}?{query}&download=docx"))
    body = [plain(p.text) for p in word.paragraphs if p.text.strip()]
    assert len(body) > 20
    for paragraph in body:
        assert paragraph in page, paragraph


# --- Who may see it ---------------------------------------------------------------------------


def test_a_sibling_officer_gets_no_data(client, officer_b, tree, aid):
    client.force_login(officer_b)
    query = H1_2020.format(pk=tree.a.pk)
    for url in (f"{PRINT}?{query}", f"{PRINT}?{query}&download=docx"):
        response = client.get(url)
        assert response.status_code == 404
        assert "1.000.000" not in response.content.decode()
    response = client.get(f"{REPORT}?{query}&download=docx")  # the form refuses the choice
    assert response["Content-Type"].startswith("text/html")
    assert "1.000.000" not in response.content.decode()
    # Their own union's review works.
    assert "CÔNG ĐOÀN VỤ TỔ CHỨC CÁN BỘ" in page_text(
        client.get(f"{PRINT}?{H1_2020.format(pk=tree.b.pk)}")
    )


def test_anonymous_people_sign_in_and_members_get_404(client, member, outsider, tree, aid):
    url = f"{PRINT}?{H1_2020.format(pk=tree.a.pk)}"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")
    response = client.get(url + "&download=docx")
    assert response.status_code == 302
    for person in (member, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404
        assert client.get(url + "&download=docx").status_code == 404


def test_the_printable_review_shows_no_english(client, officer_a, tree, aid, settings):
    settings.LANGUAGE_CODE = "vi"
    client.force_login(officer_a)
    for query in (H1_2020.format(pk=tree.a.pk), "preset=h1&year=abc"):
        response = client.get(f"{PRINT}?{query}")
        assert english_in(visible_text(response.content.decode())) == [], query


# --- Periods, titles and bad input ------------------------------------------------------------


def test_an_empty_period_shows_zeros(client, officer_a, tree, aid):
    client.force_login(officer_a)
    query = f"preset=custom&year=2021&start=01/08/2021&end=15/08/2021&branch={tree.a.pk}"
    text = page_text(client.get(f"{PRINT}?{query}"))
    assert "BÁO CÁO CÔNG TÁC TỪ NGÀY 01/08/2021 ĐẾN NGÀY 15/08/2021" in text
    assert "Trong kỳ chưa có khoản hỗ trợ nào được duyệt hoặc chi trả." in text
    assert (  # the campaign has not ended, but nothing came in or went out
        "Cuộc vận động “Ủng hộ đồng bào vùng lũ”: trong kỳ chưa phát sinh khoản ủng hộ hoặc "
        "trao tặng nào." in text
    )
    assert "Trong kỳ không có đoàn viên nào gửi đề nghị hỗ trợ." in text
    assert "Số lượt hỗ trợ: 0, kỳ trước 0 (không thay đổi)." in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI" in text
    word = open_docx(client.get(f"{PRINT}?{query}&download=docx"))
    assert "Trong kỳ chưa có khoản hỗ trợ nào được duyệt hoặc chi trả." in docx_text(word)


def test_the_date_defaults_to_today_and_bad_input_gets_a_message(client, officer_a, tree, aid):
    client.force_login(officer_a)
    text = page_text(client.get(f"{PRINT}?preset=year&year=2020&branch={tree.a.pk}"))
    assert "BÁO CÁO TỔNG KẾT CÔNG TÁC NĂM 2020" in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2021" in text
    with translation.override("vi"):
        assert place_and_date("Hà Nội", timezone.localdate()) in text
    response = client.get(f"{PRINT}?{H1_2020.format(pk=tree.a.pk)}".replace("20/07", "31/02"))
    assert response.status_code == 400 and "Ngày ban hành văn bản" in response.content.decode()
    assert "1.000.000" not in response.content.decode()
    reversed_dates = f"preset=custom&year=2020&start=01/07/2020&end=01/01/2020&branch={tree.a.pk}"
    response = client.get(f"{PRINT}?{reversed_dates}")
    assert response.status_code == 400 and "trước" in response.content.decode()
    assert client.get(f"{PRINT}?preset=h1&year=abc&branch={tree.a.pk}").status_code == 400
    # Opened without a query: this half-year, for the top of the officer's scope.
    response = client.get(PRINT)
    assert response.status_code == 200 and "CÔNG ĐOÀN VĂN PHÒNG BỘ" in page_text(response)


@translation.override("vi")
def test_titles_and_dates_of_each_period():
    d = datetime.date
    assert title_of(d(2020, 7, 1), d(2020, 12, 31)).upper() == (
        "BÁO CÁO SƠ KẾT CÔNG TÁC 6 THÁNG CUỐI NĂM 2020"
    )
    assert title_of(d(2020, 1, 1), d(2020, 3, 31)) == "Báo cáo công tác quý I năm 2020"
    assert title_of(d(2020, 10, 1), d(2020, 12, 31)) == "Báo cáo công tác quý IV năm 2020"
    assert tasks_title(d(2020, 10, 1), d(2020, 12, 31)) == "Phương hướng, nhiệm vụ quý I năm 2021"
    assert tasks_title(d(2020, 4, 1), d(2020, 6, 30)) == "Phương hướng, nhiệm vụ quý III năm 2020"
    # Decree 30/2020/NĐ-CP: a zero before days below 10 and before months 1 and 2.
    assert place_and_date("Hà Nội", d(2020, 2, 5)) == "Hà Nội, ngày 05 tháng 02 năm 2020"
    assert place_and_date("Hà Nội", d(2020, 11, 5)) == "Hà Nội, ngày 05 tháng 11 năm 2020"


def test_the_place_comes_from_the_settings(client, officer_a, tree, aid, settings):
    settings.REVIEW_DOCUMENT_PLACE = "Đà Nẵng"
    client.force_login(officer_a)
    text = page_text(client.get(f"{PRINT}?{H1_2020.format(pk=tree.a.pk)}"))
    assert "Đà Nẵng, ngày 20 tháng 7 năm 2020" in text


# --- Speed ------------------------------------------------------------------------------------


def test_query_count_does_not_grow_with_the_data(
    client, officer_a, tree, aid, ministry_officer, django_assert_max_num_queries
):
    client.force_login(officer_a)
    url = f"{PRINT}?{H1_2020.format(pk=tree.a.pk)}"
    client.get(url)  # sessions, site settings and caches warmed
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    # Much more data: a new group with its own members, aid, a chair, gifts of the campaign.
    group = BranchFactory(code="CDCS-A-T7", name="Tổ công đoàn 7", level="group", parent=tree.a)
    people = MemberFactory.create_batch(30, branch=group)
    AssignmentFactory(member=people[0], branch=group)
    give(
        aid,
        ministry_officer,
        datetime.date(2020, 4, 1),
        [
            AidInput(member=m, amount_vnd=500_000, item="Gạo", quantity=10, unit="kg")
            for m in people
        ],
    )
    campaign = CampaignFactory(branch=group)
    for index in range(5):
        Contribution.objects.create(
            campaign=campaign,
            direction="out",
            date=datetime.date(2020, 4, 2),
            party=f"Nơi nhận {index}",
            amount_vnd=1_000_000,
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        text = page_text(client.get(url))
    assert "Tổ công đoàn 7" in text and "Nơi nhận 4" in text
