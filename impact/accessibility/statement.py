"""The statement's text: the admins' version from settings, else a default that follows DIGG's model statement.

The text is plain: paragraphs separated by blank lines, "## " starts a heading, "- " a list item, and web
addresses become links. No HTML is accepted, so an admin cannot break the page or its accessibility.
"""

import re

from markupsafe import Markup, escape

from impact.settings.models import get_setting

DIGG_URL = "https://www.digg.se/tdosanmalan"
SETTING_KEYS = {"sv": "accessibility_statement_sv", "en": "accessibility_statement_en"}

DEFAULT_STATEMENT = {
    "sv": f"""{{municipality}} står bakom Impact och vill att så många som möjligt ska kunna använda tjänsten. \
Här beskriver vi hur Impact uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig service, \
kända tillgänglighetsproblem och hur du kan rapportera brister till oss så att vi kan åtgärda dem.

## Hur tillgänglig är tjänsten?

Impact är delvis förenlig med lagen om tillgänglighet till digital offentlig service. Tjänsten är byggd för att \
uppfylla WCAG 2.1 nivå AA: alla sidor fungerar med tangentbord och skärmläsare, utan JavaScript och med \
förstorad text, och varje sida kontrolleras automatiskt med verktyget axe.

## Kända brister

- Exporterade filer (CSV och utskrifter) kan vara svåra att läsa med vissa hjälpmedel.
- Texter som handläggare skriver själva, till exempel förkortningar, kan vara svåra att förstå.

## Hur vi testat tjänsten

Vi har granskat tjänsten själva med automatiska tester och manuell kontroll med tangentbord och skärmläsare. \
Redogörelsen uppdateras när tjänsten ändras.

## Rapportera brister i tjänstens tillgänglighet

Om du upplever problem som inte beskrivs på den här sidan, eller om du behöver innehåll i ett annat format, \
kan du rapportera det med formuläret nedan. Du behöver inte vara inloggad.

## Tillsyn

Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om tillgänglighet till digital \
offentlig service. Om du inte är nöjd med hur vi hanterar dina synpunkter kan du kontakta Digg och påtala \
det: {DIGG_URL}
""",
    "en": f"""{{municipality}} runs Impact and wants as many people as possible to be able to use it. This page \
describes how Impact complies with the Swedish Act on accessibility to digital public services (2018:1937), the \
known accessibility problems and how to report a problem to us so that we can fix it.

## How accessible is the service?

Impact is partially compliant with the Act on accessibility to digital public services. It is built to meet \
WCAG 2.1 level AA: every page works with a keyboard and a screen reader, without JavaScript and with enlarged \
text, and every page is checked automatically with the axe tool.

## Known problems

- Exported files (CSV and printouts) may be hard to read with some assistive technologies.
- Text that case officers write themselves, such as abbreviations, may be hard to understand.

## How we tested the service

We have reviewed the service ourselves with automated tests and manual checks with a keyboard and a screen \
reader. The statement is updated when the service changes.

## Report an accessibility problem

If you find a problem that is not described on this page, or you need content in another format, report it \
with the form below. You do not need to be logged in.

## Supervision

The Agency for Digital Government (Digg) supervises the Act on accessibility to digital public services. If you \
are not satisfied with how we handle your report, you can contact Digg: {DIGG_URL}
""",
}


def statement_text(language: str, municipality: str) -> str:
    """The statement in ``language`` (sv or en): the admins' text if set, else the default."""
    language = language if language in SETTING_KEYS else "sv"
    text = get_setting(SETTING_KEYS[language], default="")
    return text or DEFAULT_STATEMENT[language].replace("{municipality}", municipality)


_URL = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")


def _inline(text: str) -> Markup:
    parts, last = [], 0
    for match in _URL.finditer(text):
        parts.append(escape(text[last : match.start()]))
        url = match.group(0)
        parts.append(Markup('<a href="%s">%s</a>') % (url, url))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def render_statement(text: str) -> Markup:
    """Plain text to safe HTML: headings, paragraphs, lists and links, nothing else."""
    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.strip() for line in block.strip().splitlines() if line.strip()]
        if not lines:
            continue
        if lines[0].startswith("## "):
            blocks.append(Markup("<h2>%s</h2>") % _inline(lines[0][3:].strip()))
            lines = lines[1:]
        if lines and all(line.startswith("- ") for line in lines):
            items = Markup("").join(Markup("<li>%s</li>") % _inline(line[2:].strip()) for line in lines)
            blocks.append(Markup("<ul>%s</ul>") % items)
        elif lines:
            blocks.append(Markup("<p>%s</p>") % _inline(" ".join(lines)))
    return Markup("\n").join(blocks)
