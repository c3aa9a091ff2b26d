"""Factories that build through the project's services, so test data obeys the same rules
as data entered through the API."""

import datetime as dt

import factory

from directives.models import Directive, DirectiveKind
from directives.services import directive_create
from tracker.models import Department, DepartmentKind, Role, Task, User
from tracker.services.departments import department_create
from tracker.services.tasks import task_create
from tracker.services.users import user_create

PASSWORD = "Đôn-đốc-2026!"


class DepartmentFactory(factory.Factory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = DepartmentKind.SO

    @classmethod
    def _create(cls, model_class: type, **kwargs: object) -> Department:
        return department_create(**kwargs)


class UserFactory(factory.Factory):
    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    role = Role.OFFICE
    department = None
    password = PASSWORD

    @classmethod
    def _create(cls, model_class: type, **kwargs: object) -> User:
        return user_create(**kwargs)


class DirectiveFactory(factory.Factory):
    class Meta:
        model = Directive

    number = factory.Sequence(lambda n: f"{n + 1}/TB-UBND")
    kind = DirectiveKind.THONG_BAO_KET_LUAN
    title = factory.Sequence(lambda n: f"Kết luận của Chủ tịch UBND tỉnh tại cuộc họp số {n}")
    issued_on = dt.date(2026, 3, 2)
    signer = "Nguyễn Văn An"

    @classmethod
    def _create(cls, model_class: type, **kwargs: object) -> Directive:
        return directive_create(actor=None, **kwargs)


class TaskFactory(factory.Factory):
    class Meta:
        model = Task

    directive = factory.SubFactory(DirectiveFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ {n}")
    lead_department = factory.SubFactory(DepartmentFactory)
    assigned_on = dt.date(2026, 3, 2)
    deadline = dt.date(2026, 4, 30)

    @classmethod
    def _create(cls, model_class: type, **kwargs: object) -> Task:
        return task_create(actor=None, **kwargs)
