"""The assessments most like a given one: its title's and description's words, any of them, ranked by the index."""

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from impact.assessments import access
from impact.assessments.chain import chain_ids
from impact.assessments.models import Assessment, GroundAnswer
from impact.assessments.search.query import WORD, Search, words
from impact.core.db import db

LIMIT = 5
CANDIDATES = 300
MAX_WORDS = 10  # ranking costs in proportion to the words
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
    return _useful(words(assessment.title) + _all_words(assessment.description))[:MAX_WORDS]


def topic_words(assessment: Assessment) -> list[str]:
    """The title's useful words: what the proposal is about, which a similar one most likely shares."""
    return _useful(words(assessment.title))[:MAX_WORDS]


def _useful(found: list[str]) -> list[str]:
    chosen = []
    for word in found:
        if len(word) >= MIN_LENGTH and word not in STOP_WORDS and not word.isdigit() and word not in chosen:
            chosen.append(word)
    return chosen


def _all_words(text: str | None) -> list[str]:
    return WORD.findall((text or "").lower())


def similar_to(assessment: Assessment, user, limit: int = LIMIT) -> list[Assessment]:
    """Up to ``limit`` assessments ``user`` may read that are most like ``assessment``, best first, leaving out
    the assessment and every version of its proposal; their answers and grounds are loaded for their profiles.

    Some of a description's words are in most assessments, so ranking every assessment that shares any word
    would cost as much as the index is large. The candidates are the newest CANDIDATES the user may read that
    share a word of the title (or, with none, of the description); only they are ranked, by all the words, so
    the cost stays flat as the assessments grow in number.
    """
    terms = query_words(assessment)
    if assessment.id is None or not terms:
        return []
    readable = (access.visible_filter(user), Assessment.id.not_in(chain_ids()))
    topic = Search(tuple(topic_words(assessment) or terms), any_word=True, prefix=False)
    ranked = Search(tuple(terms), any_word=True, prefix=False)
    hits = ranked.hits(within=topic.latest(*readable, limit=CANDIDATES))
    statement = (
        sa.select(Assessment)
        .join(hits, hits.c.id == Assessment.id)
        .where(*readable)
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
