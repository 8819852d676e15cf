"""Fill Swedish translations into a feature's catalogue from a JSON object {"English": "Svenska", ...}.

Usage: python scripts/po_fill.py FEATURE translations.json   (then: flask --app impact translations compile)
Only entries present in the catalogue are filled; unknown keys are listed so typos show.
"""

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(feature: str, json_path: str) -> int:
    po_path = ROOT / "impact" / feature / "translations" / "sv" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="sv")
    wanted = json.loads(Path(json_path).read_text(encoding="utf-8"))
    unknown = []
    for msgid, msgstr in wanted.items():
        message = catalog.get(msgid)
        if message is None:
            unknown.append(msgid)
            continue
        message.string = tuple(msgstr) if isinstance(msgstr, list) else msgstr
        message.flags.discard("fuzzy")
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=120, ignore_obsolete=True)
    for msgid in unknown:
        print(f"not in the catalogue: {msgid!r}", file=sys.stderr)
    missing = [m.id for m in catalog if m.id and not m.string]
    for msgid in missing:
        print(f"still untranslated: {msgid!r}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
