"""Journey 5: on a phone (375 × 812, touch) the pages fit the screen, the navigation folds into a
menu that opens with a tap, and a member can fill in and send a support request."""

import contextlib
import re

from django.utils import timezone
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, field, login
from tests.factories import PostFactory

TITLE = "Công đoàn tổ chức hội thao chào mừng Ngày Quốc tế Lao động"
LONG_WORD = "Chươngtrìnhchămlođoànviênnămhaimươihaimươisáu" * 2


def assert_no_horizontal_scroll(page):
    # Measure the laid-out page: wait for the stylesheets and fonts, then give the layout up to
    # a few seconds to settle (a loaded machine may paint in steps); a page that really overflows
    # still fails below.
    page.wait_for_load_state("load")
    page.evaluate("document.fonts.ready.then(() => true)")
    with contextlib.suppress(PlaywrightTimeoutError):
        page.wait_for_function(
            f"document.documentElement.scrollWidth <= {PHONE['width']}", timeout=5000
        )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (
        f"{page.url} scrolls sideways on a phone: the page is {width}px wide for a "
        f"{PHONE['width']}px screen; widest elements: {widest(page)}"
    )


def widest(page):
    """The elements that stick out to the right, to say what to fix."""
    return page.evaluate(
        """limit => [...document.querySelectorAll('body *')]
            .filter(el => el.getBoundingClientRect().right > limit + 1)
            .slice(0, 5)
            .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                 (el.className && typeof el.className === 'string'
                    ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                 ' (' + Math.round(el.getBoundingClientRect().right) + 'px)')""",
        PHONE["width"],
    )


def test_public_pages_fit_a_phone_and_the_menu_opens_with_a_tap(browsing, db):
    post = PostFactory(
        title=TITLE,
        body=f"<p>Đoàn viên tham gia đông đủ. {LONG_WORD}</p>"
        "<table><tr><th>Môn thi</th><th>Đội</th><th>Giải</th></tr>"
        "<tr><td>Bóng chuyền hơi</td><td>Văn phòng Bộ</td><td>Nhất</td></tr></table>",
    )
    page = browsing.phone_page()

    page.goto("/")
    assert_no_horizontal_scroll(page)
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    news_link = nav.get_by_role("link", name="Tin tức")
    expect(news_link).to_be_hidden()
    menu = page.get_by_role("button", name="Mở trình đơn")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.tap()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(news_link).to_be_visible()
    news_link.tap()
    expect(page).to_have_url(re.compile(r"/tin-tuc/$"))
    assert_no_horizontal_scroll(page)

    page.get_by_role("link", name=TITLE).first.tap()
    expect(page).to_have_url(re.compile(rf"/tin-tuc/{post.slug}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert_no_horizontal_scroll(page)

    page.goto("/tim-kiem/?q=hoi+thao")
    expect(page.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    assert_no_horizontal_scroll(page)
    page.goto("/tim-kiem/?q=khong+co+ket+qua+nao")
    assert_no_horizontal_scroll(page)


def test_member_sends_a_request_from_a_phone(browsing, member):
    page = browsing.phone_page()
    login(page, member.username)
    page.goto("/doan-vien/de-nghi-ho-tro/moi/")
    assert_no_horizontal_scroll(page)
    form = page.get_by_role("main").locator("form[enctype='multipart/form-data']")
    field(form, "Loại hỗ trợ").select_option(label="Hiếu")
    field(form, "Ngày xảy ra").tap()
    field(form, "Ngày xảy ra").fill(timezone.localdate().strftime("%d/%m/%Y"))
    field(form, "Nội dung sự việc").fill("Bố tôi mất ngày hôm qua, xin công đoàn thăm viếng.")
    form.get_by_label(re.compile("Tôi đồng ý")).tap()
    expect(form.get_by_label(re.compile("Tôi đồng ý"))).to_be_checked()
    assert_no_horizontal_scroll(page)
    form.get_by_role("button", name="Gửi đề nghị").tap()
    expect(page.get_by_text("Đề nghị của bạn đã được gửi")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hiếu")
    assert_no_horizontal_scroll(page)
