"""Enums that carry their own translated label, so a state and its name never drift apart."""

import enum


class LabelledEnum(enum.StrEnum):
    """A string enum whose members are declared as ``name = "value", lazy_gettext("Label")``."""

    def __new__(cls, value: str, label=None):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label if label is not None else value
        return member

    def __str__(self) -> str:
        return self.value

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        return [(member.value, member.label) for member in cls]
