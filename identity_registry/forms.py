"""What every form of the screens shares with the API inputs (identity_registry.inputs)."""

from typing import Any

from identity_registry.inputs import BIDI_MESSAGE, has_bidi_control


class SafeTextFormMixin:
    """Refuse, field by field, any text holding a Unicode bidirectional control (issue 8 item 8).

    Checked right after each field is cleaned, before the form's own ``clean()`` and before any service runs.
    """

    cleaned_data: dict[str, Any]

    def _clean_fields(self) -> None:
        super()._clean_fields()  # type: ignore[misc]
        for name, value in list(self.cleaned_data.items()):
            if has_bidi_control(value):
                self.add_error(name, BIDI_MESSAGE)  # type: ignore[attr-defined]
