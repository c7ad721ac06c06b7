"""Demo news: categories and posts of the portal's own writing, built on the seed article's facts.

``load_news(editor=..., chief_editor=...)`` is called by ``load_demo``. It is idempotent: categories
are keyed by slug and posts by slug, and an existing post (even one an editor has since changed)
is never overwritten. Every post gets a cover picture drawn here with Pillow (an illustration, and
its alt text says so): nothing is downloaded.

The half-year review of 2020 carries the seed scenario's figures (DESIGN.md, "The seed scenario");
the other posts are everyday union news around it, mostly from 2020.
"""

import hashlib
import io
import math
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFilter

from news.models import Category, Post, PostSlugHistory
from portal.text import slugify_vi

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

HALF_YEAR_REVIEW_TITLE = "Công đoàn Bộ Nội vụ sơ kết công tác 6 tháng đầu năm 2020"
HALF_YEAR_REVIEW_SLUG = slugify_vi(HALF_YEAR_REVIEW_TITLE, max_length=240)
SCHEDULED_AFTER = timedelta(days=30)

_BLOCK_TAGS = "p|h2|h3|h4|ul|ol|li|table|thead|tbody|tr|th|td|blockquote|hr|figure|figcaption"
_BEFORE_BLOCK = re.compile(rf">\s+<(/?(?:{_BLOCK_TAGS})\b)")


def _text(source):
    """Text written wrapped in this file, as one line: whitespace runs become one space."""
    return " ".join(source.split())


def _html(source):
    """An HTML body written wrapped in this file, without whitespace between block tags."""
    return _BEFORE_BLOCK.sub(r"><\1", _text(source))


@dataclass(frozen=True)
class DemoCategory:
    name: str
    description: str
    order: int
    show_in_navigation: bool = True
    show_on_home: bool = True

    @property
    def slug(self):
        return slugify_vi(self.name, max_length=140)


CATEGORIES = [
    DemoCategory(
        "Tin tức - Sự kiện",
        "Tin hoạt động chung của Công đoàn Bộ Nội vụ và những sự kiện nổi bật của cơ quan Bộ.",
        1,
    ),
    DemoCategory(
        "Hoạt động công đoàn",
        "Hội nghị, tập huấn, công tác tổ chức và các phong trào của Công đoàn Bộ và các công "
        "đoàn cơ sở trực thuộc.",
        2,
    ),
    DemoCategory(
        "Thi đua - Khen thưởng",
        "Phong trào thi đua, sơ kết, tổng kết, khen thưởng và những tấm gương điển hình tiên tiến.",
        3,
    ),
    DemoCategory(
        "Chăm lo đời sống đoàn viên",
        "Thăm hỏi, tặng quà, hỗ trợ đoàn viên có hoàn cảnh khó khăn và các hoạt động xã hội, "
        "từ thiện.",
        4,
        show_in_navigation=False,
    ),
    DemoCategory(
        "Chính sách - Pháp luật",
        "Chế độ, chính sách và văn bản pháp luật liên quan đến quyền, lợi ích của cán bộ, công "
        "chức, viên chức, người lao động.",
        5,
        show_in_navigation=False,
    ),
    DemoCategory(
        "Văn hóa - Thể thao",
        "Hội diễn văn nghệ, giải thể thao và đời sống tinh thần của đoàn viên.",
        6,
        show_in_navigation=False,
    ),
]

NEWS = "tin-tuc-su-kien"
UNION = "hoat-dong-cong-doan"
AWARDS = "thi-dua-khen-thuong"
CARE = "cham-lo-doi-song-doan-vien"
POLICY = "chinh-sach-phap-luat"
CULTURE = "van-hoa-the-thao"


@dataclass(frozen=True)
class DemoPost:
    title: str
    category: str  # a category slug
    when: tuple | None  # (year, month, day, hour, minute) in Asia/Ho_Chi_Minh; None: not dated
    lead: str
    body: str
    byline: str
    motif: str  # see MOTIFS
    caption: str
    featured: bool = False

    @property
    def slug(self):
        return slugify_vi(self.title, max_length=240)


