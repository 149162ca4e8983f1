"""Rendering pages: one Jinja environment per language, the visitor's preferences, headers.

Preferences live in two small cookies a visitor sets with ordinary links
(:mod:`public_portal.prefs`): the language and the elder-friendly large-text
mode (关怀版). Every page is complete without JavaScript; ``static/portal.js``
only adds to forms (the proof of work, a character count).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from public_portal.i18n import LANGUAGES, NAMES, pick, translations

#: China Standard Time: the program's clock (a GraphQL DateTime may come in any offset).
CST = dt.timezone(dt.timedelta(hours=8))
TEMPLATES = Path(__file__).parent / "templates"
STATIC_PATH = "/static/portal"
LANG_COOKIE = "portal_lang"
CARE_COOKIE = "portal_care"

#: Scripts and styles come from this site only; nothing is fetched from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
        "object-src 'none'"
    ),
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}
#: Pages with a form, a tracking code or a case's status: never kept by a cache.
PRIVATE = {"Cache-Control": "no-store"}
#: Public pages: kept by the browser, asked again each time (preferences vary them).
PUBLIC = {"Cache-Control": "private, no-cache", "Vary": "Cookie"}


@dataclass(frozen=True)
class Prefs:
    """A visitor's choices: language and large text."""

    language: str
    care: bool


def prefs_of(request: Request) -> Prefs:
    return Prefs(
        language=pick(request.cookies.get(LANG_COOKIE)),
        care=request.cookies.get(CARE_COOKIE) == "1",
    )


def here(request: Request) -> str:
    """This page's path and query: where a preference link comes back to."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def _environment(language: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship with the code: no stat() per page
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.globals["static"] = lambda name: f"{STATIC_PATH}/{name}"
    env.filters["number"] = _number
    env.filters["when"] = _when
    env.filters["percent"] = _percent
    # A message not written in a template (errors, fixed labels), translated without
    # ``%`` formatting: a schema's message may hold a percent sign.
    env.filters["tr"] = translations(language).gettext
    return env


def _number(value: Any) -> str:
    return f"{int(value):,}" if isinstance(value, int | float) else str(value)


def _when(value: Any) -> str:
    """A GraphQL ``DateTime`` as the program's local time: ``2026-05-28 12:53``."""
    try:
        instant = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return str(value)
    if instant.tzinfo is not None:
        instant = instant.astimezone(CST)
    return instant.strftime("%Y-%m-%d %H:%M")


def _percent(value: Any) -> str:
    """A share (0-1) as a percentage with one decimal."""
    return f"{float(value) * 100:.1f}%" if isinstance(value, int | float) else "—"


class Pages:
    """Renders the portal's templates in each visitor's language."""

    def __init__(self) -> None:
        self._envs = {language: _environment(language) for language in LANGUAGES}

    def gettext(self, request: Request, message: str) -> str:
        """``message`` in the visitor's language (for texts made outside templates)."""
        return translations(prefs_of(request).language).gettext(message)

    def render(
        self,
        request: Request,
        template: str,
        *,
        status: int = 200,
        private: bool = False,
        headers: Mapping[str, str] | None = None,
        **context: Any,
    ) -> HTMLResponse:
        prefs = prefs_of(request)
        back = here(request)
        switch = [
            (lang, NAMES[lang], "/prefs?" + urlencode({"lang": lang, "next": back}))
            for lang in LANGUAGES
            if lang != prefs.language
        ]
        care_link = "/prefs?" + urlencode({"care": "0" if prefs.care else "1", "next": back})
        page = self._envs[prefs.language].get_template(template)
        body = page.render(
            lang=prefs.language,
            care=prefs.care,
            switch=switch,
            care_link=care_link,
            path=request.url.path,
            **context,
        )
        all_headers = {**SECURITY_HEADERS, **(PRIVATE if private else PUBLIC), **(headers or {})}
        return HTMLResponse(body, status_code=status, headers=all_headers)
