"""What every app's admin shares: forms checked by a service's rule (`RuleCheckedForm`),
and readable titles for models whose str() is made of codes ("reminder → 5 (email,
sent)"): the change form, its history, a deletion and the action checkboxes name the
object by `title_of`; the admin of a settings model of one row (`SingletonSettingsAdmin`)."""

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def label_choices_with(field: forms.ModelChoiceField, label: Callable[[Any], str]) -> None:
    """The field's choices named by `label`: Django's hook `label_from_instance`, replaced on
    this one field rather than by a field class of its own."""
    # A method to the stubs, an attribute Django reads at run time.
    field.label_from_instance = label  # type: ignore[method-assign, assignment]


class RuleCheckedForm(forms.ModelForm):
    """An admin form whose rules across fields are a service's error function, the one the
    API and the web pages call (`rule_errors`): its messages stand beside their fields, and
    the fields in `ruled_fields` are not checked a second time by the model's constraints,
    whose messages say less."""

    ruled_fields: tuple[str, ...] = ()

    def rule_errors(self, data: dict[str, Any]) -> Mapping[str, list[str]]:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for field, texts in self.rule_errors(data).items():
            if field not in self.errors:  # a field's own error comes first, alone
                self.add_error(field if field in self.fields else None, texts)
        return data

    def _get_validation_exclusions(self) -> set[str]:
        # Django's own hook of ModelForm, private and absent from the stubs.
        exclusions = super()._get_validation_exclusions()  # type: ignore[misc]
        return {*exclusions, *self.ruled_fields}


class Titled:
    """Stands for an object where the admin's pages print it (title, breadcrumbs, history,
    deletion): the models' str() is made of codes ("reminder → 5 (email, sent)")."""

    def __init__(self, obj: Model, title: str) -> None:
        self.pk, self._meta, self.title = obj.pk, obj._meta, title

    def __str__(self) -> str:
        return self.title


class ReadableTitleAdmin(admin.ModelAdmin):
    def title_of(self, obj: Any) -> str:
        raise NotImplementedError

    def titles(self, objs: Any) -> dict[str, str]:
        """The titles of the objects a deletion lists, by their str()."""
        return {str(obj): self.title_of(obj) for obj in objs}

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = kwargs.get("obj")
        if obj is not None:
            context["subtitle"] = self.title_of(obj)
            context["original"] = Titled(obj, context["subtitle"])
        return super().render_change_form(request, context, *args, **kwargs)

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            titled = Titled(obj, self.title_of(obj))
            title = _("Change history: %s") % titled
            extra_context = {"object": titled, "title": title, **(extra_context or {})}
        return super().history_view(request, object_id, extra_context)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {"object": Titled(obj, self.title_of(obj)), **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, ...]:
        deleted, *rest = super().get_deleted_objects(objs, request)
        titles = {escape(raw): escape(title) for raw, title in self.titles(objs).items()}

        def retitle(item: Any) -> Any:
            if isinstance(item, list):
                return [retitle(part) for part in item]
            for raw, title in titles.items():
                item = item.replace(f">{raw}</a>", f">{title}</a>")
            return item

        return (retitle(deleted), *rest)

    def action_checkbox(self, obj: Any) -> SafeString:
        # Translated now, as format_html reads it at once: the stubs take a str only.
        label = format_html(gettext("Select this object for an action - {}"), self.title_of(obj))
        checkbox = forms.CheckboxInput(
            {"class": "action-select", "aria-label": label}, lambda _v: False
        )
        return checkbox.render(ACTION_CHECKBOX_NAME, str(obj.pk))


class SingletonSettingsAdmin(admin.ModelAdmin):
    """The admin of a settings model of one row: the list opens it directly; it can be added
    only if missing, never deleted; saving it goes through the app's service (`update`,
    given the form's fields as keywords), which creates the row or changes it."""

    update: Callable[..., Model]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        current = self.get_queryset(request).first()
        if current is not None and self.has_view_or_change_permission(request, current):
            opts = self.model._meta
            return HttpResponseRedirect(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[current.pk])
            )
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = type(self).update(**form.cleaned_data)
        obj.pk = saved.pk

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not self.model._default_manager.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
