"""The demo's child-rights assessments: the swimming baths, where children were heard and a right is weakened with
compensating measures, and the school transport rules, where no children were heard, with the reason. Every other
demo assessment that affects people says that it does not concern children."""

from impact.assessments.child_rights import ChildRightEffectRow, ChildRights
from impact.assessments.enums import ChildRightEffect
from impact.assessments.models import Assessment
from impact.org.models import District

E = ChildRightEffect
# Title → (districts, the answers, the rights: (article, effect, short term, long term)).
CHILD_RIGHTS = {
    "Nya öppettider i simhallarna": (
        ("Norrby",),
        {
            "children": "Barn 6–15 år som simmar på fritiden eller i föreningar, omkring 1 500; särskilt barn i "
            "familjer utan bil och barn med funktionsnedsättning som behöver varmare bassäng.",
            "districts_note": "Norrbybadet är det enda badet som barnen i Norrby når till fots.",
            "children_heard": True,
            "heard_how": "Enkät i årskurs 4–9 på tre skolor och ett möte med ungdomsrådet.",
            "children_views": "Helgerna är den tid då familjen kan simma tillsammans; lovsim är viktigt.",
            "knowledge": "Besöksstatistik 2025 per bad och timme; simkunnighet i årskurs 6 är lägre i Norrby "
            "(skolans statistik).",
            "conflicts": "Kostnaderna måste ner, samtidigt som barnens tillgång till simning minskar.",
            "child_alternatives": "Att stänga vardagskvällar i stället prövades, men drabbar föreningarnas barn mer.",
            "conclusion": "Barnets bästa har vägt tungt: lovsim och helgtid för barnfamiljer behålls i Norrby.",
            "against_reasons": "Budgetramen kräver kortare öppettider; förslaget begränsar minskningen för barn.",
            "compensating_measures": "Gratis lovsim för barn i Norrby och skolsim på vardagar.",
            "feedback": "Beslutet berättas för eleverna via skolorna och för ungdomsrådet på nästa möte.",
        },
        (
            (3, E.strengthened, "Barnens behov styr vilka tider som behålls.", ""),
            (6, E.unaffected, "", "Ingen förändring av barnens hälsa på sikt väntas."),
            (31, E.weakened, "Färre simtider på helger.", "Risk för lägre simkunnighet om lovsim inte nås."),
        ),
    ),
    "Ändrade regler för skolskjuts": (
        (),
        {
            "children": "Elever i grundskolan som åker skolskjuts, omkring 900.",
            "children_heard": False,
            "not_heard_reason": "Reglerna följer skollagen; elevråden hörs vid uppföljningen efter ett läsår.",
            "knowledge": "Skolskjutsens statistik över resor och restider 2025.",
            "conclusion": "Barnets bästa tillgodoses genom individuell prövning för elever med särskilda behov.",
            "feedback": "Vårdnadshavare och elever får information via skolplattformen före terminsstart.",
        },
        (
            (2, E.unaffected, "Samma regler för alla elever.", ""),
            (28, E.strengthened, "Tydligare regler ger jämnare tillgång till skolan.", ""),
        ),
    ),
}


def assess_children(assessment: Assessment, districts: dict[str, District]) -> None:
    """Answer the screening question on children for a demo assessment that affects people, and fill in the
    child-rights step where the proposal concerns them (so it can be submitted)."""
    found = CHILD_RIGHTS.get(assessment.title)
    if found is None:
        assessment.child_rights = ChildRights(required=True, concerns_children=False)
        return
    places, answers, rights = found
    assessment.child_rights = ChildRights(
        required=True,
        concerns_children=True,
        districts=[districts[name] for name in places if name in districts],
        effects=[
            ChildRightEffectRow(article=article, effect=effect, short_term=short, long_term=long)
            for article, effect, short, long in rights
        ],
        **answers,
    )
