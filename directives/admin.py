from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from config.common.admin import RuleCheckedForm
from config.common.users import signed_in_user
from directives.models import Directive, HigherBody
from directives.services import (
    DIRECTIVE_FIELDS,
    directive_create,
    directive_external_id_errors,
    directive_number_errors,
    directive_update,
)
from tracker.models import Task


class TaskInline(admin.TabularInline):
    """Tasks are listed here and edited on their own page, through the task services."""

    model = Task
    fields = ("title", "lead_department", "status", "effective_deadline")
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class DirectiveAdminForm(RuleCheckedForm):
    class Meta:
        model = Directive
        fields = DIRECTIVE_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Most directives are the province's own: left out, the field keeps its default.
        self.fields["higher_body"].required = False

    def clean_higher_body(self) -> str:
        return str(self.cleaned_data.get("higher_body") or HigherBody.NONE)

    def rule_errors(self, data: dict[str, Any]) -> dict[str, list[str]]:
        directive = self.instance if self.instance.pk else None
        return {
            **directive_number_errors(
                number=data.get("number"), issued_on=data.get("issued_on"), directive=directive
            ),
            **directive_external_id_errors(
                external_id=data.get("external_id"), directive=directive
            ),
        }


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    form = DirectiveAdminForm
    list_display = ("number", "kind", "title", "issued_on", "signer")
    list_filter = ("kind", "issued_year", "higher_body")
    search_fields = ("number", "title", "summary")
    date_hierarchy = "issued_on"
    readonly_fields = ("issued_year", "files_list", "created_by", "created_at", "updated_at")
    inlines = (TaskInline,)

    def save_model(
        self, request: HttpRequest, obj: Directive, form: DirectiveAdminForm, change: bool
    ) -> None:
        data = {name: form.cleaned_data[name] for name in DirectiveAdminForm.Meta.fields}
        if change:
            directive_update(directive=Directive.objects.get(pk=obj.pk), data=data)
        else:
            obj.pk = directive_create(actor=signed_in_user(request), **data).pk

    @admin.display(description=_("files"))
    def files_list(self, directive: Directive) -> str:
        """The edXML package's attachments, received with it and never edited here."""
        return ", ".join(
            f"{file.name} ({filesizeformat(file.size)})" for file in directive.files.all()
        )
