"""HTML → PDF with WeasyPrint, fetching only the project's own static and media files.

Report HTML may point at stylesheets, fonts and images by the site's URLs (`{% static %}`, e.g.
`/static/css/report.css`, resolved against `SITE_URL`), by `file://` paths inside the static or
media folders, or inline as `data:` URIs. Anything else — another host, a path outside those
folders, another scheme — is refused, so a report can never make the server fetch a URL that
user text put into it.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RenderedPdf:
    """A PDF and what the report records about it."""

    content: bytes
    page_count: int
    sha256: str

    @property
    def size(self) -> int:
        return len(self.content)


def _allowed_roots() -> list[Path]:
    roots = [Path(settings.MEDIA_ROOT), Path(settings.STATIC_ROOT)]
    roots += [Path(str(folder)) for folder in getattr(settings, "STATICFILES_DIRS", [])]
    return [root.resolve() for root in roots]


def _inside(path: Path, roots: list[Path]) -> bool:
    return any(path == root or path.is_relative_to(root) for root in roots)


def local_path_for(url: str) -> Path | None:
    """The file of the project's own static or media folders that `url` names, else None."""
    parts = urlsplit(url)
    site = urlsplit(settings.SITE_URL)
    relative: str | None = None
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        path = Path(unquote(parts.path)).resolve()
        return path if path.is_file() and _inside(path, _allowed_roots()) else None
    if parts.scheme in ("http", "https") and (parts.scheme, parts.netloc) == (
        site.scheme,
        site.netloc,
    ):
        relative = unquote(parts.path)
    if relative is None:
        return None
    static_prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    media_prefix = "/" + settings.MEDIA_URL.strip("/") + "/"
    if relative.startswith(static_prefix):
        name = relative.removeprefix(static_prefix)
        if ".." in Path(name).parts:
            return None
        found = finders.find(name)
        candidate = Path(found if isinstance(found, str) else "") if found else None
        if candidate is None:
            candidate = Path(settings.STATIC_ROOT) / name
    elif relative.startswith(media_prefix):
        candidate = Path(settings.MEDIA_ROOT) / relative.removeprefix(media_prefix)
    else:
        return None
    path = candidate.resolve()
    return path if path.is_file() and _inside(path, _allowed_roots()) else None


class ProjectFilesFetcher(URLFetcher):
    """WeasyPrint's fetcher limited to `data:` URIs and the project's static and media files."""

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = local_path_for(url)
        if path is None:
            logger.warning("A report asked for %s; refused (not a project file).", url[:200])
            raise ValueError(f"Refused to fetch {url[:200]!r}: not a static or media file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), path.read_bytes(), headers={"Content-Type": content_type}, status=200
        )


def render_pdf(html: str) -> RenderedPdf:
    """The PDF of `html`, its page count and SHA-256 (relative URLs resolve against SITE_URL)."""
    document = HTML(
        string=html, base_url=settings.SITE_URL, url_fetcher=ProjectFilesFetcher()
    ).render()
    content = document.write_pdf()
    assert content is not None
    return RenderedPdf(
        content=content,
        page_count=len(document.pages),
        sha256=hashlib.sha256(content).hexdigest(),
    )
