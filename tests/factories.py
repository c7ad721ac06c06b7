"""factory_boy factories shared by the tests of every app."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

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
