"""Every message of the portal has its English; the schema's public words are in the catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

import public_portal
from public_portal.i18n import LANGUAGES, catalog_path, translations
from public_portal.words import SCHEMA_WORDS
from schema.oversight.feedback_workflow import PUBLIC_STAGES, STATUS_WORDS

PACKAGE = Path(public_portal.__file__).parent
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def _extracted() -> set[str]:
    with (PACKAGE / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {str(m[2]) for m in extract_from_dir(PACKAGE, method_map, options_map) if m[2]}


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "zh-CN"])
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    with catalog_path(language).open("rb") as po:
        catalog = read_po(po, locale=language)
    translated = {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(_extracted() - set(translated))
    assert not missing, f"add to {catalog_path(language)} (see public_portal/i18n.py): {missing}"
    for msgid, msgstr in translated.items():
        assert set(_PLACEHOLDER.findall(msgid)) == set(_PLACEHOLDER.findall(msgstr)), msgid
    assert translations(language).gettext("我要反馈") == translated["我要反馈"]


def test_the_schemas_public_words_are_in_the_catalog() -> None:
    assert set(PUBLIC_STAGES.values()) | set(STATUS_WORDS.values()) <= set(SCHEMA_WORDS)
