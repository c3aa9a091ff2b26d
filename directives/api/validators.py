from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from directives.models import Directive, DirectiveKind
from tracker.api.validators import TaskFieldsInput


class DirectiveInput(serializers.Serializer):
    number = serializers.CharField(max_length=64)
    kind = serializers.ChoiceField(choices=DirectiveKind.choices)
    title = serializers.CharField(max_length=500)
    issued_on = serializers.DateField()
    signer = serializers.CharField(max_length=200)
    summary = serializers.CharField(required=False, allow_blank=True, default="")
    tasks = TaskFieldsInput(many=True, required=False, default=list)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        number = attrs.get("number", getattr(self.instance, "number", None))
        issued_on = attrs.get("issued_on", getattr(self.instance, "issued_on", None))
        same = Directive.objects.filter(number=number, issued_year=issued_on.year)
        if self.instance is not None:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise serializers.ValidationError(
                {
                    "number": [
                        _("A directive numbered %(number)s was already issued in %(year)d.")
                        % {"number": number, "year": issued_on.year}
                    ]
                }
            )
        return attrs


class DirectiveUpdateInput(DirectiveInput):
    tasks = None
