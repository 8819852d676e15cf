"""A few dozen realistic assessments across Borås's departments, grounds, districts and states (for seed-demo).

Idempotent: nothing is added when the first demo case number already exists. Transitions go through the workflow
operations (so the history shows them); timestamps are then set back in time consistently.
"""

from datetime import date, timedelta

import sqlalchemy as sa

from impact.assessments import lifecycle
from impact.assessments.enums import AssessmentStatus, Confidence, Impact, Outcome
from impact.assessments.models import Alternative, Assessment, GroundAnswer, Mitigation
from impact.audit import trail
from impact.auth.models import User
from impact.auth.passwords import hash_password
from impact.auth.roles import Role
from impact.core.db import db, utcnow
from impact.demo.child_rights import assess_children
from impact.demo.involvement import ensure_group_kinds, involve
from impact.demo.users import DEMO_PASSWORD
from impact.grounds.models import TemplateVersion
from impact.org.models import Area, Department, District
from impact.review import operations as workflow

FIRST_CASE_NUMBER = "2026-00401"

# Extra demo staff so that several departments have an author and a reviewer.
STAFF = {
    "GSF": ("Linnea Ström", "Per Holm"),
    "FSF": ("Amina Yusuf", "Karin Sjöberg"),
    "VAF": ("Lena Persson", "Göran Lund"),
    "TKF": ("Oskar Björk", "Hanna Wik"),
    "KUF": ("Fatima Ali", "Erik Strand"),
    "SBF": ("Jonas Dahl", "Mira Axelsson"),
    "SOF": ("Sofia Nilsson", "Anders Falk"),
}

NOT_RELEVANT = "Förslaget bedöms inte påverka villkoren utifrån denna grund; inga skillnader mellan grupper är kända."

