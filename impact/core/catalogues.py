"""Per-feature translation catalogues: extract, update, compile and check.

Each feature folder ``impact/<feature>/`` owns ``translations/sv/LC_MESSAGES/messages.po`` with the Swedish
for the strings in its Python code and in ``templates/<feature>/``. Shared templates (base, macros, errors)
belong to ``core``. Run ``flask --app impact translations update`` after changing strings, fill in the empty
``msgstr`` lines, then ``flask --app impact translations compile``.
"""

import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from impact.core.i18n import PACKAGE_DIR

PROJECT_DIR = PACKAGE_DIR.parent
TEMPLATES_DIR = PROJECT_DIR / "templates"
TARGET_LOCALES = ("sv",)
KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_l": None,
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "lazy_pgettext": ((1, "c"), 2),
}
JINJA_OPTIONS = {"extensions": "jinja2.ext.do", "trimmed": "true"}
CORE_TEMPLATE_PARTS = ("base.html", "_macros", "errors", "core")


@dataclass(frozen=True)
class Feature:
    name: str

    @property
    def directory(self) -> Path:
        return PACKAGE_DIR / self.name

    def po_path(self, locale: str) -> Path:
        return self.directory / "translations" / locale / "LC_MESSAGES" / "messages.po"

    def mo_path(self, locale: str) -> Path:
        return self.po_path(locale).with_suffix(".mo")

    def sources(self) -> list[Path]:
        files = sorted(self.directory.rglob("*.py"))
        template_roots = (
            [TEMPLATES_DIR / part for part in CORE_TEMPLATE_PARTS]
            if self.name == "core"
            else [TEMPLATES_DIR / self.name]
        )
        for root in template_roots:
            if root.is_file():
                files.append(root)
            elif root.is_dir():
                files.extend(sorted(root.rglob("*.html")) + sorted(root.rglob("*.svg")) + sorted(root.rglob("*.txt")))
        return files


def features() -> list[Feature]:
    return [Feature(path.name) for path in sorted(PACKAGE_DIR.iterdir()) if (path / "__init__.py").exists()]


def extract(feature: Feature) -> Catalog:
    catalog = Catalog(project="Impact", fuzzy=False)
    for path in feature.sources():
        method = "python" if path.suffix == ".py" else "jinja2.ext:babel_extract"
        options = {} if path.suffix == ".py" else JINJA_OPTIONS
        for lineno, message, comments, context in extract_from_file(method, str(path), KEYWORDS, options=options):
            catalog.add(
                message, None, [(str(path.relative_to(PROJECT_DIR)), lineno)], auto_comments=comments, context=context
            )
    return catalog


def _read(path: Path, locale: str) -> Catalog:
    if not path.exists():
        return Catalog(locale=locale, project="Impact")
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def update(feature: Feature) -> list[str]:
    """Merge newly extracted strings into the feature's catalogues; return the paths written."""
    template = extract(feature)
    written = []
    for locale in TARGET_LOCALES:
        path = feature.po_path(locale)
        if not len(template) and not path.exists():
            continue
        catalog = _read(path, locale)
        catalog.update(template, no_fuzzy_matching=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, width=120, omit_header=False, ignore_obsolete=True, sort_output=False)
        written.append(str(path))
    return written


def compiled_bytes(feature: Feature, locale: str) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, _read(feature.po_path(locale), locale), use_fuzzy=False)
    return buffer.getvalue()


def compile_catalogues(feature: Feature) -> list[str]:
    written = []
    for locale in TARGET_LOCALES:
        if feature.po_path(locale).exists():
            feature.mo_path(locale).write_bytes(compiled_bytes(feature, locale))
            written.append(str(feature.mo_path(locale)))
    return written


def problems(feature: Feature) -> list[str]:
    """Every string that is extracted but not translated, fuzzy, or not compiled into the .mo."""
    found = []
    template = extract(feature)
    for locale in TARGET_LOCALES:
        catalog = _read(feature.po_path(locale), locale)
        for message in template:
            if not message.id:
                continue
            translated = catalog.get(message.id, context=message.context)
            strings = translated.string if translated is not None else None
            empty = not strings or (isinstance(strings, tuple) and not all(strings))
            if translated is None or empty or translated.fuzzy:
                found.append(f"{feature.name}/{locale}: untranslated {message.id!r}")
        if len(template) and (
            not feature.mo_path(locale).exists()
            or feature.mo_path(locale).read_bytes() != compiled_bytes(feature, locale)
        ):
            found.append(f"{feature.name}/{locale}: messages.mo is out of date; run translations compile")
    return found


def inconsistent_translations(locale: str = "sv") -> list[str]:
    """English strings translated differently by two features: Flask-Babel merges the catalogues, so only one
    translation would show, whichever feature loads last."""
    seen: dict[str, dict[str, object]] = {}
    for feature in features():
        path = feature.po_path(locale)
        if not path.exists():
            continue
        for message in _read(path, locale):
            if message.id and message.string:
                key = message.id if isinstance(message.id, str) else message.id[0]
                seen.setdefault(key, {})[feature.name] = message.string
    return [
        f"{locale}: {msgid!r} is translated differently: {translations}"
        for msgid, translations in seen.items()
        if len({str(value) for value in translations.values()}) > 1
    ]
