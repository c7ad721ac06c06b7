"""factory_boy factories shared by the tests of every app."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from portal import roles

PASSWORD = "mat-khau-thu-nghiem-2020"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    first_name = "An"
    last_name = "Nguyễn Văn"
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.gov.vn")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[roles.EDITOR])`` puts the user in those role groups."""
        if not create or not extracted:
            return
        roles.sync_role_groups()
        self.groups.set(Group.objects.filter(name__in=[roles.GROUP_NAMES[r] for r in extracted]))
        if roles.STAFF_ROLES & set(extracted):
            self.is_staff = True
        self.save()


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "news.Category"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Chuyên mục {n}")
    show_on_home = True


class PostFactory(factory.django.DjangoModelFactory):
    """A live post by default; ``PostFactory(draft=True)`` or ``status=...`` for others."""

    class Meta:
        model = "news.Post"

    class Params:
        draft = factory.Trait(status="draft", published_at=None, first_published_at=None)

    title = factory.Sequence(lambda n: f"Hoạt động công đoàn số {n}")
    category = factory.SubFactory(CategoryFactory)
    lead = "Công đoàn Bộ tổ chức hoạt động chăm lo cho đoàn viên."
    body = "<p>Nội dung bài viết về đoàn viên công đoàn.</p>"
    byline = "Ban Biên tập"
    status = "published"
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    first_published_at = factory.SelfAttribute("published_at")


class BranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "unions.Branch"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"CDCS{n:03d}")
    name = factory.Sequence(lambda n: f"Công đoàn cơ sở số {n}")
    level = "grassroots"


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "unions.Member"

    card_number = factory.Sequence(lambda n: f"DV{n:06d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    gender = "male"
    date_of_birth = datetime.date(1985, 5, 17)
    branch = factory.SubFactory(BranchFactory)
    category = "civil_servant"
    joined_on = datetime.date(2010, 3, 1)
    phone = "0912345678"
    email = factory.LazyAttribute(lambda m: f"{m.card_number.lower()}@example.gov.vn")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "unions.OfficerAssignment"

    member = factory.SubFactory(MemberFactory)
    branch = factory.SelfAttribute("member.branch")
    position = "chair"
    start_on = datetime.date(2020, 1, 1)


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "welfare.AidProgram"

    code = factory.Sequence(lambda n: f"CT{n:03d}")
    name = factory.Sequence(lambda n: f"Chương trình hỗ trợ {n}")
    kind = "tet_gift"
    branch = factory.SubFactory(BranchFactory)
    starts_on = datetime.date(2020, 1, 1)
    ends_on = datetime.date(2020, 12, 31)
    budget_vnd = 200_000_000
    default_amount_vnd = 1_000_000


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "welfare.Campaign"

    code = factory.Sequence(lambda n: f"VD{n:03d}")
    name = factory.Sequence(lambda n: f"Cuộc vận động {n}")
    slug = factory.Sequence(lambda n: f"cuoc-van-dong-{n}")
    branch = factory.SubFactory(BranchFactory)
    starts_on = datetime.date(2020, 3, 1)
    goal_vnd = 500_000_000
    is_public = True