# (department, title, status, districts or None for the whole municipality, description, concerns, grounds)
# grounds: {key: (impact, affected groups, mitigation or None)}; grounds left out are "not relevant".
STAFFED_HOURS = (
    "Bemannade timmar tre eftermiddagar i veckan: personal tar emot barn under 15 år och hjälper den som behöver stöd."
)
CASES = [
    (
        "FFF",
        "Nya öppettider i simhallarna",
        "approved",
        ["Centrum", "Norrby"],
        "Simhallarna Alidebergsbadet och Norrbybadet får kortare öppettider på vardagskvällar från 1 mars 2027.",
        "Badgäster, simföreningar, skolor och äldre som motionssimmar.",
        {
            "socioeconomic_status": (
                "negative",
                "Barn i familjer med låg inkomst har färre alternativ än simhallen.",
                "Gratis lovsim för barn i Norrby under sommarlovet.",
            ),
            "age": (
                "negative",
                "Äldre som motionssimmar tidig kväll förlorar sin tid.",
                "Seniorsim på förmiddagar två dagar i veckan.",
            ),
            "disability": ("neutral", "Tillgänglig omklädning finns kvar under alla öppettider.", None),
            "gender": ("neutral", "Kvinnor och män använder kvällstiderna i lika stor utsträckning.", None),
        },
    ),
    (
        "FFF",
        "Upprustning av spontanidrottsplatsen på Hässleholmen",
        "submitted",
        ["Norrby"],
        "En ny multiarena med belysning och tillgängliga ytor byggs vid Hässleholmens centrum.",
        "Barn och unga i Hässleholmen och Norrby.",
        {
            "geographic_residence": ("significantly_positive", "Boende i ett område med få fritidsanläggningar.", None),
            "gender": (
                "positive",
                "Flickor får egna tider och en utformning som de själva varit med och tagit fram.",
                None,
            ),
            "socioeconomic_status": ("positive", "Avgiftsfri aktivitet nära hemmet.", None),
            "age": ("positive", "Barn 8–15 år.", None),
        },
    ),
    (
        "FFF",
        "Avgifter för föreningars lokalhyra 2027",
        "draft",
        None,
        "Hyran för kommunala idrottslokaler höjs med 8 procent för vuxenverksamhet.",
        "Idrottsföreningar och deras medlemmar.",
        {
            "socioeconomic_status": (
                "negative",
                "Föreningar i områden med låga inkomster har svårare att höja avgifter.",
                None,
            ),
            "age": ("neutral", "Barn- och ungdomsverksamhet undantas från höjningen.", None),
        },
    ),
    (
        "FFF",
        "Fritidsgård i Sjöbo flyttar till biblioteket",
        "returned",
        ["Sjöbo"],
        "Fritidsgården i Sjöbo flyttar in i samma lokaler som Sjöbo bibliotek.",
        "Unga 13–18 år i Sjöbo, bibliotekets besökare.",
        {
            "age": ("cannot_assess", "Unga 13–18 år.", None),
            "gender": (
                "negative",
                "Risk att flickor söker sig bort om lokalen blir trång.",
                "Särskilda tjejkvällar och dialog med unga före flytten.",
            ),
        },
    ),
    (
        "GSF",
        "Ändrade regler för skolskjuts",
        "approved",
        None,
        "Avståndsgränsen för skolskjuts i årskurs 4–6 ändras från 3 till 4 kilometer.",
        "Elever i årskurs 4–6 på landsbygden och deras vårdnadshavare.",
        {
            "geographic_residence": (
                "significantly_negative",
                "Elever i Sandhult, Viskafors och Dalsjöfors.",
                "Säkra gång- och cykelvägar inventeras tillsammans med Tekniska förvaltningen.",
            ),
            "disability": ("neutral", "Elever med funktionsnedsättning har fortsatt rätt till skolskjuts.", None),
            "socioeconomic_status": (
                "negative",
                "Familjer utan bil har svårare att skjutsa själva.",
                "Busskort erbjuds elever som får längre än 4 km.",
            ),
            "age": ("negative", "Yngre elever får längre skolväg.", None),
        },
    ),
    (
        "GSF",
        "Ny grundskola i Norrby",
        "submitted",
        ["Norrby"],
        "En ny F–6-skola med 450 platser byggs i Norrby och öppnar hösten 2028.",
        "Barn och familjer i Norrby och Hässleholmen.",
        {
            "geographic_residence": ("significantly_positive", "Elever i Norrby får kortare skolväg.", None),
            "ethnicity": ("positive", "Skolan planeras med modersmålsstöd och studiehandledning.", None),
            "socioeconomic_status": ("positive", "Fritidshem med avgiftsfria lovaktiviteter.", None),
        },
    ),
    (
        "GSF",
        "Samordnad skolmåltid med färre rätter",
        "draft",
        None,
        "Skolmåltiderna samordnas centralt och antalet rätter per dag minskar från tre till två.",
        "Alla elever i grundskolan.",
        {
            "religion": ("cannot_assess", "Elever som av religiösa skäl inte äter vissa livsmedel.", None),
            "disability": ("negative", "Elever med allergier och specialkost.", None),
        },
    ),
    (
        "FSF",
        "Fler förskoleplatser i Brämhult",
        "approved",
        ["Brämhult"],
        "En ny förskola med åtta avdelningar öppnar i Brämhult våren 2027.",
        "Barn 1–5 år och deras vårdnadshavare i Brämhult och Centrum.",
        {
            "age": ("positive", "Barn 1–5 år får plats närmare hemmet.", None),
            "gender": ("positive", "Föräldrar, oftare mammor, kan återgå i arbete tidigare.", None),
            "geographic_residence": ("positive", "Minskar köerna i östra Borås.", None),
        },
    ),
    (
        "FSF",
        "Ändrade öppettider i förskolan under sommaren",
        "withdrawn",
        None,
        "Förskolorna samordnas i fyra sommarförskolor under veckorna 28–31.",
        "Barn i förskolan och vårdnadshavare som arbetar under sommaren.",
        {"socioeconomic_status": ("negative", "Vårdnadshavare med schemalagda yrken och låg inkomst.", None)},
    ),
    (
        "FSF",
        "Språkstöd i förskolan i Hässleholmen",
        "draft",
        ["Norrby"],
        "Förskolorna i Hässleholmen får två språkutvecklare under tre år.",
        "Barn med annat modersmål än svenska och deras familjer.",
        {
            "ethnicity": ("significantly_positive", "Barn med annat modersmål än svenska.", None),
            "age": ("positive", "Barn 3–5 år.", None),
        },
    ),
    (
        "VAF",
        "Nytt äldreboende på Göta",
        "approved",
        ["Göta"],
        "Ett nytt vård- och omsorgsboende med 80 platser ersätter två äldre boenden.",
        "Äldre med omfattande omsorgsbehov, anhöriga och personal.",
        {
            "age": ("positive", "Äldre som behöver vård- och omsorgsboende.", None),
            "geographic_residence": (
                "negative",
                "Boende i Fristad får längre till närmaste boende.",
                "Anhöriga erbjuds färdtjänst vid besök de första sex månaderna.",
            ),
            "religion": ("neutral", "Andrum för olika trosuppfattningar planeras i huset.", None),
            "sexual_orientation": ("positive", "Boendet HBTQ-certifieras.", None),
            "disability": ("positive", "Hela huset byggs tillgängligt.", None),
        },
    ),
    (
        "VAF",
        "Trygghetsboende i Dalsjöfors",
        "submitted",
        ["Dalsjöfors"],
        "Ett trygghetsboende med 30 lägenheter och gemensamhetslokal öppnar i Dalsjöfors.",
        "Personer över 70 år i Dalsjöfors och Brämhult.",
        {
            "age": ("positive", "Äldre som vill bo kvar i sin kommundel.", None),
            "socioeconomic_status": ("cannot_assess", "Äldre med låg pension.", None),
        },
    ),
    (
        "VAF",
        "Samordnad nattpatrull i hemtjänsten",
        "draft",
        None,
        "Nattpatrullerna i hemtjänsten samordnas från tre till två baser.",
        "Personer med hemtjänst nattetid.",
        {
            "age": ("negative", "Äldre med nattinsatser kan få längre väntetid.", None),
            "disability": ("negative", "Personer med trygghetslarm.", None),
        },
    ),
    (
        "TKF",
        "Ny busslinje mellan Norrby och Knalleland",
        "approved",
        ["Norrby", "Centrum"],
        "En ny stomlinje med tiominuterstrafik kopplar Norrby till Knalleland och resecentrum.",
        "Boende i Norrby, pendlare och handelsanställda.",
        {
            "geographic_residence": (
                "significantly_positive",
                "Boende i Norrby får bättre förbindelser till arbete.",
                None,
            ),
            "socioeconomic_status": ("positive", "Hushåll utan bil.", None),
            "gender": ("positive", "Kvinnor reser oftare kollektivt.", None),
            "disability": ("neutral", "Hållplatserna byggs tillgängliga.", None),
        },
    ),
    (
        "TKF",
        "Ändrad vinterväghållning på gång- och cykelvägar",
        "returned",
        None,
        "Gång- och cykelvägar prioriteras före bilvägar vid snöröjning.",
        "Gående, cyklister och bilister.",
        {
            "gender": ("positive", "Kvinnor går och cyklar mer än män.", None),
            "age": ("positive", "Äldre som går löper mindre risk att halka.", None),
            "disability": ("cannot_assess", "Personer som använder rullstol eller rollator.", None),
        },
    ),
    (
        "TKF",
        "Sänkta hastigheter vid skolor",
        "draft",
        None,
        "Hastigheten sänks till 30 km/h vid alla grundskolor under skoltid.",
        "Elever, föräldrar och trafikanter.",
        {"age": ("positive", "Barn som går och cyklar till skolan.", None)},
    ),
    (
        "KUF",
        "Biblioteket i Sjöbo får meröppet",
        "approved",
        ["Sjöbo"],
        "Sjöbo bibliotek blir meröppet: obemannat men öppet 7–22 alla dagar med lånekort och kod.",
        "Boende i Sjöbo, studerande och barnfamiljer.",
        {
            "geographic_residence": ("positive", "Boende i Sjöbo får längre öppettider.", None),
            "age": (
                "negative",
                "Barn under 15 år kan inte besöka meröppet utan vuxen.",
                # One action for two grounds: the same text makes one action of the plan that addresses both.
                STAFFED_HOURS,
            ),
            "disability": (
                "negative",
                "Personer som behöver hjälp på plats.",
                STAFFED_HOURS,
            ),
            "socioeconomic_status": ("positive", "Studieplatser för elever utan lugn hemma.", None),
        },
    ),
    (
        "KUF",
        "Kulturskolans avgifter tas bort",
        "submitted",
        None,
        "Avgiften för kulturskolans kurser tas bort från hösten 2027.",
        "Barn och unga 6–19 år.",
        {
            "socioeconomic_status": ("significantly_positive", "Barn i familjer med låg inkomst.", None),
            "geographic_residence": ("positive", "Kurser erbjuds även i Norrby och Sjöbo.", None),
        },
    ),
    (
        "KUF",
        "Flytt av konsthallens pedagogiska verksamhet",
        "archived",
        ["Centrum"],
        "Konsthallens pedagogiska verksamhet flyttar till kulturhuset.",
        "Skolklasser och besökare.",
        {"disability": ("neutral", "Lokalerna är likvärdigt tillgängliga.", None)},
    ),
    (
        "SBF",
        "Detaljplan för bostäder vid Viskan",
        "draft",
        ["Centrum", "Göta"],
        "Detaljplanen möjliggör 600 bostäder, förskola och park längs Viskan.",
        "Framtida och nuvarande boende, barn och unga.",
        {
            "socioeconomic_status": ("cannot_assess", "Hushåll som behöver hyresrätter med rimlig hyra.", None),
            "age": ("positive", "Barn får en ny park och förskola.", None),
            "gender": ("neutral", "Trygghetsvandring gjord med boende.", None),
        },
    ),
    (
        "SBF",
        "Bygglovstaxa 2027",
        "approved",
        None,
        "Taxan för bygglov räknas upp med 4 procent.",
        "Privatpersoner och företag som söker bygglov.",
        {},
    ),
    (
        "SOF",
        "Daglig verksamhet samlas i färre lokaler",
        "submitted",
        ["Centrum", "Trandared"],
        "Den dagliga verksamheten enligt LSS samlas från nio till sex lokaler.",
        "Personer med intellektuell funktionsnedsättning och deras anhöriga.",
        {
            "disability": (
                "significantly_negative",
                "Deltagare som behöver förutsägbarhet och kort resväg.",
                "Individuella planer för varje deltagare före flytten.",
            ),
            "geographic_residence": (
                "negative",
                "Deltagare i Fristad och Viskafors får längre resor.",
                "Färdtjänst anpassas till nya tider.",
            ),
            "gender": ("neutral", "Ingen skillnad mellan kvinnor och män har setts.", None),
        },
    ),
    (
        "SOF",
        "Bostad med särskild service i Fristad",
        "draft",
        ["Fristad"],
        "Ett nytt LSS-boende med sex lägenheter byggs i Fristad.",
        "Vuxna med funktionsnedsättning som behöver bostad.",
        {"disability": ("positive", "Vuxna med beslut om bostad med särskild service.", None)},
    ),
    (
        "FFF",
        "Stöd till föreningar som arbetar med integration",
        "approved",
        ["Norrby", "Sjöbo", "Göta"],
        "Ett nytt föreningsbidrag för aktiviteter som samlar nyanlända och etablerade boende.",
        "Föreningar, nyanlända och boende i utvalda kommundelar.",
        {
            "ethnicity": ("positive", "Nyanlända och boende med utländsk bakgrund.", None),
            "religion": ("neutral", "Bidraget ges oavsett trosuppfattning men inte till religiös verksamhet.", None),
        },
    ),
    (
        "FFF",
        "Pride-aktiviteter på fritidsgårdarna",
        "submitted",
        None,
        "Fritidsgårdarna genomför årligen aktiviteter under Borås Pride.",
        "Unga HBTQ-personer och alla besökare på fritidsgårdar.",
        {
            "sexual_orientation": ("positive", "Unga HBTQ-personer.", None),
            "transgender_identity": ("positive", "Unga transpersoner.", None),
        },
    ),
    (
        "GSF",
        "Könsneutrala omklädningsrum i nya skolor",
        "approved",
        None,
        "Nya skolor byggs med enskilda omklädningsbås i stället för gemensamma rum.",
        "Elever i grundskolan.",
        {
            "transgender_identity": ("significantly_positive", "Transpersoner och icke-binära elever.", None),
            "religion": ("positive", "Elever som av religiösa skäl vill byta om enskilt.", None),
            "gender": ("positive", "Flickor som känner sig otrygga i gemensamma omklädningsrum.", None),
        },
    ),
    (
        "TKF",
        "Parkeringsavgift vid Ramnaparken",
        "draft",
        ["Centrum"],
        "Parkering vid Ramnaparken blir avgiftsbelagd helgdagar.",
        "Besökare i Ramnaparken.",
        {"socioeconomic_status": ("negative", "Familjer med låg inkomst som besöker parken.", None)},
    ),
    (
        "VAF",
        "Matdistribution till äldre i Viskafors",
        "screening",
        ["Viskafors"],
        "Upphandlingen av matdistributionen förlängs med samma villkor.",
        "",
        {},
    ),
    (
        "KUF",
        "Byte av utlåningssystem på biblioteken",
        "screening",
        None,
        "Biblioteken byter tekniskt utlåningssystem; tjänsterna för låntagare är desamma.",
        "",
        {},
    ),
    # Two earlier decisions on the same kind of proposal as the draft on the rent for associations' premises, so
    # that its "Similar assessments" shows what colleagues found last time.
    (
        "FFF",
        "Avgifter för föreningars lokalhyra 2026",
        "approved",
        None,
        "Hyran för kommunala idrottslokaler höjs med 5 procent för vuxenverksamhet; barn- och ungdomsverksamhet "
        "betalar som tidigare.",
        "Idrottsföreningar och deras medlemmar.",
        {
            "socioeconomic_status": (
                "negative",
                "Föreningar med många medlemmar från hushåll med låga inkomster har svårt att höja medlemsavgiften.",
                "Föreningsbidraget för aktiviteter i Norrby och Hässleholmen höjs i motsvarande grad.",
            ),
            "age": ("positive", "Barn- och ungdomsverksamhet undantas från höjningen.", None),
        },
    ),
    (
        "KUF",
        "Ny taxa för föreningars lokalhyra i Kulturhuset",
        "approved",
        ["Centrum"],
        "Föreningar och studieförbund betalar en ny timtaxa när de hyr lokaler i Kulturhuset; hyran höjs för "
        "vuxenverksamhet.",
        "Kulturföreningar, studieförbund och deras medlemmar.",
        {
            "socioeconomic_status": (
                "negative",
                "Små föreningar utan egna lokaler har svårast att bära en högre hyra.",
                "Rabatt för ideella föreningar med färre än 50 medlemmar.",
            ),
            "ethnicity": ("neutral", "Kulturföreningar med rötter i andra länder hyr i lika hög grad som andra.", None),
        },
    ),
]


