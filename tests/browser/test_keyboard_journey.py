"""Journey 6: with the keyboard only (no mouse, no tap), a member signs in and files a support
request, and wherever the focus lands it can be seen."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from welfare.models import SupportRequest

MAX_STOPS = 60

# What the focused element looks like, and how a person would name it.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  const box = el.getBoundingClientRect();
  const label = el.labels && el.labels.length ? el.labels[0].innerText : '';
  return {
    tag: el.tagName.toLowerCase(),
    type: el.type || '',
    id: el.id || '',
    name: (el.getAttribute('aria-label') || label || el.innerText || el.value || '')
      .replace(/\\s+/g, ' ').trim().slice(0, 80),
    outline: outline ? `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}` : '',
    shadow: shadow ? style.boxShadow : '',
    visible: box.width > 0 && box.height > 0,
    inMain: !!el.closest('main'),
  };
}"""


def focused(page):
    """The focused element's description; fails if the focus cannot be seen."""
    state = page.evaluate(FOCUS_STATE)
    assert state is not None, f"{page.url}: the focus went nowhere (document.body)"
    where = f"{page.url}: the focused {state['tag']} '{state['name'] or state['id']}'"
    assert state["visible"], f"{where} has no size on screen"
    assert state["outline"] or state["shadow"], f"{where} shows no focus outline or shadow"
    return state


def tab_to(page, matches, *, backwards=False, limit=MAX_STOPS):
    """Press Tab (or Shift+Tab) until the focused element matches, checking at every stop that
    the focus is visible; returns the element's description."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        state = focused(page)
        seen.append(state["name"] or state["id"])
        if matches(state):
            return state
    raise AssertionError(f"{page.url}: never reached the element after {limit} stops: {seen}")


def by_id(element_id):
    return lambda state: state["id"] == element_id


def by_name(pattern):
    return lambda state: re.search(pattern, state["name"], re.IGNORECASE) is not None


def test_member_signs_in_and_files_a_request_with_the_keyboard(browsing, member, password):
    page = browsing.page()
    page.goto("/tai-khoan/dang-nhap/")

    # The username field has the focus when the page opens.
    assert focused(page)["id"] == "id_username"
    page.keyboard.type(member.username)
    tab_to(page, by_id("id_password"))
    page.keyboard.type(password)
    tab_to(page, by_name("^Đăng nhập$"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/doan-vien/$"))

    # In the member area the first Tab lands on the skip link, which leads into the content.
    page.keyboard.press("Tab")
    assert focused(page)["name"] == "Chuyển đến nội dung chính"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/doan-vien/#main$"))
    page.keyboard.press("Tab")
    assert focused(page)["inMain"], "after the skip link, Tab does not continue in the content"
    tab_to(page, by_name("^Gửi đề nghị hỗ trợ tới công đoàn$"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/doan-vien/de-nghi-ho-tro/moi/$"))

    tab_to(page, by_id("id_kind"))
    for _ in range(12):
        if page.locator("#id_kind option:checked").inner_text() == "Ốm đau":
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#id_kind")).to_have_value("sickness")
    tab_to(page, by_id("id_happened_on"))
    page.keyboard.type(timezone.localdate().strftime("%d/%m/%Y"))
    tab_to(page, by_id("id_description"))
    page.keyboard.type("Tôi phải mổ ruột thừa, nằm viện một tuần.")
    tab_to(page, by_id("id_amount_requested_vnd"))
    page.keyboard.type("2.000.000")
    # Back and forth: Shift+Tab returns to the description, Tab comes back.
    tab_to(page, by_id("id_description"), backwards=True)
    tab_to(page, by_id("id_amount_requested_vnd"))
    tab_to(page, by_id("id_consent"))
    page.keyboard.press("Space")
    expect(page.locator("#id_consent")).to_be_checked()
    tab_to(page, by_name("^Gửi đề nghị$"))
    page.keyboard.press("Enter")

    expect(page.get_by_text("Đề nghị của bạn đã được gửi")).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Ốm đau")
    expect(main).to_contain_text("2.000.000 ₫")
    sent = SupportRequest.objects.get()
    assert sent.member.user == member
    assert sent.amount_requested_vnd == 2_000_000
