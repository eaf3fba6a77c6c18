"""Writes of data requests: the coordinator asks an organisation for data, the organisation
answers (a note, a CSV or Excel file, observations of the workspace), the coordinator reopens or
cancels.

Who asks: `REQUEST_MANAGE` (Perm.PUBLISH, coordinators only). A request speaks for the edition's
working group to an outside institution, and only the person who may publish the edition
commits the workspace that way; `MANAGE_WORKSPACE` is about the workspace's own settings.

Who answers (DESIGN §3): coordinators for any organisation; editors and contributors
(Perm.ANSWER_REQUESTS) only for the organisation their membership is on behalf of.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.imports import file_kind, xlsx_is_workbook
from indicators.models import Indicator, Observation
from stakeholders.models import Membership, Organisation, User, Workspace
from stakeholders.permissions import Perm, workspace_perms

from ..choices import RequestStatus
from ..models import DataRequest, Edition, Section

REQUEST_MANAGE = Perm.PUBLISH

# Answers are data: tables the indicators app can import (checked from content, not name).
ANSWER_FILE_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _save(request: DataRequest, *, actor: User | None) -> None:
    request.full_clean()
    request._history_user = actor  # type: ignore[attr-defined]
    request.save()


def _require(actor: User, perm: Perm, workspace: Workspace) -> frozenset[Perm]:
    perms = workspace_perms(actor, workspace)
    if perm not in perms:
        raise PermissionDenied
    return perms


def member_organisation_id(user: Any, workspace: Workspace) -> int | None:
    """The organisation `user` is a member of `workspace` on behalf of (None without one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    value = (
        Membership.objects.filter(user=user, workspace=workspace)
        .values_list("organisation_id", flat=True)
        .first()
    )
    return int(value) if value is not None else None


def data_request_may_answer(
    *, request: DataRequest, perms: frozenset[Perm], organisation_id: int | None
) -> bool:
    """May someone holding `perms`, member for `organisation_id`, answer `request`?

    Agrees with `data_request_answer` (which also needs the request to be open)."""
    if REQUEST_MANAGE in perms:
        return True
    return (
        Perm.ANSWER_REQUESTS in perms
        and organisation_id is not None
        and organisation_id == request.organisation_id
    )


@transaction.atomic
def data_request_create(
    *,
    actor: User,
    workspace: Workspace,
    organisation: Organisation,
    what: str,
    due_on: datetime.date,
    period: str = "",
    edition: Edition | None = None,
    section: Section | None = None,
    indicator: Indicator | None = None,
) -> DataRequest:
    """Ask `organisation` for data; a section implies its edition."""
    _require(actor, REQUEST_MANAGE, workspace)
    if section is not None and edition is None:
        edition = section.edition
    if section is not None and edition is not None and section.edition_id != edition.pk:
        raise ValidationError({"section": _("Choose a section of the chosen edition.")})
    if indicator is not None and indicator.workspace_id not in (None, workspace.pk):
        raise ValidationError({"indicator": _("Choose a catalogue indicator or one of yours.")})
    request = DataRequest(
        workspace=workspace,
        organisation=organisation,
        what=(what or "").strip(),
        period=(period or "").strip(),
        due_on=due_on,
        edition=edition,
        section=section,
        indicator=indicator,
        requested_by=actor,
    )
    _save(request, actor=actor)
    return request


@transaction.atomic
def data_request_update(*, actor: User, request: DataRequest, **changes: Any) -> DataRequest:
    """Change what is asked, of whom, by when (open requests only)."""
    _require(actor, REQUEST_MANAGE, request.workspace)
    allowed = {"organisation", "what", "period", "due_on", "edition", "section", "indicator"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be changed here")
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only an open request can be changed. Reopen it first."))
    for name, value in changes.items():
        setattr(request, name, value.strip() if isinstance(value, str) else value)
    _save(request, actor=actor)
    return request


def _check_answer_file(file: Any) -> str:
    """The content type to store for an answer file, or ValidationError on `file`."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if file.size is None or file.size > limit:
        raise ValidationError(
            {
                "answer_file": _("The file is larger than %(limit)s. Upload a smaller file.")
                % {"limit": filesizeformat(limit)}
            }
        )
    if file.size == 0:
        raise ValidationError({"answer_file": _("The file is empty.")})
    extension = PurePath(file.name or "").suffix.lstrip(".").lower()
    if extension not in ANSWER_FILE_TYPES:
        raise ValidationError(
            {"answer_file": _("Upload the data as a CSV or Excel (XLSX) file.")}, code="extension"
        )
    file.seek(0)
    head = file.read(64 * 1024)
    file.seek(0)
    kind = file_kind(head)
    if kind == "xlsx" and not xlsx_is_workbook(file):
        kind = None
    file.seek(0)
    if kind != extension:
        raise ValidationError(
            {
                "answer_file": _(
                    "The file's name ends in .%(extension)s but its content is not a "
                    "%(extension)s file. Check you chose the right file."
                )
                % {"extension": extension.upper()}
            },
            code="content",
        )
    return ANSWER_FILE_TYPES[extension]


@transaction.atomic
def data_request_answer(
    *,
    actor: User,
    request: DataRequest,
    note: str = "",
    file: Any = None,
    observations: Iterable[Observation] = (),
) -> DataRequest:
    """Answer an open request with a note, a data file and/or observations of the workspace
    (of the requested indicator when the request names one). Records who answered and when."""
    workspace = request.workspace
    perms = workspace_perms(actor, workspace)
    if not data_request_may_answer(
        request=request,
        perms=perms,
        organisation_id=member_organisation_id(actor, workspace),
    ):
        raise PermissionDenied
    locked = DataRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.OPEN:
        raise ValidationError(_("This request is no longer open."), code="not_open")
    chosen = list(observations)
    note = (note or "").strip()
    if not (note or file or chosen):
        raise ValidationError(
            _("Write a note, upload a file or choose values: at least one of the three."),
            code="empty_answer",
        )
    for observation in chosen:
        if observation.workspace_id != workspace.pk or (
            locked.indicator_id is not None and observation.indicator_id != locked.indicator_id
        ):
            raise ValidationError(
                {"observations": _("Choose values of the requested indicator in this workspace.")}
            )
    if file:
        locked.answer_content_type = _check_answer_file(file)
        locked.answer_file = file
    locked.answer_note = note
    locked.status = RequestStatus.ANSWERED
    locked.answered_by = actor
    locked.answered_at = timezone.now()
    _save(locked, actor=actor)
    if chosen:
        locked.observations.set(chosen)
    return locked


@transaction.atomic
def data_request_reopen(*, actor: User, request: DataRequest) -> DataRequest:
    """Reopen an answered or cancelled request; the earlier answer stays until a new one."""
    _require(actor, REQUEST_MANAGE, request.workspace)
    if request.status == RequestStatus.OPEN:
        raise ValidationError(_("This request is already open."), code="already_open")
    request.status = RequestStatus.OPEN
    request.answered_at = None
    request.answered_by = None
    _save(request, actor=actor)
    return request


@transaction.atomic
def data_request_cancel(*, actor: User, request: DataRequest) -> DataRequest:
    """Cancel an open request (the organisation no longer owes it)."""
    _require(actor, REQUEST_MANAGE, request.workspace)
    if request.status != RequestStatus.OPEN:
        raise ValidationError(_("Only an open request can be cancelled."), code="not_open")
    request.status = RequestStatus.CANCELLED
    _save(request, actor=actor)
    return request


@transaction.atomic
def data_request_delete(*, actor: User, request: DataRequest) -> None:
    """Delete a request entered by mistake (its answer file goes with it)."""
    _require(actor, REQUEST_MANAGE, request.workspace)
    if request.answer_file:
        request.answer_file.delete(save=False)
    request._history_user = actor  # type: ignore[attr-defined]
    request.delete()
