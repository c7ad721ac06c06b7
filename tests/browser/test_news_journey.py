"""Journey 1: an editor writes a post with pictures, the chief editor publishes it, and an
anonymous visitor finds it everywhere the public looks for news."""

import re
import xml.etree.ElementTree as ET

from playwright.sync_api import expect

from news.models import Post
from tests.browser import files
from tests.browser.conftest import login
from tests.factories import CategoryFactory

TITLE = "Công đoàn tổ chức hội thao"
LEAD = "Hơn hai trăm đoàn viên tham gia ngày hội thể thao chào mừng Ngày Quốc tế Lao động."
BODY = "Các đội thi đấu bóng chuyền, kéo co và cầu lông trong không khí sôi nổi."
COVER_ALT = "Vận động viên kéo co trên sân"
BODY_ALT = "Đội bóng chuyền nữ nhận cờ"
BODY_CAPTION = "Đội bóng chuyền nữ giành giải nhất."


# True once the text caret is in the body editor with no text after it.
CARET_AT_END = """() => {
  const editor = document.querySelector('.ProseMirror[contenteditable=true]');
  const selection = getSelection();
  if (!editor || !selection.focusNode || !editor.contains(selection.focusNode)) return false;
  const rest = document.createRange();
  rest.selectNodeContents(editor);
  rest.setStart(selection.focusNode, selection.focusOffset);
  return rest.toString().trim() === '';
}"""


def wait_until_loaded(page, image):
    """Wait until the browser has fetched and decoded the picture (lazy ones once scrolled to)."""
    image.scroll_into_view_if_needed()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def write_post(page, category, tmp_path):
    """The editor fills the add form, uploads the cover and a body picture, and saves."""
    page.goto("/admin/news/post/add/")
    page.get_by_label("Tiêu đề").fill(TITLE)
    page.get_by_label("Chuyên mục").select_option(label=category.name)
    page.get_by_label("Sapo").fill(LEAD)
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type(BODY)
    page.get_by_label("Tác giả").fill("Phóng viên Lan Anh")
    page.locator("input[type=file][name=cover_image]").set_input_files(
        files.png(tmp_path / "keo-co.png", text="Keo co")
    )
    page.get_by_label("Mô tả ảnh đại diện").fill(COVER_ALT)
    page.get_by_role("button", name="Thêm một Ảnh trong bài").click()
    inline = page.locator(".inline-related:not(.empty-form)").filter(
        has=page.locator("input[type=file][name$='-image']")
    )
    inline.locator("input[type=file][name$='-image']").set_input_files(
        files.jpeg(tmp_path / "bong-chuyen.jpg")
    )
    inline.locator("input[name$='-alt']").fill(BODY_ALT)
    inline.locator("input[name$='-caption']").fill(BODY_CAPTION)
    page.get_by_role("button", name="Lưu và tiếp tục chỉnh sửa").click()
    expect(page.locator(".messagelist")).to_contain_text("thành công")


def insert_body_picture(page):
    """Once saved, the inline shows the picture's address: the editor puts it in the body with
    the editor's own image dialog, as the README tells editors to."""
    address = page.locator(".inline-related code").first.inner_text().strip()
    assert address.startswith("/media/")
    # Into the editor without a click (a click's caret lands wherever the pointer is, and the
    # editor applies it a moment later), then to the end of the text, on a new line.
    editor = page.locator(".ProseMirror[contenteditable=true]")
    # On a busy machine the editor may take the key before it is ready: press again until the
    # caret is at the end (the step still fails if it never gets there).
    for _attempt in range(20):
        editor.focus()
        page.keyboard.press("Control+End")
        if page.evaluate(CARET_AT_END):
            break
        page.wait_for_timeout(300)
    page.wait_for_function(CARET_AT_END)
    page.keyboard.press("Enter")
    page.locator(".prose-menubar__button[title=figure]").click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("Địa chỉ ảnh").fill(address)
    dialog.get_by_label("Mô tả ảnh").fill(BODY_ALT)
    dialog.get_by_label("Chú thích").fill(BODY_CAPTION)
    dialog.get_by_role("button", name="Chèn").click()
    expect(page.locator(".ProseMirror figure img")).to_have_attribute("src", address)
    return address


def test_editor_writes_chief_publishes_public_finds(browsing, editor, chief_editor, tmp_path):
    category = CategoryFactory(name="Văn hóa - Thể thao", show_on_home=True)

    # The editor writes the post and sends it for review.
    desk = browsing.page()
    login(desk, editor.username)
    write_post(desk, category, tmp_path)
    address = insert_body_picture(desk)
    desk.get_by_role("button", name="Lưu và gửi duyệt").click()
    expect(desk.locator(".messagelist")).to_contain_text("Chờ duyệt")
    post = Post.objects.get(title=TITLE)
    assert post.status == Post.Status.REVIEW
    assert f'src="{address}"' in post.body

    # Nobody outside sees it yet.
    visitor = browsing.page()
    assert visitor.goto(f"/tin-tuc/{post.slug}/").status == 404

    # The chief editor finds it in the admin list and publishes it.
    chief = browsing.page()
    login(chief, chief_editor.username)
    chief.goto("/admin/news/post/")
    row = chief.locator("#result_list tbody tr").filter(has_text=TITLE)
    expect(row).to_contain_text("Chờ duyệt")
    row.get_by_role("link", name=TITLE).click()
    chief.get_by_role("button", name="Lưu và xuất bản").click()
    expect(chief.locator(".messagelist")).to_contain_text("Đã xuất bản")

    # The visitor finds it on the home page ...
    visitor.goto("/")
    link = visitor.get_by_role("link", name=TITLE).first
    expect(link).to_be_visible()
    # ... in its category ...
    visitor.goto(f"/tin-tuc/chuyen-muc/{category.slug}/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(category.name)
    expect(visitor.get_by_role("link", name=TITLE).first).to_be_visible()
    # ... by searching without accents ...
    visitor.goto("/tim-kiem/")
    search = visitor.get_by_role("main").get_by_role("searchbox")
    search.fill("cong doan hoi thao")
    search.press("Enter")
    expect(visitor).to_have_url(re.compile(r"/tim-kiem/\?q=cong\+doan\+hoi\+thao"))
    expect(visitor.get_by_role("main").get_by_role("link", name=TITLE)).to_be_visible()
    # ... and reads it, with both pictures shown and described.
    visitor.get_by_role("main").get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(TITLE)
    article = visitor.get_by_role("main")
    expect(article).to_contain_text(LEAD)
    expect(article).to_contain_text(BODY)
    cover = article.get_by_role("img", name=COVER_ALT)
    body_picture = article.locator(f'figure img[src="{address}"]')
    expect(body_picture).to_have_attribute("alt", BODY_ALT)
    expect(article.locator("figure figcaption").filter(has_text=BODY_CAPTION)).to_be_visible()
    wait_until_loaded(visitor, cover)
    wait_until_loaded(visitor, body_picture)

    # A feed reader finds it in the RSS feed.
    response = visitor.request.get("/tin-tuc/rss/")
    assert response.ok
    channel = ET.fromstring(response.body()).find("channel")
    items = {item.findtext("title"): item.findtext("link") for item in channel.iter("item")}
    assert TITLE in items
    assert items[TITLE].endswith(f"/tin-tuc/{post.slug}/")