DO_NOTHING = (
    "Göra ingenting: behålla nuvarande ordning.",
    "Ingen grund påverkas negativt jämfört med i dag, men de skillnader förslaget ska minska består.",
    "Syftet med förslaget nås inte, och nuvarande ordning har egna brister för samma grupper.",
)

# The outcome of some cases, what goes with it, and the alternatives considered; the others follow ``_outcome``.
OUTCOMES = {
    "Nya öppettider i simhallarna": (
        Outcome.adjust,
        "Förslaget justerades efter dialog med pensionärsrådet: Norrbybadet behåller en sen kväll i veckan, "
        "seniorsim läggs på förmiddagar och lovsim blir gratis för barn i Norrby.",
        [
            DO_NOTHING,
            (
                "Stänga Norrbybadet helt och behålla Alidebergsbadets kvällar.",
                "Geografisk hemvist och socioekonomisk status påverkas betydligt mer negativt i Norrby.",
                "Kortare öppettider i båda baden sprider minskningen jämnare mellan kommundelarna.",
            ),
        ],
    ),
    "Ändrade regler för skolskjuts": (
        Outcome.continue_despite,
        "Elever på landsbygden får längre gångväg till hållplatsen, men reglerna blir lika i hela kommunen och "
        "följer skollagens krav. Nämnden har vägt trafiksäkerheten och likabehandlingen mellan skolområden mot den "
        "längre restiden; den negativa påverkan begränsas med individuell prövning för elever med särskilda behov "
        "och trafikfarliga vägar, och följs upp efter ett läsår.",
        [
            DO_NOTHING,
            (
                "Behålla dagens avståndsgränser men bara i de kommundelar som har dem i dag.",
                "Geografisk hemvist: elever behandlas olika beroende på var de bor, vilket förslaget vill undvika.",
                "Olika regler i olika kommundelar går inte att motivera utifrån likabehandling.",
            ),
        ],
    ),
    "Daglig verksamhet samlas i färre lokaler": (
        Outcome.stop,
        "",
        [
            DO_NOTHING,
            (
                "Samla verksamheten i två lokaler, en i Fristad och en i centrum, i stället för en.",
                "Funktionsnedsättning: restiden blir kortare och färre deltagare byter personal; "
                "geografisk hemvist påverkas mindre negativt.",
                "",
            ),
        ],
    ),
}