# Published posts, oldest first. Texts are wrapped freely: _text() and _html() join the lines.
POSTS = [
    DemoPost(
        title="Ấm áp gặp mặt, tặng quà đoàn viên diện chính sách dịp Tết Canh Tý 2020",
        category=CARE,
        when=(2020, 1, 17, 16, 20),
        lead="""
            Công đoàn Bộ Nội vụ cùng Văn phòng Bộ gặp mặt và trao 144 suất quà Tết, tổng trị giá
            144 triệu đồng, cho những đoàn viên là thương binh, con thương binh, con liệt sĩ.
        """,
        body="""
            <p>Chiều 17/1, tại trụ sở Bộ, Công đoàn Bộ Nội vụ phối hợp với Văn phòng Bộ tổ chức
            buổi gặp mặt đầu xuân dành cho đoàn viên thuộc diện chính sách. Không khí buổi gặp mặt
            đầm ấm, thân tình; nhiều đại biểu là những người đã gắn bó hàng chục năm với ngành Nội
            vụ.</p>
            <p>Thay mặt Ban Chấp hành, lãnh đạo Công đoàn Bộ gửi lời chúc Tết tới các đoàn viên và
            gia đình, ghi nhận những đóng góp bền bỉ của các đồng chí thương binh, con thương binh,
            con liệt sĩ trong công tác chuyên môn cũng như trong các phong trào của cơ quan.</p>
            <p>Mỗi suất quà trị giá 1 triệu đồng. Những đoàn viên vắng mặt vì đi công tác được công
            đoàn cơ sở gửi quà tận tay trước kỳ nghỉ Tết Nguyên đán. Tổng cộng 144 suất quà, trị
            giá 144 triệu đồng, đã được trao.</p>
            <p>Cùng dịp này, Công đoàn Bộ và các công đoàn cơ sở đến thăm, động viên 25 đoàn viên có
            hoàn cảnh đặc biệt khó khăn, trao tổng cộng 50 triệu đồng, với mong muốn không đoàn viên
            nào thiếu Tết.</p>
            <p>Chăm lo Tết cho đoàn viên là một nội dung trọng tâm trong kế hoạch hoạt động năm 2020
            của Công đoàn Bộ, thể hiện sự quan tâm thiết thực của tổ chức công đoàn tới đời sống
            vật chất và tinh thần của người lao động.</p>
        """,
        byline="Minh Châu",
        motif="blossoms",
        caption="Gặp mặt, tặng quà đoàn viên diện chính sách dịp Tết Canh Tý 2020",
    ),
    DemoPost(
        title="Gặp mặt nữ đoàn viên kỷ niệm 110 năm Ngày Quốc tế Phụ nữ",
        category=UNION,
        when=(2020, 3, 6, 10, 15),
        lead="""
            Công đoàn Bộ Nội vụ gặp mặt nữ cán bộ, công chức, viên chức, lao động nhân kỷ niệm 110
            năm Ngày Quốc tế Phụ nữ 8/3, theo hình thức gọn nhẹ để bảo đảm yêu cầu phòng, chống
            dịch Covid-19.
        """,
        body="""
            <p>Sáng 6/3, Công đoàn Bộ Nội vụ tổ chức gặp mặt nữ đoàn viên nhân kỷ niệm 110 năm Ngày
            Quốc tế Phụ nữ (8/3/1910 - 8/3/2020) và 1980 năm Khởi nghĩa Hai Bà Trưng.</p>
            <p>Thực hiện hướng dẫn phòng, chống dịch Covid-19, buổi gặp mặt chỉ mời đại diện nữ
            đoàn viên các đơn vị. Các công đoàn cơ sở tặng hoa, chúc mừng chị em ngay tại phòng làm
            việc thay cho những hoạt động tập trung đông người như mọi năm.</p>
            <p>Đại diện Ban Nữ công Công đoàn Bộ cho biết, nữ đoàn viên chiếm tỷ lệ đáng kể trong
            đội ngũ của Bộ và có mặt ở hầu hết các lĩnh vực tham mưu, từ xây dựng thể chế đến cải
            cách hành chính. Nhiều chị em vừa hoàn thành tốt nhiệm vụ, vừa chăm lo chu đáo cho gia
            đình.</p>
            <p>Dịp này, Công đoàn Bộ đề nghị các công đoàn cơ sở tiếp tục đẩy mạnh phong trào thi
            đua "Giỏi việc nước, đảm việc nhà", tạo điều kiện để nữ đoàn viên học tập, nâng cao
            trình độ và tham gia các hoạt động của cơ quan.</p>
        """,
        byline="Thu Trang",
        motif="circles",
        caption="Chúc mừng nữ đoàn viên nhân Ngày Quốc tế Phụ nữ 8/3",
    ),
    DemoPost(
        title="Công đoàn các cấp trong Bộ Nội vụ chủ động phòng, chống dịch Covid-19",
        category=NEWS,
        when=(2020, 3, 20, 16, 40),
        lead="""
            Đoàn viên được phát khẩu trang vải kháng khuẩn dùng nhiều lần; lực lượng bảo vệ, nhân
            viên phục vụ và khách đến làm việc tại trụ sở Bộ được cấp khẩu trang y tế.
        """,
        body="""
            <p>Thực hiện chỉ đạo của Ban Chỉ đạo phòng, chống dịch Covid-19 của Bộ Nội vụ, Công đoàn
            Bộ đề nghị các công đoàn cơ sở phối hợp với thủ trưởng đơn vị hướng dẫn đoàn viên thực
            hiện nghiêm các biện pháp phòng dịch tại nơi làm việc.</p>
            <p>Từ giữa tháng 3, mỗi đoàn viên đã nhận khẩu trang vải kháng khuẩn do công đoàn cơ sở
            phát. Các đơn vị đặt dung dịch sát khuẩn tay ở sảnh, thang máy, phòng họp và chuyển một
            số cuộc họp sang hình thức trực tuyến.</p>
            <p>Lực lượng bảo vệ, nhân viên phục vụ và những người hằng ngày tiếp xúc với khách được
            Công đoàn Bộ cấp thêm khẩu trang y tế. Khách đến liên hệ công tác cũng được phát khẩu
            trang miễn phí ngay tại bàn tiếp đón.</p>
            <p>Công đoàn Bộ đề nghị mỗi đoàn viên là một tuyên truyền viên, chỉ chia sẻ thông tin
            chính thống về dịch bệnh, không lan truyền tin chưa được kiểm chứng, đồng thời bảo đảm
            công việc chuyên môn không bị gián đoạn.</p>
        """,
        byline="Quang Huy",
        motif="waves",
        caption="Đoàn viên cơ quan Bộ nhận khẩu trang vải kháng khuẩn",
    ),
    DemoPost(
        title="Đoàn viên Bộ Nội vụ chung tay ủng hộ phòng, chống dịch và đồng bào miền Tây",
        category=NEWS,
        when=(2020, 4, 8, 9, 20),
        lead="""
            Cán bộ, công chức, viên chức, lao động Bộ Nội vụ tích cực quyên góp ủng hộ công tác
            phòng, chống dịch Covid-19 và đồng bào các tỉnh miền Tây chịu hạn hán, xâm nhập mặn.
        """,
        body="""
            <p>Ngay sau khi Công đoàn Bộ phát động, các công đoàn cơ sở đã tổ chức quyên góp trong
            đoàn viên trên tinh thần tự nguyện, công khai. Nhiều đơn vị ủng hộ một ngày lương; nhiều
            đoàn viên góp thêm bằng tiền mặt và hiện vật.</p>
            <p>Bên cạnh quyên góp trực tiếp, Công đoàn Bộ hướng dẫn đoàn viên ủng hộ bằng tin nhắn
            qua tổng đài 1407, cách làm nhanh gọn, phù hợp với thời gian hạn chế tiếp xúc.</p>
            <p>Số tiền quyên góp được tổng hợp và chuyển đến các địa chỉ tiếp nhận theo quy định,
            trong đó có phần dành cho đồng bào miền Tây đang chịu ảnh hưởng nặng nề của đợt hạn,
            mặn mùa khô 2019 - 2020.</p>
            <p>Kết quả cuộc vận động và danh sách các đơn vị tham gia sẽ được Công đoàn Bộ công bố
            trên Cổng thông tin khi đợt quyên góp kết thúc.</p>
        """,
        byline="Ngọc Ánh",
        motif="hearts",
        caption="Đoàn viên các đơn vị tham gia ủng hộ phòng, chống dịch Covid-19",
    ),
    DemoPost(
        title='Trao tặng 2 tấn gạo cho "ATM gạo" quận Cầu Giấy',
        category=CARE,
        when=(2020, 4, 24, 14, 5),
        lead="""
            Công đoàn Bộ Nội vụ trao 2 tấn gạo, trị giá 30 triệu đồng, cho điểm "ATM gạo" của quận
            Cầu Giấy, góp phần giúp người lao động nghèo vượt qua khó khăn do dịch Covid-19.
        """,
        body="""
            <p>Trong những ngày giãn cách xã hội, các điểm "ATM gạo" ở Hà Nội trở thành địa chỉ sẻ
            chia quen thuộc với người lao động tự do, người bán hàng rong và những gia đình mất thu
            nhập vì dịch bệnh.</p>
            <p>Từ nguồn đóng góp của đoàn viên, Công đoàn Bộ đã mua 2 tấn gạo, trị giá 30 triệu
            đồng, trao cho điểm "ATM gạo" của quận Cầu Giấy. Gạo được phát miễn phí cho người dân có
            hoàn cảnh khó khăn; người nhận xếp hàng giữ khoảng cách theo hướng dẫn phòng dịch.</p>
            <p>Theo đại diện Công đoàn Bộ, món quà tuy nhỏ nhưng thể hiện tinh thần "lá lành đùm lá
            rách" của đoàn viên Bộ Nội vụ khi cả nước đồng lòng chống dịch.</p>
            <p>Các hoạt động thiện nguyện sẽ tiếp tục được Công đoàn Bộ duy trì trong thời gian tới,
            hướng tới những người chịu ảnh hưởng nhiều nhất của dịch bệnh.</p>
        """,
        byline="Hoàng Long",
        motif="hearts",
        caption='Trao gạo cho điểm "ATM gạo" của quận Cầu Giấy',
    ),
    DemoPost(
        title="Công đoàn Bộ Nội vụ triển khai Tháng Công nhân năm 2020",
        category=UNION,
        when=(2020, 5, 4, 8, 30),
        lead="""
            Tháng Công nhân năm 2020 được triển khai thiết thực, không tổ chức tập trung đông
            người, dồn sức chăm lo cho đoàn viên bị ảnh hưởng bởi dịch Covid-19.
        """,
        body="""
            <p>Tháng Công nhân năm 2020 diễn ra từ ngày 1/5 đến hết ngày 31/5. Do tình hình dịch
            bệnh, Công đoàn Bộ đề nghị các công đoàn cơ sở không tổ chức lễ phát động mà lồng ghép
            nội dung tuyên truyền vào giao ban cơ quan, bảng tin và các nhóm trao đổi trực tuyến của
            đơn vị.</p>
            <p>Trọng tâm của tháng là nắm bắt hoàn cảnh đoàn viên để kịp thời hỗ trợ những trường
            hợp có người thân ốm đau, bị giảm thu nhập hoặc gặp khó khăn vì dịch. Các công đoàn cơ
            sở lập danh sách đề nghị hỗ trợ, gửi Công đoàn Bộ trước ngày 15/5.</p>
            <p>Các đơn vị cũng được đề nghị phối hợp với thủ trưởng cơ quan rà soát điều kiện làm
            việc, bảo đảm an toàn, vệ sinh lao động và tổ chức đối thoại để lắng nghe tâm tư, nguyện
            vọng của người lao động.</p>
            <p>Kết quả Tháng Công nhân sẽ được tổng hợp vào báo cáo sơ kết công tác 6 tháng đầu năm
            của Công đoàn Bộ.</p>
        """,
        byline="Ban Biên tập",
        motif="star",
        caption="Tháng Công nhân năm 2020 tại cơ quan Bộ Nội vụ",
    ),
    DemoPost(
        title="Hỗ trợ 19 đoàn viên gặp khó khăn do dịch Covid-19 nhân Tháng Công nhân",
        category=CARE,
        when=(2020, 5, 27, 10, 0),
        lead="""
            Công đoàn Bộ Nội vụ trao hỗ trợ cho 19 công chức, viên chức, lao động bị ảnh hưởng bởi
            dịch Covid-19 và có hoàn cảnh khó khăn, mỗi trường hợp 2 triệu đồng.
        """,
        body="""
            <p>Danh sách được lập từ đề xuất của các công đoàn cơ sở, ưu tiên những đoàn viên có vợ
            hoặc chồng mất việc làm, có người thân ốm đau dài ngày hoặc đang một mình nuôi con nhỏ
            trong thời gian dịch bệnh.</p>
            <p>Với mức 2 triệu đồng mỗi người, tổng kinh phí của đợt hỗ trợ là 38 triệu đồng, trích
            từ nguồn tài chính công đoàn. Tiền hỗ trợ được chuyển qua công đoàn cơ sở để trao tận
            tay từng đoàn viên.</p>
            <p>Nhiều đoàn viên chia sẻ, số tiền không lớn nhưng đến đúng lúc, là nguồn động viên để
            gia đình vượt qua giai đoạn khó khăn nhất.</p>
            <p>Công đoàn Bộ đề nghị các công đoàn cơ sở tiếp tục theo dõi sát hoàn cảnh đoàn viên để
            đề xuất hỗ trợ kịp thời trong những đợt tiếp theo.</p>
        """,
        byline="Minh Châu",
        motif="hearts",
        caption="Trao hỗ trợ cho đoàn viên gặp khó khăn do dịch Covid-19",
    ),
    DemoPost(
        title=HALF_YEAR_REVIEW_TITLE,
        category=AWARDS,
        when=(2020, 7, 22, 8, 58),
        featured=True,
        lead="""
            Hội nghị sơ kết công tác 6 tháng đầu năm 2020 của Công đoàn Bộ Nội vụ, diễn ra ngày
            20/7 tại Hà Nội, đã đánh giá kết quả nửa đầu năm và thống nhất nhiệm vụ những tháng còn
            lại. Chăm lo đoàn viên giữa mùa dịch Covid-19 là dấu ấn nổi bật của 6 tháng qua.
        """,
        body="""
            <p>Dự hội nghị có lãnh đạo Bộ Nội vụ, đại diện Văn phòng Bộ, Ban Chấp hành Công đoàn Bộ
            và chủ tịch các công đoàn cơ sở trực thuộc. Báo cáo sơ kết cho thấy, dù nhiều hoạt động
            phải điều chỉnh vì dịch bệnh, các cấp công đoàn trong Bộ vẫn hoàn thành những nhiệm vụ
            trọng tâm đặt ra từ đầu năm.</p>
            <h2>Chăm lo đoàn viên trong mùa dịch</h2>
            <p>Dịp Tết Canh Tý, Công đoàn Bộ cùng Văn phòng Bộ gặp mặt và trao quà cho 144 đoàn viên
            là thương binh, con thương binh, con liệt sĩ, tổng trị giá 144 triệu đồng; 25 đoàn viên
            có hoàn cảnh đặc biệt khó khăn được thăm hỏi với số tiền 50 triệu đồng.</p>
            <p>Khi dịch Covid-19 bùng phát, việc chăm lo tập trung vào bảo vệ sức khỏe người lao
            động ngay tại nơi làm việc. Trong 3 tháng cao điểm phòng, chống dịch:</p>
            <ul>
            <li><strong>11.200 chiếc khẩu trang vải kháng khuẩn</strong> được các công đoàn cơ sở
            phát tới đoàn viên và người lao động;</li>
            <li><strong>2.500 khẩu trang y tế</strong> được Công đoàn Bộ mua thêm cho lực lượng bảo
            vệ, nhân viên phục vụ, những người hằng ngày tiếp xúc với khách, và phát miễn phí cho
            khách đến làm việc tại trụ sở Bộ;</li>
            <li>nhân Tháng Công nhân 2020, <strong>19 đoàn viên</strong> bị ảnh hưởng bởi dịch và
            có hoàn cảnh khó khăn được hỗ trợ 2 triệu đồng mỗi người.</li>
            </ul>
            <h3>Các khoản hỗ trợ bằng tiền trong 6 tháng đầu năm</h3>
            <table>
            <thead><tr><th>Nội dung hỗ trợ</th><th>Số người</th><th>Số tiền</th></tr></thead>
            <tbody>
            <tr><td>Quà Tết Canh Tý cho đoàn viên là thương binh, con thương binh, con liệt
            sĩ</td><td>144</td><td>144.000.000&nbsp;₫</td></tr>
            <tr><td>Thăm hỏi đoàn viên có hoàn cảnh đặc biệt khó
            khăn</td><td>25</td><td>50.000.000&nbsp;₫</td></tr>
            <tr><td>Hỗ trợ đoàn viên khó khăn do dịch Covid-19 (Tháng Công nhân
            2020)</td><td>19</td><td>38.000.000&nbsp;₫</td></tr>
            <tr><td><strong>Tổng cộng</strong></td><td><strong>188 lượt</strong></td>
            <td><strong>232.000.000&nbsp;₫</strong></td></tr>
            </tbody>
            </table>
            <h2>Lan tỏa tinh thần sẻ chia</h2>
            <p>Hưởng ứng lời kêu gọi của Công đoàn Bộ, đoàn viên đã chung tay ủng hộ phòng, chống
            dịch Covid-19 và đồng bào miền Tây chịu hạn, mặn; tổng số tiền quyên góp được gần 400
            triệu đồng, chưa kể nhiều người nhắn tin ủng hộ qua tổng đài 1407. Từ nguồn này, Công
            đoàn Bộ mua 2 tấn gạo, trị giá 30 triệu đồng, gửi tới điểm "ATM gạo" của quận Cầu
            Giấy.</p>
            <blockquote><p>Giữa những tháng khó khăn của dịch bệnh, sự quan tâm kịp thời của tổ
            chức công đoàn đã trở thành chỗ dựa để đoàn viên yên tâm công tác.</p></blockquote>
            <p>Công tác phát triển Đảng cũng được chú trọng: trong 6 tháng, 27 đoàn viên ưu tú được
            kết nạp vào Đảng và 40 đoàn viên được công nhận đảng viên chính thức.</p>
            <h2>Nhiệm vụ 6 tháng cuối năm</h2>
            <p>Hội nghị thống nhất những nhiệm vụ trọng tâm thời gian tới:</p>
            <ol>
            <li>bám sát kế hoạch hoạt động năm 2020 của Công đoàn Bộ (Kế hoạch số 16/KH-CĐBNV ngày
            13/1/2020);</li>
            <li>tổ chức học tập Điều lệ Công đoàn Việt Nam khóa XII và hướng dẫn thi hành;</li>
            <li>đẩy mạnh các phong trào thi đua, tuyên truyền đoàn viên giữ nghiêm kỷ luật, kỷ
            cương, văn hóa công vụ, thực hành tiết kiệm, phòng, chống tham nhũng, tiêu cực;</li>
            <li>kiện toàn Ban Chấp hành, Ban Thường vụ và Ủy ban Kiểm tra Công đoàn Bộ khóa
            XII;</li>
            <li>chào mừng 75 năm thành lập Bộ (28/8/1945 - 28/8/2020) bằng Giải thể thao và Hội
            diễn nghệ thuật quần chúng của đoàn viên.</li>
            </ol>
            <p>Phát biểu chỉ đạo, lãnh đạo Bộ ghi nhận kết quả Công đoàn Bộ và công đoàn các đơn vị
            đạt được, đề nghị tổ chức công đoàn tiếp tục đồng hành cùng chính quyền, vừa phòng,
            chống dịch hiệu quả, vừa bảo đảm hoàn thành nhiệm vụ chính trị của Bộ.</p>
        """,
        byline="Ban Biên tập",
        motif="bars",
        caption="Hội nghị sơ kết công tác 6 tháng đầu năm 2020 của Công đoàn Bộ Nội vụ",
    ),
    DemoPost(
        title="Khai mạc Giải thể thao chào mừng 75 năm Ngày thành lập Bộ Nội vụ",
        category=CULTURE,
        when=(2020, 8, 12, 17, 10),
        lead="""
            Giải thể thao năm 2020 của Công đoàn Bộ Nội vụ quy tụ đông đảo vận động viên là đoàn
            viên các công đoàn cơ sở, tranh tài ở các môn bóng bàn, cầu lông, quần vợt và kéo co.
        """,
        body="""
            <p>Giải được tổ chức nhân kỷ niệm 75 năm thành lập Bộ Nội vụ (1945 - 2020),
            đồng thời tạo sân chơi lành mạnh để đoàn viên rèn luyện sức khỏe, giao lưu sau nhiều
            tháng tập trung phòng, chống dịch.</p>
            <p>Các trận đấu diễn ra trong hai tuần, ngoài giờ hành chính. Ban Tổ chức bố trí khu vực
            sát khuẩn, đo thân nhiệt và hạn chế khán giả tại sân để bảo đảm an toàn.</p>
            <p>Ngay ngày thi đấu đầu tiên, nội dung kéo co đã khuấy động không khí với những màn cổ
            vũ nhiệt tình của đồng nghiệp. Ở môn bóng bàn và cầu lông, nhiều cặp đấu giằng co đến
            những điểm cuối cùng.</p>
            <p>Ban Tổ chức sẽ trao giải cho các vận động viên và đội tuyển xuất sắc tại lễ bế mạc,
            kết hợp với chương trình văn nghệ chào mừng ngày truyền thống của ngành.</p>
        """,
        byline="Hoàng Long",
        motif="court",
        caption="Vận động viên tranh tài ở nội dung cầu lông",
        featured=True,
    ),
    DemoPost(
        title="Sôi nổi Hội diễn nghệ thuật quần chúng chào mừng 75 năm ngành Tổ chức nhà nước",
        category=CULTURE,
        when=(2020, 8, 25, 20, 30),
        lead="""
            Các đội văn nghệ của công đoàn cơ sở mang đến hội diễn những tiết mục ca, múa, nhạc
            ca ngợi Đảng, Bác Hồ, quê hương, đất nước và truyền thống của ngành Nội vụ.
        """,
        body="""
            <p>Hội diễn là hoạt động chào mừng 75 năm Ngày truyền thống ngành Tổ chức nhà nước
            (28/8/1945 - 28/8/2020), do Công đoàn Bộ phối hợp với Đoàn Thanh niên Bộ tổ chức.</p>
            <p>Dù thời gian tập luyện không nhiều, các tiết mục được dàn dựng công phu. Bên cạnh
            những ca khúc cách mạng quen thuộc, nhiều đơn vị mạnh dạn đưa lên sân khấu tiểu phẩm về
            văn hóa công sở và những ngày cả cơ quan cùng chống dịch.</p>
            <p>Nhiều diễn viên là đoàn viên lần đầu đứng trên sân khấu nhưng tự tin, biểu diễn đầy
            cảm xúc, nhận được những tràng pháo tay dài từ khán giả là đồng nghiệp và người
            thân.</p> <p>Kết thúc hội diễn, Ban Tổ chức trao giải A, B, C và các giải phụ cho những
            tiết mục xuất sắc; các tiết mục đạt giải cao được chọn biểu diễn tại lễ kỷ niệm của
            Bộ.</p>
        """,
        byline="Thu Trang",
        motif="star",
        caption="Một tiết mục múa tại Hội diễn nghệ thuật quần chúng năm 2020",
    ),
    DemoPost(
        title="Tập huấn nghiệp vụ cho cán bộ công đoàn cơ sở năm 2020",
        category=UNION,
        when=(2020, 9, 10, 15, 45),
        lead="""
            Công đoàn Bộ Nội vụ mở lớp tập huấn cho chủ tịch, phó chủ tịch, ủy viên ban chấp hành
            và cán bộ làm công tác tài chính của các công đoàn cơ sở trực thuộc.
        """,
        body="""
            <p>Lớp tập huấn diễn ra trong hai ngày, kết hợp học tập trung và trực tuyến để những
            đơn vị ở xa cùng tham gia.</p>
            <p>Học viên được giới thiệu những nội dung cơ bản của Điều lệ Công đoàn Việt Nam khóa
            XII và hướng dẫn thi hành; kỹ năng tổ chức hội nghị cán bộ, công chức; công tác kiểm tra
            và giám sát của công đoàn; quản lý thu, chi tài chính tại công đoàn cơ sở.</p>
            <p>Một chuyên đề được học viên quan tâm là những điểm mới của Bộ luật Lao động năm 2019,
            có hiệu lực từ ngày 1/1/2021, nhất là các quy định về hợp đồng lao động, thời giờ làm
            việc và tuổi nghỉ hưu.</p>
            <p>Nhiều câu hỏi thực tế đã được trao đổi tại lớp, từ cách lập hồ sơ đề nghị trợ cấp
            đến việc công khai các khoản chi. Kết thúc khóa học, học viên làm bài thu hoạch và được
            cấp giấy chứng nhận.</p>
        """,
        byline="Quang Huy",
        motif="book",
        caption="Học viên lớp tập huấn nghiệp vụ công đoàn năm 2020",
    ),
    DemoPost(
        title="Vui Tết Trung thu cùng con em đoàn viên",
        category=CULTURE,
        when=(2020, 9, 29, 19, 0),
        lead="""
            Công đoàn Bộ Nội vụ tổ chức chương trình Vui Tết Trung thu, tặng quà cho con em đoàn
            viên và khen thưởng các cháu đạt thành tích cao trong năm học 2019 - 2020.
        """,
        body="""
            <p>Chiều tối 29/9, sân trụ sở Bộ rộn ràng tiếng trống múa lân và tiếng cười của các cháu
            thiếu nhi cùng bố mẹ đến dự chương trình Vui Tết Trung thu do Công đoàn Bộ tổ chức.</p>
            <p>Các cháu được xem múa lân, tham gia trò chơi dân gian, thi vẽ tranh về gia đình và
            rước đèn ông sao quanh sân. Mâm cỗ Trung thu với bánh nướng, bánh dẻo, hoa quả do chính
            các phụ huynh bày được các cháu cùng nhau phá cỗ.</p>
            <p>Dịp này, Công đoàn Bộ trao phần thưởng cho các cháu là học sinh giỏi, học sinh đạt
            giải trong các kỳ thi, động viên các cháu tiếp tục chăm ngoan, học giỏi.</p>
            <p>Chương trình là món quà tinh thần ý nghĩa, giúp đoàn viên thêm gắn bó với cơ quan và
            tổ chức công đoàn.</p>
        """,
        byline="Ngọc Ánh",
        motif="moon",
        caption="Các cháu thiếu nhi rước đèn trong đêm hội Trung thu",
    ),
    DemoPost(
        title="Công đoàn Bộ sửa đổi quy định về mức chi thăm hỏi, trợ cấp đoàn viên",
        category=POLICY,
        when=(2020, 10, 15, 9, 30),
        lead="""
            Ban Thường vụ Công đoàn Bộ Nội vụ ban hành quy định sửa đổi về mức chi thăm hỏi ốm
            đau, hiếu, hỷ và trợ cấp khó khăn cho đoàn viên, áp dụng thống nhất từ ngày 1/1/2021.
        """,
        body="""
            <p>Quy định mới được xây dựng trên cơ sở tổng kết việc thực hiện chế độ thăm hỏi, trợ
            cấp những năm qua và ý kiến đóng góp của các công đoàn cơ sở, nhằm bảo đảm công bằng,
            công khai và phù hợp với khả năng tài chính của từng cấp.</p>
            <p>Theo đó, đoàn viên được thăm hỏi, trợ cấp trong các trường hợp:</p>
            <ul>
            <li>ốm đau phải điều trị nội trú hoặc mắc bệnh hiểm nghèo;</li>
            <li>sinh con, kết hôn;</li>
            <li>bản thân hoặc thân nhân (bố, mẹ, vợ hoặc chồng, con) qua đời;</li>
            <li>gia đình gặp thiên tai, hỏa hoạn hoặc rơi vào hoàn cảnh đặc biệt khó khăn.</li>
            </ul>
            <p>Mức chi cụ thể do công đoàn cơ sở quyết định trong khung của Công đoàn Bộ, căn cứ quy
            chế chi tiêu nội bộ. Trường hợp đặc biệt khó khăn, công đoàn cơ sở lập hồ sơ đề nghị
            Công đoàn Bộ hỗ trợ thêm.</p>
            <p>Mọi khoản thăm hỏi, trợ cấp đều phải được ghi chép đầy đủ và công khai trong báo cáo
            tài chính của công đoàn cơ sở, làm căn cứ cho báo cáo sơ kết, tổng kết hằng năm.</p>
        """,
        byline="Ban Biên tập",
        motif="book",
        caption="Quy định về chế độ thăm hỏi, trợ cấp đoàn viên",
    ),
    DemoPost(
        title="Những điểm mới của Bộ luật Lao động năm 2019 người lao động cần biết",
        category=POLICY,
        when=(2020, 11, 20, 8, 15),
        lead="""
            Bộ luật Lao động năm 2019 có hiệu lực từ ngày 1/1/2021 với nhiều quy định liên quan
            trực tiếp đến quyền, lợi ích của người lao động. Dưới đây là một số điểm đáng chú ý.
        """,
        body="""
            <p>Bộ luật Lao động năm 2019 được Quốc hội khóa XIV thông qua ngày 20/11/2019, thay thế
            Bộ luật Lao động năm 2012. Một số thay đổi đáng chú ý:</p>
            <ul>
            <li><strong>Tuổi nghỉ hưu</strong> được điều chỉnh theo lộ trình, đến năm 2028 là đủ 62
            tuổi đối với nam và đến năm 2035 là đủ 60 tuổi đối với nữ.</li>
            <li><strong>Thêm một ngày nghỉ lễ</strong> dịp Quốc khánh: người lao động được nghỉ
            ngày 2/9 và một ngày liền kề trước hoặc sau.</li>
            <li><strong>Hợp đồng lao động</strong> chỉ còn hai loại: không xác định thời hạn và xác
            định thời hạn không quá 36 tháng.</li>
            <li>Người lao động được <strong>đơn phương chấm dứt hợp đồng không cần báo
            trước</strong> trong một số trường hợp, như không được trả đủ lương, bị ngược đãi hoặc
            bị quấy rối tình dục tại nơi làm việc.</li>
            </ul>
            <p>Quy định về tuổi nghỉ hưu và ngày nghỉ lễ áp dụng chung cho cán bộ, công chức, viên
            chức; các quy định về hợp đồng lao động áp dụng với người làm việc theo hợp đồng tại các
            đơn vị.</p>
            <p>Công đoàn Bộ đề nghị các công đoàn cơ sở tổ chức phổ biến Bộ luật tới đoàn viên và
            phối hợp với thủ trưởng đơn vị rà soát, sửa đổi nội quy, quy chế cho phù hợp.</p>
        """,
        byline="Quang Huy",
        motif="book",
        caption="Bộ luật Lao động năm 2019 có hiệu lực từ ngày 1/1/2021",
    ),
    DemoPost(
        title="Tổng kết công tác công đoàn năm 2020, khen thưởng tập thể và cá nhân tiêu biểu",
        category=AWARDS,
        when=(2020, 12, 28, 11, 40),
        lead="""
            Một năm các cấp công đoàn trong Bộ vừa chung tay phòng, chống dịch Covid-19, vừa chăm
            lo tốt đời sống đoàn viên và góp phần tổ chức thành công lễ kỷ niệm 75 năm Ngày thành
            lập Bộ.
        """,
        body="""
            <p>Hội nghị tổng kết đánh giá năm 2020 là năm nhiều khó khăn nhưng cũng ghi dấu sự
            đoàn kết, sáng tạo của các cấp công đoàn trong Bộ. Nhiều hoạt động được chuyển sang hình
            thức trực tuyến, các khoản hỗ trợ đến với đoàn viên nhanh hơn và đúng đối tượng.</p>
            <p>Các phong trào thi đua yêu nước, phong trào "Giỏi việc nước, đảm việc nhà" và phong
            trào thi đua thực hiện văn hóa công sở được hưởng ứng rộng rãi, gắn với nhiệm vụ chuyên
            môn của từng đơn vị.</p>
            <p>Tại hội nghị, Công đoàn Bộ công bố quyết định khen thưởng:</p>
            <ul>
            <li>danh hiệu "Công đoàn cơ sở vững mạnh" cho các công đoàn cơ sở hoàn thành xuất sắc
            nhiệm vụ;</li>
            <li>giấy khen cho các cá nhân "Đoàn viên công đoàn xuất sắc";</li>
            <li>giấy khen cho các tập thể, cá nhân có thành tích trong công tác phòng, chống dịch
            Covid-19 và các hoạt động xã hội, từ thiện.</li>
            </ul>
            <p>Năm 2021, Công đoàn Bộ tiếp tục lấy việc chăm lo, bảo vệ quyền, lợi ích hợp pháp của
            đoàn viên làm trọng tâm, gắn các phong trào thi đua với việc thực hiện nhiệm vụ chính
            trị của Bộ.</p>
        """,
        byline="Minh Châu",
        motif="star",
        caption="Trao giấy khen cho các tập thể, cá nhân tiêu biểu năm 2020",
    ),
    DemoPost(
        title="Thăm, tặng quà đoàn viên có hoàn cảnh khó khăn dịp Tết Tân Sửu 2021",
        category=CARE,
        when=(2021, 2, 3, 15, 10),
        lead="""
            Trước thềm Xuân Tân Sửu, Công đoàn Bộ Nội vụ trao quà Tết cho đoàn viên diện chính sách
            và đoàn viên có hoàn cảnh khó khăn; các hoạt động được tổ chức gọn nhẹ, đúng yêu cầu
            phòng dịch.
        """,
        body="""
            <p>Do dịch Covid-19 diễn biến phức tạp trở lại, Công đoàn Bộ không tổ chức buổi gặp mặt
            tập trung như năm trước. Quà Tết được chuyển qua công đoàn cơ sở để trao tận tay từng
            đoàn viên.</p>
            <p>Đại diện Ban Thường vụ Công đoàn Bộ trực tiếp đến thăm một số gia đình đoàn viên
            có người thân ốm đau dài ngày, gửi lời hỏi thăm và chúc Tết.</p>
            <p>Công đoàn Bộ đề nghị các công đoàn cơ sở rà soát kỹ danh sách để không bỏ sót đoàn
            viên khó khăn, đồng thời nhắc đoàn viên đón Tết an toàn, hạn chế di chuyển khi không
            cần thiết.</p>
        """,
        byline="Ngọc Ánh",
        motif="blossoms",
        caption="Quà Tết Tân Sửu gửi tới đoàn viên có hoàn cảnh khó khăn",
    ),
    DemoPost(
        title="Hưởng ứng Tháng hành động về an toàn, vệ sinh lao động năm 2022",
        category=UNION,
        when=(2022, 5, 6, 9, 0),
        lead="""
            Các công đoàn cơ sở trong Bộ phối hợp với thủ trưởng đơn vị rà soát điều kiện làm việc,
            tuyên truyền kiến thức an toàn, vệ sinh lao động cho đoàn viên.
        """,
        body="""
            <p>Dù phần lớn đoàn viên làm việc văn phòng, nguy cơ mất an toàn vẫn hiện hữu: chập
            điện, cháy nổ, ngồi sai tư thế trong thời gian dài hay căng thẳng kéo dài vì áp lực công
            việc.</p>
            <p>Hưởng ứng Tháng hành động, các công đoàn cơ sở phối hợp kiểm tra hệ thống điện,
            thiết bị phòng cháy, chữa cháy tại phòng làm việc và kho lưu trữ; hướng dẫn đoàn viên
            thoát hiểm khi có sự cố.</p>
            <p>Công đoàn Bộ cũng giới thiệu những bài tập vận động ngắn giữa giờ làm việc và đề nghị
            các đơn vị quan tâm khám sức khỏe định kỳ cho người lao động.</p>
            <p>Những kiến nghị về điều kiện làm việc được các công đoàn cơ sở tổng hợp, gửi thủ
            trưởng đơn vị để có giải pháp khắc phục.</p>
        """,
        byline="Hoàng Long",
        motif="waves",
        caption="Diễn tập phòng cháy, chữa cháy tại cơ quan Bộ",
    ),
    DemoPost(
        title="Giải bóng bàn, cầu lông đoàn viên năm 2023 thành công tốt đẹp",
        category=CULTURE,
        when=(2023, 10, 13, 18, 20),
        lead="""
            Sau một tuần tranh tài sôi nổi, Giải bóng bàn, cầu lông đoàn viên Công đoàn Bộ Nội vụ
            năm 2023 đã khép lại với nhiều trận đấu đẹp, giàu tinh thần thể thao.
        """,
        body="""
            <p>Giải thu hút các vận động viên đến từ các công đoàn cơ sở, thi đấu ở các nội dung đơn
            nam, đơn nữ, đôi nam, đôi nữ và đôi nam nữ.</p>
            <p>Bên cạnh những vận động viên quen thuộc của các mùa giải trước, năm nay có nhiều đoàn
            viên trẻ mới về công tác, góp phần làm các trận đấu thêm hấp dẫn.</p>
            <p>Ban Tổ chức đã trao giải nhất, nhì, ba cho từng nội dung và giải phong cách cho vận
            động viên lớn tuổi nhất. Giải là dịp để đoàn viên rèn luyện sức khỏe, tăng cường giao
            lưu giữa các đơn vị.</p>
        """,
        byline="Hoàng Long",
        motif="court",
        caption="Trận chung kết nội dung đôi nam nữ môn bóng bàn",
    ),
    DemoPost(
        title="Kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam",
        category=NEWS,
        when=(2024, 7, 26, 10, 30),
        featured=True,
        lead="""
            Công đoàn Bộ Nội vụ tổ chức gặp mặt kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam
            (28/7/1929 - 28/7/2024), ôn lại truyền thống vẻ vang của giai cấp công nhân và tổ chức
            Công đoàn Việt Nam.
        """,
        body="""
            <p>Ngày 28/7/1929, Tổng Công hội Đỏ Bắc Kỳ, tổ chức tiền thân của Công đoàn Việt Nam,
            được thành lập tại Hà Nội. Trải qua 95 năm, tổ chức công đoàn luôn đồng hành cùng người
            lao động trong sự nghiệp đấu tranh giải phóng dân tộc, xây dựng và bảo vệ Tổ quốc.</p>
            <p>Tại buổi gặp mặt, các đại biểu cùng nhìn lại chặng đường hoạt động của Công đoàn Bộ
            Nội vụ, từ những ngày đầu với số ít đoàn viên đến nay đã có mặt ở tất cả các đơn vị
            trực thuộc Bộ.</p>
            <p>Dịp này, Công đoàn Bộ biểu dương các cán bộ công đoàn cơ sở có nhiều năm gắn bó, tận
            tụy với công tác công đoàn và phát động đợt thi đua thực hiện Nghị quyết Đại hội XIII
            Công đoàn Việt Nam.</p>
        """,
        byline="Minh Châu",
        motif="star",
        caption="Gặp mặt kỷ niệm 95 năm Ngày thành lập Công đoàn Việt Nam",
    ),
    DemoPost(
        title="Đoàn viên có thể gửi đề nghị hỗ trợ trực tuyến trên Cổng thông tin",
        category=NEWS,
        when=(2025, 9, 15, 8, 0),
        featured=True,
        lead="""
            Từ nay, đoàn viên không cần nộp hồ sơ giấy: đề nghị hỗ trợ được gửi và theo dõi ngay
            trên Cổng thông tin của Công đoàn Bộ Nội vụ.
        """,
        body="""
            <p>Để việc hỗ trợ đến với đoàn viên nhanh hơn, Công đoàn Bộ đưa vào sử dụng chức năng
            gửi đề nghị hỗ trợ trực tuyến. Đoàn viên đăng nhập bằng tài khoản được công đoàn cơ sở
            cấp và làm theo các bước:</p>
            <ol>
            <li>vào mục <a href="/doan-vien/de-nghi-ho-tro/moi/">Gửi đề nghị hỗ trợ</a>;</li>
            <li>chọn loại hỗ trợ (ốm đau, thai sản, hoàn cảnh khó khăn...), ghi rõ hoàn cảnh và
            đính kèm giấy tờ liên quan nếu có;</li>
            <li>gửi đề nghị và theo dõi trạng thái xử lý trong khu vực dành cho đoàn viên.</li>
            </ol>
            <p>Đề nghị được chuyển đến cán bộ công đoàn cơ sở của đoàn viên để xem xét. Thông tin
            cá nhân và giấy tờ kèm theo chỉ cán bộ có thẩm quyền được xem, không công khai trên
            Cổng thông tin.</p>
            <p>Nếu gặp khó khăn khi sử dụng, đoàn viên liên hệ công đoàn cơ sở hoặc Văn phòng Công
            đoàn Bộ để được hướng dẫn.</p>
        """,
        byline="Ban Biên tập",
        motif="circles",
        caption="Gửi đề nghị hỗ trợ trực tuyến trên Cổng thông tin",
    ),
    DemoPost(
        title="Trao quà Tết Bính Ngọ 2026 cho đoàn viên có hoàn cảnh khó khăn",
        category=CARE,
        when=(2026, 2, 5, 14, 30),
        lead="""
            Trước Tết Nguyên đán Bính Ngọ 2026, Công đoàn Bộ Nội vụ cùng các công đoàn cơ sở
            thăm hỏi, trao quà cho đoàn viên có hoàn cảnh khó khăn và đoàn viên diện chính sách.
        """,
        body="""
            <p>Thực hiện kế hoạch chăm lo Tết cho đoàn viên, các công đoàn cơ sở đã rà soát, lập
            danh sách từ đầu tháng 1, ưu tiên đoàn viên có hoàn cảnh đặc biệt khó khăn, đoàn viên
            bị bệnh hiểm nghèo và gia đình chính sách.</p>
            <p>Các đoàn công tác của Công đoàn Bộ đã đến thăm, trao quà tận nhà cho một số đoàn viên
            đang điều trị bệnh dài ngày, gửi lời chúc một mùa xuân ấm áp, sớm bình phục.</p>
            <p>Toàn bộ các khoản thăm hỏi, tặng quà được ghi nhận trên hệ thống quản lý của Công
            đoàn Bộ, bảo đảm công khai, minh bạch và thuận tiện cho việc tổng hợp, báo cáo.</p>
        """,
        byline="Thu Trang",
        motif="blossoms",
        caption="Trao quà Tết Bính Ngọ 2026 cho đoàn viên",
    ),
]

