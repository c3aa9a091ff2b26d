"""The task pages' forms: the filters of the task list and one form per lifecycle action.
They parse what the page sends; the lifecycle services decide (tracker.services.lifecycle)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from config.common.text import StrOrPromise
from config.web.forms import AccessibleForm, DateField, FastSelect, SearchField, form_field
from tracker.models import TaskStatus
from tracker.selectors.tasks import DUE_SOON, NO_DEADLINE, OVERDUE
from tracker.services.attachments import attachments_check
from tracker.services.lifecycle import NOTE_MAX_LENGTH, REASON_MAX_LENGTH

MAX_FILES = 10
ATTACHMENT_TYPES = ".pdf,.doc,.docx,.xls,.xlsx,.odt,.ods,.jpg,.jpeg,.png"

ALL = "all"  # the state choice that lists closed tasks too; without one, the open ones

# The deadline overlays a list can be narrowed to, as the API's filters name them.
WHEN_CHOICES = [
    ("", _("Any deadline")),
    (OVERDUE, _("Overdue")),
    (DUE_SOON, _("Due soon")),
    (NO_DEADLINE, _("No deadline")),
]


class TaskFilterForm(AccessibleForm):
    """What the list's filter bar shows, each bad value named beside its field; the
    filtering itself is the API's TaskFilter."""

    q = SearchField()
    status = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("Open (not yet completed)")), (ALL, _("Any state")), *TaskStatus.choices],
    )
    when = forms.ChoiceField(label=_("Deadline"), required=False, choices=WHEN_CHOICES)
    directive = forms.ChoiceField(label=_("Directive"), required=False, widget=FastSelect)
    lead_department = forms.ChoiceField(
        label=_("Lead department"), required=False, widget=FastSelect
    )

    def __init__(
        self,
        *args: Any,
        directives: list[tuple[str, str]],
        directive_options_url: str,
        departments: list[tuple[str, str]] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "directive", forms.ChoiceField).choices = [
            ("", _("Any directive")),
            *directives,
        ]
        # The choices a user may pick come in a request of their own once the page is
        # shown (a province's directives are many; the list must not wait for them).
        self.fields["directive"].widget.attrs.update(
            {
                "hx-get": directive_options_url,
                "hx-trigger": "load",
                "hx-target": "this",
                "hx-swap": "innerHTML",
            }
        )
        if departments is None:
            del self.fields["lead_department"]
        else:
            form_field(self, "lead_department", forms.ChoiceField).choices = [
                ("", _("Any department")),
                *departments,
            ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Up to 10 files, each checked by its content as the API checks them."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ATTACHMENT_TYPES}))
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text",
            _("Up to 10 files: pdf, doc, docx, xls, xlsx, odt, ods, jpg, png."),
        )
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        items = data if isinstance(data, list | tuple) else [data]
        files = [f for f in (super(AttachmentsField, self).clean(i, initial) for i in items) if f]
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("Attach at most %(max)d files.") % {"max": MAX_FILES}, code="max_files"
            )
        try:
            attachments_check(files)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["attachments"]) from exc
        return files


class ActionForm(AccessibleForm):
    """Every action form carries the version of the task its page showed (412 when stale)
    and where to go back to."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


def _text(
    label: StrOrPromise, max_length: int, required: bool = True, rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class ProgressForm(ActionForm):
    note = _text(_("Progress note"), NOTE_MAX_LENGTH)
    percent = forms.IntegerField(
        label=_("Percent done"), required=False, min_value=0, max_value=100
    )
    attachments = AttachmentsField(label=_("Files"))


class CompletionForm(ActionForm):
    completed_on = DateField(label=_("Completed on"))
    result = _text(_("Result"), NOTE_MAX_LENGTH)
    attachments = AttachmentsField(label=_("Evidence files"))


class ExtensionForm(ActionForm):
    requested_deadline = DateField(label=_("New deadline asked for"))
    reason = _text(_("Reason"), REASON_MAX_LENGTH)


class ReasonForm(ActionForm):
    reason = _text(_("Reason"), REASON_MAX_LENGTH, rows=3)


class AcceptForm(ActionForm):
    pass


class DecisionForm(ActionForm):
    note = _text(_("Note (optional)"), REASON_MAX_LENGTH, required=False, rows=2)