def _outcome(answers: dict) -> tuple[Outcome, str, list[tuple[str, str, str]]]:
    """No negative ground: no major change; a mitigated one: the proposal was adjusted; else continue anyway."""
    negative = [spec for spec in answers.values() if Impact(spec[0]).is_negative]
    if not negative:
        return Outcome.no_major_change, "", []
    mitigations = list(dict.fromkeys(spec[2] for spec in negative if spec[2]))  # an action for two grounds once
    if mitigations:
        return Outcome.adjust, "Förslaget kompletterades med åtgärder: " + " ".join(mitigations), [DO_NOTHING]
    justification = "Påverkan är begränsad och vägs upp av förslagets nytta för fler; den följs upp efter ett år."
    return Outcome.continue_despite, justification, [DO_NOTHING]


def _staff(departments: dict[str, Department]) -> dict[str, tuple[User, User]]:
    """One demo case officer and one reviewer per department in STAFF (and FFF's existing demo users)."""
    users = {user.email: user for user in db.session.scalars(sa.select(User))}
    staff = {}
    for code, (officer_name, reviewer_name) in STAFF.items():
        pair = []
        for name, role in ((officer_name, Role.case_officer), (reviewer_name, Role.reviewer)):
            email = f"{role.value.replace('_', '')}.{code.lower()}@boras.example.com"
            user = users.get(email)
            if user is None:
                user = User(
                    email=email, name=name, department=departments[code], password_hash=hash_password(DEMO_PASSWORD)
                )
                user.roles = [role]
                db.session.add(user)
            pair.append(user)
        staff[code] = tuple(pair)
    staff["FFF"] = (users["handlaggare@boras.example.com"], users["granskare@boras.example.com"])
    db.session.flush()
    return staff


