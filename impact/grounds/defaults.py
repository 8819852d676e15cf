"""The nine grounds of Socialt hållbart Borås with guidance and guiding questions, as first published.

Admins edit them later as new template versions; this is only the starting point.
"""

from impact.core.db import db, utcnow
from impact.grounds.models import Ground, GuidingQuestion, TemplateStatus, TemplateVersion, default_articles

DEFAULT_GROUNDS: list[dict] = [
    {
        "key": "socioeconomic_status",
        "name_sv": "Socioekonomisk status",
        "name_en": "Socioeconomic status",
        "guidance_sv": "Socioekonomisk status handlar om inkomst, utbildning, sysselsättning och boende. Skillnaderna "
        "mellan grupper i Borås växer. Tänk på hushåll med låg inkomst, personer utan arbete och barn i "
        "ekonomiskt utsatta familjer.",
        "guidance_en": "Socioeconomic status covers income, education, employment and housing. The differences "
        "between groups in Borås are growing. Consider low-income households, people without work and children "
        "in families with little money.",
        "questions": [
            (
                "Påverkar förslaget kostnader eller avgifter för enskilda?",
                "Does the proposal change costs or fees for individuals?",
            ),
            (
                "Får personer med låg inkomst eller kort utbildning samma tillgång till det som förslaget gäller?",
                "Do people with low income or little education get the same access to what the proposal concerns?",
            ),
            (
                "Kan förslaget öka eller minska skillnader i levnadsvillkor?",
                "Could the proposal widen or narrow differences in living conditions?",
            ),
        ],
    },
    {
        "key": "geographic_residence",
        "name_sv": "Geografisk hemvist",
        "name_en": "Geographic residence (district)",
        "guidance_sv": "Var man bor i kommunen påverkar tillgång till service, kommunikationer och trygghet. Ange "
        "vilka kommundelar som berörs och om vissa, till exempel Norrby, Hässleholmen eller Sjöbo, påverkas "
        "annorlunda.",
        "guidance_en": "Where people live in the municipality affects their access to services, transport and "
        "safety. Name the districts concerned and whether some, such as Norrby, Hässleholmen or Sjöbo, are "
        "affected differently.",
        "questions": [
            ("Berörs vissa kommundelar mer än andra?", "Are some districts affected more than others?"),
            (
                "Förändras avstånd eller restid till service för boende i någon del av kommunen?",
                "Does the distance or travel time to services change for residents of any part of the municipality?",
            ),
            (
                "Kan förslaget bidra till ökad eller minskad segregation mellan områden?",
                "Could the proposal increase or reduce segregation between areas?",
            ),
        ],
    },
    {
        "key": "gender",
        "name_sv": "Kön",
        "name_en": "Gender",
        "guidance_sv": "Utgå från statistik uppdelad på kön. Fråga varför skillnader finns och vad de leder till: "
        "ansvar för hem och omsorg, arbetsvillkor, trygghet i offentliga miljöer och utsatthet för våld.",
        "guidance_en": "Start from statistics broken down by sex. Ask why differences exist and what they lead to: "
        "responsibility for home and care, working conditions, safety in public spaces and exposure to violence.",
        "questions": [
            (
                "Påverkas kvinnor, män, flickor och pojkar olika?",
                "Are women, men, girls and boys affected differently?",
            ),
            (
                "Finns könsuppdelad statistik som visar skillnader?",
                "Are there statistics by sex that show differences?",
            ),
            (
                "Påverkas fördelningen av obetalt hem- och omsorgsarbete?",
                "Does the proposal change how unpaid home and care work is shared?",
            ),
        ],
    },
    {
        "key": "transgender_identity",
        "name_sv": "Könsöverskridande identitet eller uttryck",
        "name_en": "Transgender identity or expression",
        "guidance_sv": "Transpersoner möter ofta bemötande och miljöer som förutsätter två kön, till exempel "
        "omklädningsrum, blanketter och toaletter. Tänk på trygghet och integritet.",
        "guidance_en": "Trans people often meet treatment and spaces that assume two sexes, such as changing rooms, "
        "forms and toilets. Consider safety and privacy.",
        "questions": [
            (
                "Förutsätter förslaget att alla identifierar sig som kvinna eller man?",
                "Does the proposal assume that everyone identifies as a woman or a man?",
            ),
            (
                "Kan transpersoner känna sig trygga i de miljöer och verksamheter som förslaget gäller?",
                "Can trans people feel safe in the places and services the proposal concerns?",
            ),
        ],
    },
    {
        "key": "ethnicity",
        "name_sv": "Etnisk tillhörighet",
        "name_en": "Ethnicity",
        "guidance_sv": "Etnisk tillhörighet omfattar nationellt eller etniskt ursprung, hudfärg och liknande. Tänk "
        "på språk, information på andra språk än svenska, nationella minoriteter och risk för diskriminering.",
        "guidance_en": "Ethnicity covers national or ethnic origin, skin colour and the like. Consider language, "
        "information in languages other than Swedish, national minorities and the risk of discrimination.",
        "questions": [
            (
                "Når information om förslaget personer som inte talar svenska?",
                "Does information about the proposal reach people who do not speak Swedish?",
            ),
            (
                "Berörs nationella minoriteter eller urfolket samerna särskilt?",
                "Are national minorities or the Sami people particularly affected?",
            ),
            (
                "Finns risk att vissa grupper missgynnas indirekt?",
                "Is there a risk that some groups are indirectly disadvantaged?",
            ),
        ],
    },
    {
        "key": "religion",
        "name_sv": "Religion eller annan trosuppfattning",
        "name_en": "Religion or other belief",
        "guidance_sv": "Tänk på högtider, kost, klädsel, lokaler och tider som kan göra det svårare för personer "
        "med en viss tro eller livsåskådning att ta del av verksamheten.",
        "guidance_en": "Consider holidays, food, dress, premises and times that may make it harder for people of "
        "a particular faith or belief to take part.",
        "questions": [
            (
                "Kan tider, lokaler eller regler utestänga personer med en viss tro?",
                "Could times, premises or rules exclude people of a particular faith?",
            ),
            (
                "Tas hänsyn till kost- eller klädregler där det är relevant?",
                "Are dietary or dress requirements respected where relevant?",
            ),
        ],
    },
    {
        "key": "disability",
        "name_sv": "Funktionsnedsättning",
        "name_en": "Disability",
        "guidance_sv": "Bristande tillgänglighet är en form av diskriminering enligt diskrimineringslagen. Tänk på "
        "fysisk tillgänglighet, information i tillgängliga format och neuropsykiatriska funktionsnedsättningar.",
        "guidance_en": "Inadequate accessibility is itself discrimination under the Discrimination Act. Consider "
        "physical access, information in accessible formats and neuropsychiatric disabilities.",
        "questions": [
            (
                "Är lokaler, utemiljöer och digitala tjänster tillgängliga?",
                "Are premises, outdoor spaces and digital services accessible?",
            ),
            (
                "Finns information i lättläst form, på teckenspråk eller andra format?",
                "Is information available in easy-to-read form, sign language or other formats?",
            ),
            (
                "Har personer med funktionsnedsättning eller deras organisationer fått tycka till?",
                "Have disabled people or their organisations been consulted?",
            ),
        ],
    },
    {
        "key": "age",
        "name_sv": "Ålder",
        "name_en": "Age",
        "guidance_sv": "Barn, unga och äldre påverkas ofta på olika sätt. Barnkonventionen är svensk lag sedan 2020: "
        "beakta barnets bästa och barns rätt att komma till tals. Tänk också på digital delaktighet för äldre.",
        "guidance_en": "Children, young people and older people are often affected in different ways. The UN "
        "Convention on the Rights of the Child has been Swedish law since 2020: consider the best interests of the "
        "child and children's right to be heard. Consider digital inclusion for older people too.",
        "questions": [
            (
                "Hur påverkas barn och unga? Har de fått komma till tals?",
                "How are children and young people affected? Have they been heard?",
            ),
            (
                "Hur påverkas äldre, till exempel genom digitala krav?",
                "How are older people affected, for example by digital requirements?",
            ),
        ],
    },
    {
        "key": "sexual_orientation",
        "name_sv": "Sexuell läggning",
        "name_en": "Sexual orientation",
        "guidance_sv": "Homo-, bi- och heterosexuella ska ha samma villkor. Tänk på normer om familj och "
        "relationer i information, blanketter och bemötande.",
        "guidance_en": "Gay, bisexual and heterosexual people must have the same conditions. Consider assumptions "
        "about family and relationships in information, forms and how people are treated.",
        "questions": [
            ("Utgår förslaget från en viss familjeform?", "Does the proposal assume a particular kind of family?"),
            ("Kan hbtqi-personer känna sig trygga och välkomna?", "Can LGBTQI people feel safe and welcome?"),
        ],
    },
]


def install_default_template() -> TemplateVersion:
    """Publish template version 1 with the nine grounds, unless a template exists already. Never commits."""
    existing = TemplateVersion.current()
    if existing is not None:
        return existing
    version = TemplateVersion(
        number=1, status=TemplateStatus.published, published_at=utcnow(), note="Socialt hållbart Borås: nine grounds"
    )
    for position, spec in enumerate(DEFAULT_GROUNDS, start=1):
        ground = Ground(
            key=spec["key"],
            position=position,
            name_sv=spec["name_sv"],
            name_en=spec["name_en"],
            guidance_sv=spec["guidance_sv"],
            guidance_en=spec["guidance_en"],
        )
        ground.questions = [
            GuidingQuestion(position=index, text_sv=sv, text_en=en)
            for index, (sv, en) in enumerate(spec["questions"], start=1)
        ]
        version.grounds.append(ground)
    version.child_rights_articles = default_articles()
    db.session.add(version)
    db.session.flush()
    return version
