"""Whose indicators a user may read (API.md: office, leaders and scoring integrations read
every department; a department reads its own row)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from tracker.models import Department, User


def indicator_departments(user: User, requested: Department | None) -> QuerySet[Department]:
    """The departments of the user's indicators: every one (inactive ones too), or the one
    asked for. A department member reads its own only; asking for another is refused."""
    if user.is_department_member:
        if requested is not None and requested.pk != user.department_id:
            raise PermissionDenied(_("A department may read only its own indicators."))
        if user.department_id is None:  # never: a department role has one (a constraint)
            return Department.objects.none()
        return Department.objects.filter(pk=user.department_id)
    if requested is not None:
        return Department.objects.filter(pk=requested.pk)
    return Department.objects.all()