# The named areas within the districts that some proposals touch (by the areas' codes).
AREAS = {
    "Upprustning av spontanidrottsplatsen på Hässleholmen": ("OMR-HASSLEHOLMEN",),
    "Fritidsgård i Sjöbo flyttar till biblioteket": ("OMR-SJOBO",),
    "Ny grundskola i Norrby": ("OMR-NORRBY", "OMR-HASSLEHOLMEN"),
    "Språkstöd i förskolan i Hässleholmen": ("OMR-HASSLEHOLMEN",),
}


def ensure_demo_assessments(departments: dict[str, Department]) -> int:
    """Add the demo assessments unless they exist; return how many were added."""
    if db.session.scalar(sa.select(Assessment.id).where(Assessment.case_number == FIRST_CASE_NUMBER)):
        return 0
    staff = _staff(departments)
    districts = {district.name: district for district in db.session.scalars(sa.select(District))}
    areas = {area.code: area for area in db.session.scalars(sa.select(Area))}
    version = TemplateVersion.current()
    grounds = {ground.key: ground for ground in version.grounds}
    kinds = ensure_group_kinds()
    now = utcnow()
    for number, (code, title, status, places, description, concerns, answers) in enumerate(CASES):
        officer, reviewer = staff[code]
        created = now - timedelta(days=200 - number * 6)
        assessment = Assessment(
            template_version=version,
            department=departments[code],
            created_by=officer,
            title=title,
            case_number=f"2026-{401 + number:05d}",
            committee=departments[code].committee,
            decision_date=date(2027, 1 + number % 12, 10 + number % 15),
            description=description,
            purpose="Ge invånarna likvärdig service och använda kommunens resurser väl.",
            concerns=concerns or "Ingen särskild grupp.",
            whole_municipality=places is None,
            affects_people=status != "screening",
            screening_reason="Förslaget ändrar bara interna rutiner och påverkar inte människor."
            if status == "screening"
            else "",
        )
        assessment.authors = [officer]
        assessment.districts = [districts[name] for name in places or []]
        # Each area's district is among the proposal's districts already, as the form keeps it.
        assessment.areas = [areas[code] for code in AREAS.get(title, ()) if code in areas]
        if status != "screening":
            _answer_all(assessment, grounds, answers, officer, created)
            negatives = [grounds[key].name_sv for key, spec in answers.items() if Impact(spec[0]).is_negative]
            involve(assessment, kinds, bool(negatives))
            assess_children(assessment, districts)
            assessment.overall_assessment = (
                "Förslaget bedöms sammantaget bidra till jämlika villkor."
                if not negatives
                else "Förslaget har negativa konsekvenser för " + ", ".join(negatives).lower() + " som åtgärdas."
            )
            if len(negatives) >= 2:
                assessment.combined_effects = "Samma grupper kan drabbas på flera grunder; åtgärderna samordnas."
            assessment.recommendation = "Nämnden rekommenderas att besluta enligt förslaget med föreslagna åtgärder."
            outcome, text, alternatives = OUTCOMES.get(title) or _outcome(answers)
            assessment.analysis_outcome = outcome
            assessment.adjustments = text if outcome == Outcome.adjust else ""
            assessment.outcome_justification = text if outcome == Outcome.continue_despite else ""
            if outcome == Outcome.stop:
                assessment.recommendation = (
                    "Nämnden rekommenderas att inte besluta enligt förslaget utan låta förvaltningen ta fram ett nytt "
                    "förslag tillsammans med funktionsrättsrådet."
                )
            assessment.alternatives = [
                Alternative(description=description, effects=effects, why_not_chosen=why)
                for description, effects, why in alternatives
            ]
            assessment.follow_up_date = date(2027, 12, 1)
        db.session.add(assessment)
        db.session.flush()
        trail.record(
            "assessment.create", assessment, actor=officer, changes={"title": {"before": None, "after": title}}
        )
        _move(assessment, "submitted" if status == "screening" else status, officer, reviewer)
        _record_actuals(assessment, officer)
        assessment.created_at = created
        assessment.updated_at = created + timedelta(days=5)
        if assessment.submitted_at:
            assessment.submitted_at = created + timedelta(days=6)
        if assessment.decided_at:
            assessment.decided_at = created + timedelta(days=9)
    db.session.flush()
    return len(CASES)