# Published, with a publish time 30 days after the first load: it shows as scheduled.
SCHEDULED_POST = DemoPost(
    title='Phát động giải chạy trực tuyến "Đoàn viên khỏe, cơ quan vững"',
    category=CULTURE,
    when=None,
    lead="""
        Công đoàn Bộ Nội vụ phát động giải chạy trực tuyến dành cho đoàn viên, kéo dài bốn tuần,
        khuyến khích mỗi người hình thành thói quen vận động đều đặn.
    """,
    body="""
        <p>Giải chạy được tổ chức theo hình thức trực tuyến: đoàn viên tự chạy hoặc đi bộ ở bất kỳ
        đâu, ghi lại quãng đường bằng ứng dụng trên điện thoại và gửi kết quả về Ban Tổ chức.</p>
        <p>Mỗi đoàn viên đăng ký theo công đoàn cơ sở của mình. Ban Tổ chức xếp hạng cá nhân theo
        tổng quãng đường và xếp hạng tập thể theo tỷ lệ đoàn viên tham gia.</p>
        <p>Với mỗi ki-lô-mét đoàn viên hoàn thành, Công đoàn Bộ trích một khoản kinh phí đưa vào
        quỹ hỗ trợ đoàn viên có hoàn cảnh khó khăn.</p>
        <p>Thể lệ chi tiết và mẫu đăng ký được gửi tới các công đoàn cơ sở.</p>
    """,
    byline="Ban Biên tập",
    motif="waves",
    caption="Giải chạy trực tuyến dành cho đoàn viên",
)

