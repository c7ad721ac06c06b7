"""Load the demo data built on the seed article: idempotent, one transaction.

    python manage.py load_demo [--password PW]

With DEBUG off the demo accounts are refused unless --password is given, so a production database
never gets accounts with a published password by accident.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from news import demo as news_demo
from portal import demo
from unions import demo as unions_demo
from welfare import demo as welfare_demo


class Command(BaseCommand):
    help = (
        "Tải dữ liệu mẫu (tài khoản, công đoàn, đoàn viên, hỗ trợ, quyên góp, bài viết) "
        "dựng từ bài viết gốc. "
        "Chạy lại không thay đổi gì."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            help="Mật khẩu cho các tài khoản mẫu (bắt buộc khi DEBUG tắt).",
        )

    def handle(self, *args, password=None, **options):
        if password is None:
            if not settings.DEBUG:
                raise CommandError(
                    "DEBUG đang tắt: không tạo tài khoản mẫu với mật khẩu mặc định. "
                    "Hãy chỉ định --password."
                )
            password = demo.DEFAULT_PASSWORD
        if len(password) < 10:
            raise CommandError("Mật khẩu của tài khoản mẫu phải có ít nhất 10 ký tự.")

        with transaction.atomic():
            demo.load_site_settings()
            accounts = demo.load_accounts(password)
            users = {account.username: user for account, user in accounts}
            unions = unions_demo.load_unions(
                officer_ministry=users["canbo"],
                officer_grassroots=users["canbo_cs"],
                member_user=users["doanvien"],
            )
            welfare = welfare_demo.load_welfare(
                officer_ministry=users["canbo"],
                officer_grassroots=users["canbo_cs"],
                member_user=users["doanvien"],
            )
            news = news_demo.load_news(editor=users["bientap"], chief_editor=users["truongban"])

        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tải dữ liệu mẫu: {unions['members_created']} đoàn viên mới "
                f"({unions['members_existing']} đã có), {welfare['aid_records_created']} khoản "
                f"hỗ trợ và {welfare['contributions_created']} khoản quyên góp mới, "
                f"{news['posts_created']} bài viết mới "
                f"({news['posts_existing']} đã có)."
            )
        )
        self.stdout.write(f"Tài khoản mẫu (mật khẩu: {password}):")
        for account, user in accounts:
            self.stdout.write(f"  {user.username:<10} {account.description}")
