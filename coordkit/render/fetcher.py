"""What WeasyPrint may read while it lays out a PDF: the template folders and ``data:`` URLs, nothing else.

WeasyPrint fetches every URL a document names: stylesheets, images, fonts,
and ``<a rel="attachment">`` files, which it embeds in the PDF. Left alone, a
workspace template could embed ``file:///home/me/.ssh/id_ed25519`` in an
agreement sent to five organisations, or make requests to the coordinator's
network. This fetcher serves files inside the built-in template folder and the
workspace's ``templates/`` (after resolving links, so a link cannot lead out),
``data:`` URLs and the pictures coord itself hands it (``LATE``); it refuses
everything else, and the refusal stops the rendering with a line that names
the URL: a template author learns at once why the logo is missing, instead of
printing 500 copies without it.
"""

from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from coordkit.errors import InvalidInput
from coordkit.i18n import _

MAX_ASSET = 50 * 1024 * 1024  # bytes of one image, font or stylesheet
LATE = "coord-late:"  # the URLs of SVG pictures given once the pages are laid out (``render.pdf.html_to_pdf``)


class Refused(Exception):
    """A URL outside what a document may use (``link``: a file in a template folder that links outside it)."""

    def __init__(self, url: str, link: Path | None = None) -> None:
        super().__init__(url)
        self.url, self.link = url, link


class ContainedFetcher(URLFetcher):
    """Serves ``file:`` URLs inside ``roots`` and ``data:`` URLs; any other fetch stops the rendering."""

    def __init__(self, roots: list[Path]) -> None:
        super().__init__(fail_on_errors=True)
        self.roots = [root.resolve() for root in roots]
        self.late: dict[str, bytes] = {}  # LATE URL → SVG, filled between layout and drawing

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url in self.late:
            return URLFetcherResponse(url, self.late[url], {"Content-Type": "image/svg+xml"})
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            named = Path(os.path.normpath(url2pathname(urlsplit(url).path)))
            path = named.resolve()
            if not any(path.is_relative_to(root) for root in self.roots):
                raise Refused(url, path if any(named.is_relative_to(root) for root in self.roots) else None)
            from coordkit.files import read_limited

            body = read_limited(path, limit=MAX_ASSET, what=_("the file"))
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(path.as_uri(), body, {"Content-Type": kind})
        raise Refused(url)


def refusal(error: BaseException, roots: list[Path]) -> InvalidInput:
    """The one line for a fetch that stopped a rendering (``error`` is WeasyPrint's FatalURLFetchingError)."""
    cause = error.__cause__
    if isinstance(cause, InvalidInput):
        return cause
    if isinstance(cause, Refused) and cause.link is not None:
        return InvalidInput(
            _(
                "the document asks for {url}, a link to {target} outside the template folders; copy the file in instead"
            ).format(url=cause.url, target=cause.link)
        )
    if isinstance(cause, Refused):
        shown = cause.url if len(cause.url) <= 200 else cause.url[:200] + "…"
        return InvalidInput(
            _(
                "the document asks for {url}; a document may use only files in {folders} and data: URLs, "
                "so remove that reference from the template"
            ).format(url=shown, folders=" or ".join(str(root) for root in roots))
        )
    return InvalidInput(_("the document asks for a file coord cannot read: {error}").format(error=cause or error))