# A draft an editor is still writing: never published.
DRAFT_POST = DemoPost(
    title="Kế hoạch tổ chức Ngày hội Gia đình đoàn viên",
    category=UNION,
    when=None,
    lead="""
        Công đoàn Bộ dự kiến tổ chức Ngày hội Gia đình đoàn viên với các hoạt động văn nghệ, thể
        thao và trò chơi cho thiếu nhi.
    """,
    body="""
        <p>Ngày hội là dịp để đoàn viên và gia đình giao lưu, gắn bó với cơ quan. Chương trình dự
        kiến gồm ba phần: hội thi gia đình khéo tay, các trò chơi vận động cho cả nhà và chương
        trình văn nghệ do đoàn viên biểu diễn.</p>
        <p>Thời gian, địa điểm và kinh phí sẽ được bổ sung sau khi Ban Thường vụ cho ý kiến.</p>
        <p>Các công đoàn cơ sở đăng ký số gia đình tham gia và tiết mục văn nghệ theo mẫu gửi
        kèm.</p>
    """,
    byline="Ban Biên tập",
    motif="circles",
    caption="Ngày hội Gia đình đoàn viên",
)


# --- Cover pictures -------------------------------------------------------------------------

COVER_SIZE = (1600, 900)  # the JPEG's size in pixels
CANVAS = (1600, 900)  # the coordinates the motifs are drawn in, scaled to COVER_SIZE
BLUE = (0x0B, 0x4A, 0x8F)
NAVY = (0x06, 0x2A, 0x52)
RED = (0xC8, 0x10, 0x2E)
DARK_RED = (0x7A, 0x0A, 0x1C)
GOLD = (0xF5, 0xC5, 0x18)
WHITE = (0xFF, 0xFF, 0xFF)

