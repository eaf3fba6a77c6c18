"""Form of a data source (the service validates and saves it)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from core.forms import ServiceModelForm
from stakeholders.models import Organisation

from ..models import DataSource


class DataSourceForm(ServiceModelForm):
    class Meta:
        model = DataSource
        fields = ["name", "producer", "kind", "periodicity", "limitations", "url"]

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        producer: Any = self.fields["producer"]
        producer.queryset = organisations