def _move(assessment: Assessment, status: str, officer: User, reviewer: User) -> None:
    if status in ("submitted", "approved", "archived", "returned"):
        lifecycle.submit(assessment, officer)
    if status in ("approved", "archived"):
        workflow.approve(assessment, reviewer)
    if status == "archived":
        workflow.archive(assessment, reviewer)
    if status == "returned":
        workflow.return_for_changes(assessment, reviewer, "Beskriv underlaget tydligare och komplettera åtgärderna.")
    if status == "withdrawn":
        lifecycle.withdraw(assessment, officer)
    assert assessment.status == AssessmentStatus(status)


def _answer_all(assessment, grounds, answers, officer, created) -> None:
    # One action in the plan per text: the same action named for several grounds addresses them all.
    actions: dict[str, Mitigation] = {}
    for key, ground in grounds.items():
        spec = answers.get(key)
        if spec is None:
            assessment.answers.append(
                GroundAnswer(ground=ground, relevant=False, not_relevant_reason=NOT_RELEVANT, updated_by_id=officer.id)
            )
            continue
        impact, groups, mitigation = spec
        answer = GroundAnswer(
            ground=ground,
            relevant=True,
            impact=Impact(impact),
            affected_groups=groups,
            evidence="Kommunens statistik per kommundel, dialog med berörda och erfarenheter från liknande beslut.",
            confidence=Confidence.medium if impact != "cannot_assess" else Confidence.low,
            missing_information="Statistik per kommundel beställs från SCB." if impact == "cannot_assess" else "",
            updated_by_id=officer.id,
        )
        if mitigation:
            if mitigation not in actions:
                actions[mitigation] = Mitigation(
                    assessment=assessment,
                    description=mitigation,
                    responsible="Verksamhetschef",
                    due_date=date(2027, 6, 30),
                )
            answer.mitigations = [actions[mitigation]]
        elif Impact(impact).is_negative:
            answer.acceptance_justification = "Påverkan är begränsad och vägs upp av förslagets nytta för fler."
        if answer.impact.is_negative:
            # A mitigation is expected to lift the impact one step; an accepted impact remains as it is.
            answer.remaining_impact = _one_step_better(answer.impact) if mitigation else answer.impact
        assessment.answers.append(answer)