# (first colour, second colour, how the alt text names the gradient)
PALETTES = [
    (NAVY, BLUE, "xanh lam thẫm sang xanh lam"),
    (BLUE, RED, "xanh lam sang đỏ"),
    (RED, DARK_RED, "đỏ sang đỏ thẫm"),
    (BLUE, NAVY, "xanh lam sang xanh lam thẫm"),
]


def _gradient(rng, first, second, size):
    """A linear gradient at a random angle, computed small and scaled up (fast, and smooth)."""
    w, h = 160, 90
    angle = rng.uniform(0, 2 * math.pi)
    dx, dy = math.cos(angle), math.sin(angle)
    values = [x / w * dx + y / h * dy for y in range(h) for x in range(w)]
    low, high = min(values), max(values)
    mask = Image.new("L", (w, h))
    mask.putdata([round(255 * (v - low) / (high - low)) for v in values])
    mask = mask.resize(size, Image.Resampling.BILINEAR)
    return Image.composite(Image.new("RGB", size, second), Image.new("RGB", size, first), mask)


class _Scaled:
    """ImageDraw for the motifs: they draw in CANVAS coordinates, this scales to the picture."""

    def __init__(self, draw, scale):
        self.draw, self.scale = draw, scale

    def _xy(self, xy):
        if xy and isinstance(xy[0], (tuple, list)):
            return [(x * self.scale, y * self.scale) for x, y in xy]
        return [v * self.scale for v in xy]

    def _width(self, width):
        return max(1, round(width * self.scale))

    def ellipse(self, xy, **kwargs):
        self.draw.ellipse(self._xy(xy), **kwargs)

    def polygon(self, xy, **kwargs):
        self.draw.polygon(self._xy(xy), **kwargs)

    def rectangle(self, xy, width=1, **kwargs):
        self.draw.rectangle(self._xy(xy), width=self._width(width), **kwargs)

    def line(self, xy, width=1, **kwargs):
        self.draw.line(self._xy(xy), width=self._width(width), **kwargs)


