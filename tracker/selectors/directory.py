"""Departments and users: who exists and who may see whom."""

from django.db.models import QuerySet

from tracker.models import Department, User


def department_list() -> QuerySet[Department]:
    return Department.objects.select_related("parent", "head", "supervising_leader")


def user_list() -> QuerySet[User]:
    return User.objects.select_related("department").order_by("username")
