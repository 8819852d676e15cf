"""The assessments most like a given one: its title's and description's words, any of them, ranked by the index."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from impact.assessments import access
from impact.assessments.chain import chain_ids
from impact.assessments.models import Assessment, GroundAnswer
from impact.assessments.search.query import WORD, Search, words
from impact.core.db import db

LIMIT = 5
MAX_WORDS = 16
MIN_LENGTH = 3
# Words that say nothing about what a proposal is about; PostgreSQL's Swedish configuration drops its own stop
# words, and SQLite's FTS5 has none, so the commonest are left out here for both.
_STOP_WORDS = """alla allt att av bara blir bli blev där det den denna dessa detta dem deras efter eller ett från för
    genom har hade hos hur inte inom kan kommer man med mellan mer mot många när och också om sig sin sina
    ska skall som så till under upp ut utan vad var vara vid vi än även över the and for with from that this"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


def query_words(assessment: Assessment) -> list[str]:
    """The words that describe the proposal: the title's first, then the description's, without stop words or
    bare numbers."""
    chosen = []
    for word in words(assessment.title) + _all_words(assessment.description):
        if len(word) >= MIN_LENGTH and word not in STOP_WORDS and not word.isdigit() and word not in chosen:
            chosen.append(word)
    return chosen[:MAX_WORDS]


def _all_words(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def similar_to(assessment: Assessment, user, limit: int = LIMIT) -> list[Assessment]:
    """Up to ``limit`` assessments ``user`` may read that are most like ``assessment``, best first, leaving out
    the assessment and every version of its proposal; their answers and grounds are loaded for their profiles."""
    terms = query_words(assessment)
    if assessment.id is None or not terms:
        return []
    hits = Search(tuple(terms), any_word=True, prefix=False).hits()
    statement = (
        sa.select(Assessment)
        .join(hits, hits.c.id == Assessment.id)
        .where(access.visible_filter(user), Assessment.id.not_in(chain_ids()))
        .order_by(hits.c.rank.desc(), Assessment.id.desc())
        .limit(limit)
        .options(selectinload(Assessment.answers).selectinload(GroundAnswer.ground))
    )
    return list(db.session.scalars(statement, {"assessment_id": assessment.id}))


def profile(assessment: Assessment) -> list[tuple[str, str]]:
    """The assessment's impact per relevant ground, in the template's order: (ground, impact) in words."""
    answers = sorted(
        (answer for answer in assessment.answers if answer.relevant and answer.impact is not None),
        key=lambda answer: answer.ground.position,
    )
    return [(answer.ground.name, str(answer.impact.label)) for answer in answers]
