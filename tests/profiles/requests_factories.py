"""Builders for the data-request tests: requests made through the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from profiles.models import DataRequest
from profiles.services.requests import data_request_create
from stakeholders.models import Membership, Organisation
from tests.factories import OrganisationFactory


def organisation_of(user: Any, workspace: Any) -> Organisation:
    return Membership.objects.get(user=user, workspace=workspace).organisation


def ask(
    coordinator: Any,
    workspace: Any,
    organisation: Organisation | None = None,
    *,
    what: str = "Emigrants by country of destination, 2019–2023",
    due_on: datetime.date = datetime.date(2030, 6, 30),
    **kwargs: Any,
) -> DataRequest:
    return data_request_create(
        actor=coordinator,
        workspace=workspace,
        organisation=organisation or OrganisationFactory(workspace=workspace),
        what=what,
        due_on=due_on,
        **kwargs,
    )


def csv_file(name: str = "emigrants.csv", content: bytes = b"year,value\n2022,1200\n") -> Any:
    return SimpleUploadedFile(name, content, content_type="text/csv")