def _star_points(cx, cy, outer, inner, rotation=-math.pi / 2):
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = rotation + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return points


def _tint(colour, alpha):
    return (*colour, alpha)


def _draw_blossoms(draw, rng):
    w, h = CANVAS
    for _ in range(rng.randint(8, 12)):
        cx, cy = rng.uniform(80, w - 80), rng.uniform(80, h - 80)
        r = rng.uniform(45, 110)
        colour = _tint(rng.choice([GOLD, GOLD, WHITE]), rng.randint(170, 230))
        turn = rng.uniform(0, 2 * math.pi)
        for i in range(5):
            a = turn + i * 2 * math.pi / 5
            px, py = cx + 0.55 * r * math.cos(a), cy + 0.55 * r * math.sin(a)
            pr = 0.45 * r
            draw.ellipse((px - pr, py - pr, px + pr, py + pr), fill=colour)
        cr = 0.2 * r
        draw.ellipse((cx - cr, cy - cr, cx + cr, cy + cr), fill=_tint(RED, 230))


def _draw_star(draw, rng):
    w, h = CANVAS
    cx, cy = rng.uniform(0.35, 0.65) * w, rng.uniform(0.4, 0.6) * h
    for i in range(24):
        a = i * 2 * math.pi / 24
        draw.line(
            (cx, cy, cx + 1400 * math.cos(a), cy + 1400 * math.sin(a)),
            fill=_tint(GOLD, 45),
            width=14,
        )
    outer = rng.uniform(220, 290)
    draw.polygon(_star_points(cx, cy, outer, outer * 0.382), fill=_tint(GOLD, 245))


