"""Forms of the review mechanism: transitions, batches, comments, and the edit lock.

`LockVersionField` / `ReviewableFormMixin` are for the edit forms of every reviewable model: the
form carries the `lock_version` the item was loaded at, so that a stale save is detected by
`review_edit` (see `ReviewableUpdateMixin` in `stakeholders.review_views`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PortalFormMixin

ACTION_CHOICES = [
    ("submit", _("Submit for review")),
    ("approve", _("Approve")),
    ("return", _("Return with a reason")),
    ("share", _("Share for consultation")),
    ("unshare", _("Stop sharing for consultation")),
]


class LockVersionField(forms.IntegerField):
    """The version of the item the form was loaded at (hidden)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("required", True)
        kwargs.setdefault(
            "error_messages",
            {"required": _("The form is incomplete: reload the page and make your change again.")},
        )
        super().__init__(**kwargs)


class ReviewableFormMixin(forms.BaseForm):
    """Add to the edit form of a reviewable model (before `ServiceModelForm` in the bases)."""

    lock_version = LockVersionField()


class TransitionForm(PortalFormMixin, forms.Form):
    """Confirms a transition; `return` needs a reason."""

    reason = forms.CharField(
        label=_("Reason for returning it"),
        help_text=_("Say what should change. Everyone involved in the item receives it."),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action = action
        if action == "return":
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Say why the item is returned, so its editors know what to change."
            )
        else:
            del self.fields["reason"]


class BatchForm(forms.Form):
    """A selection of items of one kind (repeated `ids`) and the transition to apply to all."""

    kind = forms.CharField(max_length=100)
    action = forms.ChoiceField(label=_("Action"), choices=ACTION_CHOICES)
    reason = forms.CharField(label=_("Reason (needed to return items)"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        if not raw:
            raise forms.ValidationError(_("Select at least one item."), code="empty")
        if not all(str(pk).isdigit() for pk in raw):
            raise forms.ValidationError(_("The selection is not valid."), code="invalid")
        cleaned["ids"] = sorted({int(pk) for pk in raw})
        if cleaned.get("action") == "return" and not (cleaned.get("reason") or "").strip():
            self.add_error(
                "reason", _("Say why the items are returned, so their editors know what to change.")
            )
        return cleaned


class CommentForm(PortalFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Comment"),
        help_text=_("You can use Markdown: **bold**, *italic*, lists and links."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=10000,
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].error_messages["required"] = _("Write your comment.")
