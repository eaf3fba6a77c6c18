"""The French catalogue: complete for every string in the source, compiled, and used by the pages.

A string added anywhere in the code or templates without its French translation fails
`test_french_catalogue_covers_every_source_string`, so the catalogue cannot fall behind.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from stakeholders.choices import Role
from stakeholders.models import Membership

PROJECT_DIR = Path(settings.BASE_DIR)
PO_FILE = PROJECT_DIR / "locale" / "fr" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
# What `makemessages` reads: the project's own source, never .venv, var or the tests.
SOURCE = [
    "core",
    "stakeholders",
    "indicators",
    "profiles",
    "mainstreaming",
    "templates",
    "manage.py",
    "locale",
]
FRENCH_PLURAL_FORMS = "nplurals=2; plural=(n > 1);"
NBSP = "\u00a0"


# A small reader for .po files ------------------------------------------------------------------


@dataclass
class PoEntry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[str, str] = field(default_factory=dict)  # "" or "0", "1", … for plurals
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(line: str) -> str:
    # PO strings use C escapes (\n, \", \\, \t), which Python string literals read the same way.
    return ast.literal_eval(line.strip())


def read_po(text: str) -> list[PoEntry]:
    entries: list[PoEntry] = []
    for block in text.strip().split("\n\n"):
        entry = PoEntry()
        current: tuple[str, str] | None = None
        for raw in block.splitlines():
            line = raw
            if line.startswith("#~"):
                entry.obsolete = True
                line = line[2:].lstrip()
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
                continue
            if not line or line.startswith("#"):
                continue
            keyword, _, rest = line.partition(" ")
            if line.startswith('"'):
                assert current is not None, f"continuation line without a keyword: {raw!r}"
                keyword, rest = current[0], line
            elif keyword == "msgid":
                entry.msgid = ""
            if keyword == "msgid":
                entry.msgid += _unquote(rest)
            elif keyword == "msgid_plural":
                entry.msgid_plural = (entry.msgid_plural or "") + _unquote(rest)
            elif keyword.startswith("msgstr"):
                index = keyword[len("msgstr[") : -1] if "[" in keyword else ""
                entry.msgstr[index] = entry.msgstr.get(index, "") + _unquote(rest)
            elif keyword != "msgctxt":
                raise AssertionError(f"unexpected line in .po file: {raw!r}")
            current = (keyword, rest)
        entries.append(entry)
    return entries


def messages(entries: list[PoEntry]) -> list[PoEntry]:
    """The translatable entries: without the header and obsolete leftovers."""
    return [entry for entry in entries if entry.msgid and not entry.obsolete]


def test_po_reader_reads_plurals_continuations_and_flags() -> None:
    entries = read_po(
        'msgid ""\nmsgstr "Language: fr\\n"\n\n'
        '#, fuzzy, python-format\nmsgid ""\n"Hello %(name)s,\\n"\n"welcome"\nmsgstr ""\n\n'
        'msgid "%(n)s member"\nmsgid_plural "%(n)s members"\nmsgstr[0] "%(n)s membre"\n'
        'msgstr[1] ""\n"%(n)s membres"\n'
    )
    header, greeting, members = entries
    assert header.msgstr == {"": "Language: fr\n"}
    assert greeting.msgid == "Hello %(name)s,\nwelcome"
    assert greeting.flags == {"fuzzy", "python-format"}
    assert greeting.msgstr == {"": ""}
    assert members.msgid_plural == "%(n)s members"
    assert members.msgstr == {"0": "%(n)s membre", "1": "%(n)s membres"}


# The catalogue --------------------------------------------------------------------------------


def _problems(entries: list[PoEntry]) -> list[str]:
    problems = []
    for entry in messages(entries):
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        if not entry.msgstr or not all(entry.msgstr.values()):
            problems.append(f"untranslated: {entry.msgid!r}")
        if entry.msgid_plural is not None and sorted(entry.msgstr) != ["0", "1"]:
            problems.append(f"needs msgstr[0] and msgstr[1]: {entry.msgid!r}")
    return problems


def test_french_catalogue_covers_every_source_string(tmp_path: Path) -> None:
    """Extract the messages afresh from a copy of the source: every one has a French text."""
    for name in SOURCE:
        source = PROJECT_DIR / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, tmp_path / name, ignore=ignore)
        else:
            shutil.copy2(source, tmp_path / name)
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "mainstreaming.settings",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--ignore=var"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr

    fresh = read_po((tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text())
    # Positive control: the extraction really found the project's strings.
    extracted = {entry.msgid: entry.msgstr for entry in messages(fresh)}
    assert len(extracted) > 300
    assert extracted["My workspaces"] == {"": "Mes espaces de travail"}
    assert extracted["Coordinator"] == {"": "Coordinateur"}
    assert _problems(fresh) == []


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry() -> None:
    entries = read_po(PO_FILE.read_text(encoding="utf-8"))
    assert len(messages(entries)) > 300
    assert _problems(entries) == []


def test_french_catalogue_header_and_formats_are_valid() -> None:
    header = read_po(PO_FILE.read_text(encoding="utf-8"))[0]
    assert header.msgid == ""
    assert "Language: fr\n" in header.msgstr[""]
    assert "Content-Type: text/plain; charset=UTF-8\n" in header.msgstr[""]
    assert f"Plural-Forms: {FRENCH_PLURAL_FORMS}\n" in header.msgstr[""]
    assert "fuzzy" not in header.flags
    # msgfmt --check compares the %(name)s placeholders of each translation with its msgid.
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", os.devnull, str(PO_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "translated messages" in result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def _catalogue(mo_file: Path) -> dict[object, str]:
    with mo_file.open("rb") as handle:
        return dict(gettext.GNUTranslations(handle)._catalog)  # type: ignore[attr-defined]


def test_committed_mo_is_compiled_from_the_committed_po(tmp_path: Path) -> None:
    fresh_mo = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(fresh_mo), str(PO_FILE)], check=True)
    fresh = _catalogue(fresh_mo)
    assert fresh["Members"] == "Membres"
    assert fresh[("%(counter)s member", 1)] == "%(counter)s membres"
    assert _catalogue(MO_FILE) == fresh
    with MO_FILE.open("rb") as handle:
        assert gettext.GNUTranslations(handle).info()["plural-forms"] == FRENCH_PLURAL_FORMS


# Pages in French --------------------------------------------------------------------------------


def _switch_to_french(client) -> None:
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"


# Page: (URL name, {English original: French text}), for the "national" workspace of `world`.
PAGES = {
    "workspace home": (
        "mainstreaming:workspace_home",
        {
            "Overview": "Vue d’ensemble",
            "About this workspace": "À propos de cet espace de travail",
            "Invite someone": "Inviter une personne",
            "Pending invitations": "Invitations en attente",
            "<dd>National</dd>": "<dd>National</dd>",  # the same word in both languages
            '<td data-label="Role">Coordinator</td>': '<td data-label="Rôle">Coordinateur</td>',
            "Change the workspace settings": "Modifier les paramètres de l’espace de travail",
        },
    ),
    "members": (
        "stakeholders:membership_list",
        {
            "All roles": "Tous les rôles",
            "Show members": "Afficher les membres",
            "5 members": "5 membres",
            '<td data-label="Role">Observer</td>': '<td data-label="Rôle">Observateur</td>',
            ">Reviewer</option>": ">Relecteur</option>",
            "No invitation is waiting for an answer.": "Aucune invitation n’attend de réponse.",
        },
    ),
    "organisation list": (
        "stakeholders:organisation_list",
        {
            "Register an organisation": "Enregistrer une organisation",
            "All kinds": "Tous les types",
            "Name or acronym": "Nom ou sigle",
            ">Ministry, department or agency</": ">Ministère, direction ou agence</",
            ">Civil society organisation</option>": ">Organisation de la société civile</option>",
        },
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_workspace_pages_render_in_french_after_switching_language(client, world, page) -> None:
    url_name, strings = PAGES[page]
    path = reverse(url_name, kwargs={"slug": world.workspace.slug})
    client.force_login(world["coordinator"])

    english = client.get(path).content.decode()
    french_only = [french for original, french in strings.items() if french != original]
    assert all(original in english for original in strings), "the English originals exist"
    assert not any(french in english for french in french_only)

    _switch_to_french(client)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "fr"
    body = response.content.decode()
    assert '<html lang="fr">' in body
    for original, french in strings.items():
        assert french in body
        if french != original:
            assert original not in body


@pytest.mark.django_db
def test_sign_in_page_is_french_for_a_french_browser(client) -> None:
    english = client.get(reverse("login")).content.decode()
    assert "Forgotten your password?" in english

    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr")
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "<h1>Se connecter</h1>" in body
    assert f"Mot de passe oublié{NBSP}?" in body
    assert "Pas de compte" in body
    for original in ("<h1>Sign in</h1>", "Forgotten your password?", "No account?"):
        assert original not in body


@pytest.mark.django_db
def test_not_found_page_is_french(client, world) -> None:
    client.force_login(world["coordinator"])
    _switch_to_french(client)
    response = client.get("/w/no-such-workspace/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "<h1>Page introuvable</h1>" in body
    assert "Page not found" not in body


@pytest.mark.django_db
def test_invitation_email_is_french_when_sent_from_a_french_page(
    client, world, django_capture_on_commit_callbacks
) -> None:
    client.force_login(world["coordinator"])
    _switch_to_french(client)
    organisation = Membership.objects.get(user=world["coordinator"]).organisation
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stakeholders:invitation_create", kwargs={"slug": "national"}),
            {"email": "awa@example.org", "role": Role.OBSERVER, "organisation": organisation.pk},
            follow=True,
        )
    assert "Invitation envoyée à awa@example.org." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Invitation à rejoindre National workspace"
    assert f"Votre rôle{NBSP}: Observateur" in message.body
    assert f"Pour accepter, ouvrez ce lien{NBSP}:" in message.body
    for original in ("Invitation to join", "Your role:", "To accept, open this link"):
        assert original not in message.body + message.subject
