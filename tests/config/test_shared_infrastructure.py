"""The shared infrastructure's guards (config/common, config/web): what a view or a form
gets when it is used where it was not meant to be. Each would otherwise be a crash
further on, far from its cause."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request

from config.common.users import signed_in_user
from config.web.forms import form_field


def test_an_anonymous_request_is_401_in_the_api_and_403_elsewhere():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()

    with pytest.raises(NotAuthenticated):
        signed_in_user(Request(request))
    with pytest.raises(PermissionDenied):
        signed_in_user(request)


class ChoiceForm(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A")])


def test_a_form_field_is_returned_as_its_own_class_or_refused():
    form = ChoiceForm()

    assert form_field(form, "kind", forms.ChoiceField) is form.fields["kind"]
    with pytest.raises(TypeError, match=r"ChoiceForm\.kind is not a DateField"):
        form_field(form, "kind", forms.DateField)
