"""Loading the template presets (`profiles/data/presets.json`) — the data migration's work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PRESETS_FILE = Path(__file__).resolve().parent / "data" / "presets.json"


def load_presets(template_model: Any, section_model: Any) -> None:
    """Create the presets that do not exist yet (by code)."""
    for preset in json.loads(PRESETS_FILE.read_text(encoding="utf-8")):
        if template_model.objects.filter(code=preset["code"], workspace__isnull=True).exists():
            continue
        template = template_model.objects.create(
            code=preset["code"], name=preset["name"], description=preset["description"]
        )
        section_model.objects.bulk_create(
            section_model(template=template, **section) for section in preset["sections"]
        )
