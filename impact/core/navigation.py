"""The main menu, the start page's cards and its sections, contributed by each feature.

A feature package declares ``NAVIGATION = [NavEntry(...), ...]`` and ``START = [StartSection(...), ...]``; the
factory collects them, so adding a feature never means editing the base template or the start page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, current_app, request, url_for
from flask_login import current_user


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy string
    visible: Callable[[object], bool]
    card_text: object | None = None  # shown as a card on the start page when set
    order: int = 50


@dataclass(frozen=True)
class StartSection:
    """A part of the start page: ``template`` rendered with what ``context(user)`` returns (None leaves it out)."""

    template: str
    context: Callable[[object], dict | None]
    order: int = 50


@dataclass(frozen=True)
class ShownEntry:
    url: str
    label: object
    title: object
    text: object
    current: bool


def register_navigation(app: Flask, entries: list[NavEntry]) -> None:
    app.extensions.setdefault("impact_navigation", []).extend(entries)
    app.extensions["impact_navigation"].sort(key=lambda entry: entry.order)


def register_start_sections(app: Flask, sections: list[StartSection]) -> None:
    app.extensions.setdefault("impact_start", []).extend(sections)
    app.extensions["impact_start"].sort(key=lambda section: section.order)


def start_sections(user) -> list[tuple[str, dict]]:
    """(template, context) of each start page section shown to ``user``."""
    shown = []
    for section in current_app.extensions.get("impact_start", []):
        context = section.context(user)
        if context is not None:
            shown.append((section.template, context))
    return shown


def _current_url(urls: list[str]) -> str | None:
    """The menu URL the current page belongs to: an exact match, else the longest section prefix (/reports/…)."""
    if request.path in urls:
        return request.path
    sections = [url for url in urls if url != "/" and url.endswith("/") and request.path.startswith(url)]
    return max(sections, key=len, default=None)


def _visible_entries() -> list[ShownEntry]:
    if not current_user.is_authenticated:
        return []
    entries = [e for e in current_app.extensions.get("impact_navigation", []) if e.visible(current_user)]
    urls = [url_for(entry.endpoint) for entry in entries]
    current = _current_url(urls)
    return [
        ShownEntry(url, entry.label, entry.label, entry.card_text, url == current)
        for entry, url in zip(entries, urls, strict=True)
    ]


def main_menu() -> list[ShownEntry]:
    return _visible_entries()


def home_cards() -> list[ShownEntry]:
    return [entry for entry in _visible_entries() if entry.text]
