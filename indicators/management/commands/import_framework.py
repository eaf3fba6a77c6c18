"""Load another indicator framework from a catalogue file (CSV or XLSX).

    manage.py import_framework FILE --code C --name N [--version V] [--dimensions-from CODE]

The file has the columns of the starter catalogue (`indicators.catalogue.CATALOGUE_COLUMNS`;
optional `categories`, `note`, `target`). Every row is checked; when any row has a problem, each
is printed with its row number and column and nothing is loaded. See
`indicators.services.catalogue` for where the framework's dimensions come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from indicators.catalogue import CatalogueFileError, read_catalogue_file
from indicators.models import Framework
from indicators.services.catalogue import CatalogueImportError, framework_import


class Command(BaseCommand):
    help = "Load an indicator framework from a CSV or XLSX catalogue file (all rows or none)."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # `--version` names the framework's version here, replacing Django's own option.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The catalogue file (.csv or .xlsx).")
        parser.add_argument("--code", required=True, help="Short code of the new framework.")
        parser.add_argument("--name", required=True, help="Name of the new framework.")
        parser.add_argument("--version", dest="framework_version", default="")
        parser.add_argument("--description", default="")
        parser.add_argument("--provenance", default="", help="Where the list comes from.")
        parser.add_argument(
            "--dimensions-from",
            default="",
            help="Use the dimensions of this existing framework (e.g. starter).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        dimensions_from = None
        if options["dimensions_from"]:
            dimensions_from = Framework.objects.filter(code=options["dimensions_from"]).first()
            if dimensions_from is None:
                raise CommandError(f"No framework with code {options['dimensions_from']}")
        try:
            with path.open("rb") as handle:
                catalogue = read_catalogue_file(handle, path.name)
            result = framework_import(
                actor=None,
                catalogue=catalogue,
                code=options["code"],
                name=options["name"],
                version=options["framework_version"],
                description=options["description"],
                provenance=options["provenance"],
                dimensions_from=dimensions_from,
            )
        except CatalogueFileError as error:
            raise CommandError(str(error)) from error
        except CatalogueImportError as error:
            for problem in error.errors:
                where = f"row {problem['row']}" if problem["row"] else "file"
                column = f", {problem['column']}" if problem["column"] else ""
                self.stderr.write(f"{where}{column}: {problem['message']}")
            raise CommandError(
                f"Nothing was loaded: {len(error.errors)} problem(s) in {path.name}."
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded framework {result.framework.code}: {result.dimension_count} dimension(s), "
                f"{result.indicator_count} indicator(s)."
            )
        )
