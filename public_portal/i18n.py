"""Languages: Chinese first (the messages are written in Chinese), English as a translation.

The templates and the Python code mark messages with ``_()`` / ``N_()``; the
English catalog is ``locale/en/LC_MESSAGES/messages.po``. It is compiled when
the portal starts (Babel reads the ``.po`` and writes the ``.mo`` in memory), so
no build step can forget it and no binary file is kept beside its source.

To add or change messages::

    .venv/bin/pybabel extract -F public_portal/babel.cfg -o /tmp/portal.pot public_portal
    .venv/bin/pybabel update -i /tmp/portal.pot -d public_portal/locale -l en

``tests/public_portal/test_i18n.py`` fails while a message has no English.
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

#: The portal's languages as ``<html lang>`` names them, the default first.
LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
DEFAULT = LANGUAGES[0]
LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
#: Each language's name in itself, for the switch.
NAMES = {"zh-CN": "中文", "en": "English"}


def N_(message: str) -> str:
    """Mark ``message`` for extraction; it is translated where it is shown."""
    return message


def catalog_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalog of ``language`` (Chinese: the messages themselves)."""
    if language == DEFAULT:
        return gettext.NullTranslations()
    if language not in LANGUAGES:
        raise ValueError(f"unknown portal language {language!r}")
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def pick(requested: str | None) -> str:
    """A supported language for a requested one (the default for anything else)."""
    return requested if requested in LANGUAGES else DEFAULT