def _draw_circles(draw, rng):
    w, h = CANVAS
    for _ in range(rng.randint(16, 26)):
        cx, cy, r = rng.uniform(0, w), rng.uniform(0, h), rng.uniform(40, 230)
        colour = _tint(rng.choice([GOLD, WHITE]), rng.randint(40, 120))
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)


def _draw_waves(draw, rng):
    w, h = CANVAS
    for i in range(rng.randint(4, 6)):
        base = h * (0.3 + 0.12 * i)
        amplitude, length = rng.uniform(30, 80), rng.uniform(500, 900)
        phase, thickness = rng.uniform(0, 2 * math.pi), rng.uniform(30, 70)
        top = [
            (x, base + amplitude * math.sin(x / length * 2 * math.pi + phase))
            for x in range(0, w + 41, 40)
        ]
        bottom = [(x, y + thickness) for x, y in reversed(top)]
        colour = _tint(GOLD if i % 2 == 0 else WHITE, rng.randint(70, 150))
        draw.polygon(top + bottom, fill=colour)


def _heart(cx, cy, size):
    points = []
    for i in range(48):
        t = i * 2 * math.pi / 48
        x = 16 * math.sin(t) ** 3
        y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
        points.append((cx + x * size / 16, cy - y * size / 16))
    return points


def _draw_hearts(draw, rng):
    w, h = CANVAS
    for _ in range(rng.randint(6, 10)):
        cx, cy, size = rng.uniform(100, w - 100), rng.uniform(100, h - 100), rng.uniform(50, 140)
        colour = _tint(rng.choice([GOLD, WHITE]), rng.randint(150, 230))
        draw.polygon(_heart(cx, cy, size), fill=colour)


def _draw_moon(draw, rng):
    w, h = CANVAS
    cx, cy, r = rng.uniform(0.55, 0.75) * w, rng.uniform(0.3, 0.45) * h, rng.uniform(170, 220)
    for glow in range(6, 0, -1):
        g = r + glow * 18
        draw.ellipse((cx - g, cy - g, cx + g, cy + g), fill=_tint(GOLD, 18))
    draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=_tint(GOLD, 250))
    for _ in range(rng.randint(12, 20)):
        sx, sy, s = rng.uniform(40, w - 40), rng.uniform(40, h - 40), rng.uniform(10, 26)
        if math.hypot(sx - cx, sy - cy) > r + 60:
            draw.polygon(_star_points(sx, sy, s, s * 0.4), fill=_tint(WHITE, 220))


def _draw_bars(draw, rng):
    w, h = CANVAS
    count = rng.randint(6, 8)
    step = (w - 240) / count
    tops = []
    height = rng.uniform(0.15, 0.25) * h
    for i in range(count):
        height += rng.uniform(0.04, 0.1) * h
        x0 = 120 + i * step + step * 0.15
        x1 = 120 + (i + 1) * step - step * 0.15
        y0 = h - 90 - height
        draw.rectangle((x0, y0, x1, h - 90), fill=_tint(GOLD if i % 2 else WHITE, 200))
        tops.append(((x0 + x1) / 2, y0 - 40))
    draw.line(tops, fill=_tint(WHITE, 230), width=8)
    for x, y in tops:
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=_tint(GOLD, 255))
    draw.rectangle((100, h - 90, w - 100, h - 84), fill=_tint(WHITE, 220))


