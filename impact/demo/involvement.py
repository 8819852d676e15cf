"""Who the demo assessments heard: consultations of several kinds, one proposal that concerns the Sweden Finnish
minority, and one where nobody was heard, with the reason."""

from datetime import date

import sqlalchemy as sa

from impact.assessments.enums import ConsultationMethod, MinorityAnswer
from impact.assessments.models import Assessment, Consultation, GroupKind, Involvement
from impact.core.db import db

# The kinds of group the migration voices_01 first offers, for a database made without migrations (Swedish, English).
GROUP_KINDS = (
    ("Ungdomsrådet", "The youth council"),
    ("Pensionärsrådet", "The pensioners' council"),
    ("Rådet för funktionshinderfrågor", "The disability council"),
    ("Sverigefinsk förening", "A Sweden Finnish association"),
    ("Boende i en kommundel", "Residents of a district"),
    ("Brukare av en verksamhet", "Users of a service"),
    ("Förening eller organisation", "An association or organisation"),
    ("Personal", "Staff"),
)

M = ConsultationMethod
# Title → consultations: (kind, name, method, day, how many, what they said, what changed).
CONSULTATIONS = {
    "Nya öppettider i simhallarna": [
        (
            "Pensionärsrådet",
            "",
            M.meeting,
            date(2026, 9, 8),
            14,
            "Motionssim på förmiddagar är viktigare än sena kvällar; färdtjänst till Alidebergsbadet tar lång tid.",
            "Seniorsim läggs på förmiddagar, och Norrbybadet behåller en sen kväll i veckan.",
        ),
        (
            "Boende i en kommundel",
            "Boende i Norrby",
            M.survey,
            date(2026, 9, 20),
            212,
            "Många familjer har inte bil; stängda kvällar i Norrby betyder inget simmande alls.",
            "Lovsim blir gratis för barn i Norrby.",
        ),
    ],
    "Upprustning av spontanidrottsplatsen på Hässleholmen": [
        (
            "Ungdomsrådet",
            "",
            M.walk_through,
            date(2026, 5, 12),
            9,
            "Platsen känns otrygg på kvällen; belysningen räcker inte till gångvägen.",
            "Belysningen förlängs längs gångvägen till hållplatsen.",
        ),
        (
            "Brukare av en verksamhet",
            "Fritidsgården Hässleholmen",
            M.focus_group,
            date(2026, 5, 20),
            11,
            "Tjejer vill ha en yta som inte är fotbollsplan.",
            "En yta för dans och träning utan bollsport läggs till.",
        ),
    ],
    "Fritidsgård i Sjöbo flyttar till biblioteket": [
        (
            "Ungdomsrådet",
            "",
            M.digital,
            date(2026, 4, 2),
            37,
            "Fritidsgården behöver ett eget rum som inte är tyst läsesal.",
            "Ett eget rum med egen ingång planeras in.",
        ),
    ],
    "Språkstöd i förskolan i Hässleholmen": [
        (
            "Sverigefinsk förening",
            "Sverigefinska föreningen i Borås",
            M.meeting,
            date(2026, 3, 17),
            6,
            "Finskspråkiga familjer vill att språkstödet omfattar finska och att de informeras på finska.",
            "Informationen till vårdnadshavare översätts till finska och språkstödet omfattar finska.",
        ),
    ],
}
# Title → (answer, minorities, consulted, reason not consulted) where a national minority is concerned.
MINORITIES = {
    "Språkstöd i förskolan i Hässleholmen": (MinorityAnswer.yes, ["sweden_finns"], True, ""),
}
# Where nobody was heard: why.
NOBODY_HEARD = {
    "Ändrade regler för skolskjuts": (
        "Reglerna följer skollagen och gäller hela kommunen; vårdnadshavare kan begära individuell prövning. "
        "Elevrådens synpunkter samlas in vid uppföljningen efter ett läsår."
    ),
}


def ensure_group_kinds() -> dict[str, GroupKind]:
    """The kinds of group, by Swedish name; the defaults are added when there are none yet."""
    kinds = {kind.name_sv: kind for kind in db.session.scalars(sa.select(GroupKind))}
    if not kinds:
        for name_sv, name_en in GROUP_KINDS:
            kinds[name_sv] = GroupKind(name_sv=name_sv, name_en=name_en)
            db.session.add(kinds[name_sv])
        db.session.flush()
    return kinds


def involve(assessment: Assessment, kinds: dict[str, GroupKind], negative: bool) -> None:
    """Fill in the involvement step of a demo assessment that affects people (so it can be submitted)."""
    title = assessment.title
    answer, minorities, consulted, reason = MINORITIES.get(title, (MinorityAnswer.no, [], None, ""))
    assessment.involvement = Involvement(
        required=True,
        national_minority=answer,
        minorities=minorities,
        minority_consulted=consulted,
        minority_not_consulted_reason=reason,
        no_consultation_reason=NOBODY_HEARD.get(title, "")
        or ("" if title in CONSULTATIONS or not negative else "Förslaget bygger på dialogen i budgetarbetet."),
    )
    assessment.consultations = [
        Consultation(
            group_kind=kinds.get(kind),
            group_name=name,
            method=method,
            held_on=day,
            participants=count,
            views=views,
            changes_made=changed,
        )
        for kind, name, method, day, count, views, changed in CONSULTATIONS.get(title, [])
    ]