def _one_step_better(impact: Impact) -> Impact:
    return Impact.negative if impact == Impact.significantly_negative else Impact.neutral


# What the follow-up of an approved demo assessment found: {title: {ground key: (actual impact, comment, outcome)}}.
ACTUALS = {
    "Nya öppettider i simhallarna": {
        "age": (
            "neutral",
            "Seniorsimmet på förmiddagar har i genomsnitt 40 besökare.",
            "Seniorsimmet infördes i mars och de flesta som simmade på kvällarna kommer nu på förmiddagen.",
        ),
        "socioeconomic_status": (
            "negative",
            "Lovsimmet nådde färre barn än väntat.",
            "Lovsimmet genomfördes, men bara hälften av platserna användes av barn från Norrby.",
        ),
    },
}


def _record_actuals(assessment: Assessment, officer: User) -> None:
    """The demo's follow-up: the actual impact beside the predicted one, recorded as the authors would."""
    found = ACTUALS.get(assessment.title, {})
    outcomes = {}
    for answer in assessment.answers:
        if answer.ground.key in found:
            actual, comment, outcome = found[answer.ground.key]
            outcomes[answer] = workflow.FollowUpInput(outcome, Impact(actual), comment)
    if outcomes:
        workflow.record_outcomes(assessment, officer, outcomes)