def _draw_court(draw, rng):
    w, h = CANVAS
    line = _tint(WHITE, 210)
    x0, y0, x1, y1 = 160, 140, w - 160, h - 140
    draw.rectangle((x0, y0, x1, y1), outline=line, width=10)
    draw.line(((x0 + x1) / 2, y0, (x0 + x1) / 2, y1), fill=line, width=10)
    draw.line((x0, (y0 + y1) / 2, x1, (y0 + y1) / 2), fill=_tint(WHITE, 120), width=6)
    draw.rectangle((x0 + 180, y0, x1 - 180, y1), outline=_tint(WHITE, 120), width=6)
    bx, by, r = rng.uniform(0.25, 0.75) * w, rng.uniform(0.3, 0.7) * h, rng.uniform(55, 80)
    draw.ellipse((bx - r, by - r, bx + r, by + r), fill=_tint(GOLD, 250))


def _draw_book(draw, rng):
    w, h = CANVAS
    cx, cy = rng.uniform(0.4, 0.6) * w, rng.uniform(0.48, 0.56) * h
    pw, ph, lift = 420, 440, 40
    left = [
        (cx, cy - ph / 2 + lift),
        (cx - pw, cy - ph / 2),
        (cx - pw, cy + ph / 2),
        (cx, cy + ph / 2 + lift),
    ]
    right = [
        (cx, cy - ph / 2 + lift),
        (cx + pw, cy - ph / 2),
        (cx + pw, cy + ph / 2),
        (cx, cy + ph / 2 + lift),
    ]
    draw.polygon(left, fill=_tint(WHITE, 235))
    draw.polygon(right, fill=_tint(WHITE, 220))
    for i in range(1, 9):
        y = cy - ph / 2 + i * ph / 10
        for sign in (-1, 1):
            x_far = cx + sign * (pw - 50)
            draw.line(
                (cx + sign * 40, y + lift * 0.9, x_far, y + lift * 0.1),
                fill=_tint(GOLD, 230),
                width=7,
            )
    draw.line((cx, cy - ph / 2 + lift, cx, cy + ph / 2 + lift), fill=_tint(NAVY, 200), width=6)


# motif: (drawing function, how the alt text names what it shows)
MOTIFS = {
    "blossoms": (_draw_blossoms, "những bông hoa mai năm cánh màu vàng, trắng cách điệu"),
    "star": (_draw_star, "ngôi sao vàng năm cánh lớn tỏa những tia sáng"),
    "circles": (_draw_circles, "nhiều vòng tròn màu vàng và trắng trong suốt đan xen"),
    "waves": (_draw_waves, "những dải sóng màu vàng và trắng uốn lượn"),
    "hearts": (_draw_hearts, "những hình trái tim màu vàng và trắng"),
    "moon": (_draw_moon, "vầng trăng tròn màu vàng giữa những ngôi sao nhỏ"),
    "bars": (_draw_bars, "các cột biểu đồ màu vàng và trắng cao dần từ trái sang phải"),
    "court": (_draw_court, "đường kẻ sân thi đấu màu trắng và một quả bóng vàng"),
    "book": (_draw_book, "cuốn sách mở cách điệu với những dòng kẻ màu vàng"),
}


def cover_image(slug, motif):
    """A JPEG cover for a post, the same for the same slug, and its honest alt text."""
    size = COVER_SIZE
    seed = int.from_bytes(hashlib.sha256(slug.encode()).digest()[:8], "big")
    rng = random.Random(seed)  # noqa: S311 - drawing shapes, not security
    first, second, palette_name = rng.choice(PALETTES)
    picture = _gradient(rng, first, second, size).convert("RGBA")
    draw_motif, motif_name = MOTIFS[motif]
    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    draw_motif(_Scaled(ImageDraw.Draw(layer), size[0] / CANVAS[0]), rng)
    # A soft shadow under the motif, blurred at a quarter of the size (much faster).
    small = (max(1, size[0] // 4), max(1, size[1] // 4))
    shade = layer.getchannel("A").point(lambda a: a // 3).resize(small, Image.Resampling.BILINEAR)
    shade = shade.filter(ImageFilter.GaussianBlur(3)).resize(size, Image.Resampling.BILINEAR)
    shadow = Image.new("RGBA", size, (0, 0, 0, 0))
    shadow.putalpha(shade)
    picture = Image.alpha_composite(Image.alpha_composite(picture, shadow), layer)
    out = io.BytesIO()
    picture.convert("RGB").save(out, "JPEG", quality=85, optimize=True, progressive=True)
    alt = f"Hình minh họa: {motif_name} trên nền chuyển sắc {palette_name}."
    return out.getvalue(), alt


# --- Loading --------------------------------------------------------------------------------


def load_categories():
    """Create the demo categories that are missing; an existing one (by slug) is left as it is."""
    created = 0
    categories = {}
    for spec in CATEGORIES:
        # By slug; by name too, in case someone changed the slug of a demo category.
        category = (
            Category.objects.filter(slug=spec.slug).first()
            or Category.objects.filter(name=spec.name).first()
        )
        if category is None:
            category = Category.objects.create(
                name=spec.name,
                description=spec.description,
                order=spec.order,
                show_in_navigation=spec.show_in_navigation,
                show_on_home=spec.show_on_home,
            )
            created += 1
        categories[spec.slug] = category
    return categories, created


def _slug_taken(slug):
    return (
        Post.objects.filter(slug=slug).exists()
        or PostSlugHistory.objects.filter(slug=slug).exists()
    )


def _create_post(spec, category, *, editor, chief_editor, published_at, now):
    """Create one post as the newsroom would: the editor drafts it, the chief editor publishes.

    A post published in the past gets a history (and created/updated times) from its own dates:
    drafted three hours before it went out, published at its publish time.
    """
    past = published_at is not None and published_at <= now
    drafted_at = published_at - timedelta(hours=3) if past else now
    post = Post(
        title=spec.title,
        slug=spec.slug,
        category=category,
        lead=_text(spec.lead),
        body=_html(spec.body),
        byline=spec.byline,
        featured=spec.featured,
        status=Post.Status.DRAFT,
        created_by=editor,
    )
    data, alt = cover_image(spec.slug, spec.motif)
    post.cover_image.save(f"{spec.slug[:80]}.jpg", ContentFile(data), save=False)
    post.cover_alt = alt
    post.cover_caption = f"{spec.caption} (ảnh minh họa)."
    post._history_user = editor
    post._change_reason = "Tạo bản nháp"
    post._history_date = drafted_at
    post.save()
    if published_at is None:
        return post
    post.status = Post.Status.PUBLISHED
    post.published_at = published_at
    post.first_published_at = published_at
    post._history_user = chief_editor
    post._change_reason = "Xuất bản" if past else "Lên lịch xuất bản"
    post._history_date = published_at if past else now
    post.save()
    if past:
        Post.objects.filter(pk=post.pk).update(created_at=drafted_at, updated_at=published_at)
    return post


def load_news(*, editor, chief_editor, now=None):
    """Load the demo categories and posts; idempotent. Returns what was created.

    ``editor`` writes every post; ``chief_editor`` publishes them. Posts are keyed by slug and an
    existing one is never touched, so the scheduled post keeps the publish time of the first load.
    """
    now = now or timezone.now()
    categories, categories_created = load_categories()
    created = []
    planned = [(spec, datetime(*spec.when, tzinfo=TZ)) for spec in POSTS]
    planned.append((SCHEDULED_POST, now + SCHEDULED_AFTER))
    planned.append((DRAFT_POST, None))
    for spec, published_at in planned:
        if _slug_taken(spec.slug):
            continue
        created.append(
            _create_post(
                spec,
                categories[spec.category],
                editor=editor,
                chief_editor=chief_editor,
                published_at=published_at,
                now=now,
            )
        )
    return {
        "categories_created": categories_created,
        "posts_created": len(created),
        "posts_existing": len(planned) - len(created),
    }
