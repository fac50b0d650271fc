"""Serializer fields for dictionary values: the stable key and its fixed Chinese label.

Every choice value goes out twice, e.g. ``"case_kind": "promised"`` and ``"case_kind_label": "承诺件"``.
`EnumField` documents the key as a named enum component taken from the Choices class
(``CaseKindEnum``, ``LimitUnitEnum`` …), so a choice set shared by several fields has one name in
the schema and never needs an ENUM_NAME_OVERRIDES entry.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent, build_choice_description_list
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class EnumField(serializers.ChoiceField):
    """The key of a dictionary value (read only)."""

    def __init__(self, choices_class: type[models.Choices], **kwargs: Any) -> None:
        self.choices_class = choices_class
        kwargs["read_only"] = True
        super().__init__(choices=choices_class.choices, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class LabelField(serializers.Field):
    """The Chinese label of a dictionary value; an unknown or blank key is shown as it is."""

    def __init__(self, choices_class: type[models.Choices], **kwargs: Any) -> None:
        self.labels = {value: str(label) for value, label in choices_class.choices}
        kwargs["read_only"] = True
        kwargs.setdefault("help_text", "中文名称")
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return self.labels.get(value, str(value))


class EnumFieldExtension(OpenApiSerializerFieldExtension):
    target_class = EnumField

    def map_serializer_field(self, auto_schema, direction):
        field: EnumField = self.target
        choices = field.choices_class.choices
        values = [value for value, _label in choices]
        is_int = all(isinstance(value, int) for value in values)
        schema = {
            "type": "integer" if is_int else "string",
            "enum": values,
            "description": build_choice_description_list(choices),
        }
        component = ResolvedComponent(
            name=f"{field.choices_class.__name__}Enum",
            type=ResolvedComponent.SCHEMA,
            object=field.choices_class,
            schema=schema,
        )
        auto_schema.registry.register_on_missing(component)
        if field.allow_blank and "" not in values:
            # The component is one per Choices class, shared by blank and non-blank fields alike, so a
            # field that may be blank says so itself (the "" once put into the component was lost
            # whenever a non-blank field of the same class registered it first: CaseStatusEnum).
            return {"oneOf": [component.ref, {"type": "string", "enum": [""]}]}
        return component.ref
