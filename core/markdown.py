"""Markdown to HTML, sanitised with nh3 so user text can never inject markup or script."""

import markdown as md
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


def sanitise_html(html: str) -> str:
    """Keep only a small safe subset of HTML; links get rel=noopener noreferrer."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


def render_markdown(text: str) -> SafeString:
    """Render user Markdown to HTML that is safe to insert into a page or a PDF."""
    html = md.markdown(text or "", extensions=["tables", "sane_lists"], output_format="html")
    return mark_safe(sanitise_html(html))  # noqa: S308 - sanitised by nh3 just above
