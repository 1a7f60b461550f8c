"""Help texts in the reader's language, built when a command module is imported.

Commands load lazily (``coordkit.cli.app.load_command``), so ``help=_("…")``
is evaluated after the language is known. Each paragraph is its own message,
so the summary a command shows is the very msgid of its line in ``coord
--help`` and the two translations cannot drift apart. The example is a
command line: it is not translated, and click's ``\\b`` keeps it unwrapped.
"""

from __future__ import annotations

from coordkit.i18n import _


def helptext(*paragraphs: str, example: str | None = None) -> str:
    """Click help from translated ``paragraphs`` and an example command, as in every coord help."""
    text = "\n\n".join(paragraphs)
    if example:
        text += "\n\n\b\n" + _("Example:") + "\n  " + example
    return text
