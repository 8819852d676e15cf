"""Searching the index: the words of a query, the condition and rank on each database, and highlighted matches.

The user's text never reaches the engine's query syntax as typed: it is split into words (letters and digits),
each word is quoted, and only then joined with the engine's operators. Highlights come back from the engine with
two control characters around each match (the indexed text never holds them, see ``index.clean``); the text is
HTML-escaped first and only then are those characters turned into ``<mark>``.
"""

import re
from dataclasses import dataclass

import sqlalchemy as sa
from markupsafe import Markup, escape

from impact.assessments.search import schema
from impact.core.db import db

MAX_WORDS = 12
# The last word is also searched as the start of a longer word ("skol" finds "skolor") from this length on; a
# shorter prefix would match most of the index and buy little.
PREFIX_FROM = 3
START, STOP = "\x02", "\x03"
WORD = re.compile(r"[^\W_]+")  # letters and digits; FTS5 splits at the underscore
# Weights of the columns in the order of schema.COLUMNS, for SQLite's bm25() (PostgreSQL's come from setweight).
BM25_WEIGHTS = (10.0, 10.0, 4.0, 1.0)
# ts_headline: the whole title with its matches marked; of the longer texts, a fragment or two around the matches.
TITLE_OPTIONS = f"HighlightAll=true, StartSel={START}, StopSel={STOP}"
SNIPPET_OPTIONS = f'MaxWords=22, MinWords=10, MaxFragments=2, FragmentDelimiter=" … ", StartSel={START}, StopSel={STOP}'
SNIPPET_TOKENS = 16

# The text search configuration as SQL text, not a bound value: a query that holds it can also be written out in
# full (the register's COPY does that), which a REGCONFIG parameter cannot.
_CONFIG = sa.literal_column(f"'{schema.CONFIG}'::regconfig")


def words(text: str | None) -> list[str]:
    """The words of a search, lower case, in order, without repeats; at most MAX_WORDS."""
    found = []
    for word in WORD.findall((text or "").lower()):
        if word not in found:
            found.append(word)
    return found[:MAX_WORDS]


def dialect() -> str:
    return db.session.get_bind().dialect.name


def _expression(terms: list[str], *, any_word: bool, prefix: bool, dialect_name: str) -> str:
    """The engine's query text: every word (or any word) of ``terms``, the last one also as a prefix."""
    if dialect_name == "postgresql":
        quoted = [f"'{term}'" for term in terms]  # \w+ holds no quote, colon or operator
        if prefix and len(terms[-1]) >= PREFIX_FROM:
            quoted[-1] += ":*"
        return (" | " if any_word else " & ").join(quoted)
    quoted = [f'"{term}"' for term in terms]
    if prefix and len(terms[-1]) >= PREFIX_FROM:
        quoted[-1] += "*"
    return (" OR " if any_word else " AND ").join(quoted)


@dataclass(frozen=True)
class Search:
    """A search of the index for ``terms``: the matching assessment ids with a rank (higher is better)."""

    terms: tuple[str, ...]
    any_word: bool = False
    prefix: bool = True

    @classmethod
    def of(cls, text: str | None, **options) -> "Search":
        return cls(tuple(words(text)), **options)

    def _parts(self):
        dialect_name = dialect()
        table = schema.table_for(dialect_name)
        expression = _expression(
            list(self.terms), any_word=self.any_word, prefix=self.prefix, dialect_name=dialect_name
        )
        if dialect_name == "postgresql":
            tsquery = sa.func.to_tsquery(_CONFIG, expression)
            return table, table.c.document.op("@@")(tsquery), sa.func.ts_rank(table.c.document, tsquery), tsquery
        match = sa.literal_column(schema.NAME).op("MATCH")(expression)
        # bm25() is lower for a better match.
        rank = -sa.func.bm25(sa.literal_column(schema.NAME), *BM25_WEIGHTS)
        return table, match, rank, expression

    def ids(self) -> sa.Select:
        """SELECT of the matching assessment ids (nothing when the search has no words)."""
        if not self.terms:
            return sa.select(sa.literal(None, sa.Integer)).where(sa.false())
        table, condition, _rank, _query = self._parts()
        return sa.select(table.c.assessment_id).where(condition)

    def hits(self, within: sa.Select | None = None) -> sa.Subquery:
        """A subquery of the matches: ``id`` and ``rank``; only those among the ids ``within`` selects, if given
        (then only they are ranked)."""
        if not self.terms:
            return (
                sa.select(sa.literal(None, sa.Integer).label("id"), sa.literal(0.0, sa.Float).label("rank"))
                .where(sa.false())
                .subquery("search_hits")
            )
        table, condition, rank, _query = self._parts()
        statement = sa.select(table.c.assessment_id.label("id"), rank.label("rank")).where(condition)
        if within is not None:
            # PostgreSQL looks each id up and ranks only those (ranking every match from the lowest id on cost
            # twice the time, and a parallel worker). SQLite walks the matches from the lowest of the ids on and
            # keeps those among them; "+ 0" stops it from running the whole query again for each id instead.
            ids = within.subquery("within_ids")
            if dialect() == "postgresql":
                statement = statement.where(table.c.assessment_id.in_(sa.select(ids.c[0])))
            else:
                lowest = sa.select(sa.func.min(ids.c[0])).scalar_subquery()
                statement = statement.where(
                    table.c.assessment_id >= lowest, (table.c.assessment_id + 0).in_(sa.select(ids.c[0]))
                )
        return statement.subquery("search_hits")

    def latest(self, *conditions: sa.ColumnElement[bool], limit: int) -> sa.Select:
        """The ids of the ``limit`` newest matches (highest ids) that meet ``conditions`` on the assessments, unranked:
        the engine walks the matches newest first and stops (on PostgreSQL, when the words are in most assessments,
        by walking the ids backwards and testing each)."""
        from impact.assessments.models import Assessment

        table, condition, _rank, _query = self._parts()
        return (
            sa.select(table.c.assessment_id)
            .join(Assessment, Assessment.id == table.c.assessment_id)
            .where(condition, *conditions)
            .order_by(table.c.assessment_id.desc())
            .limit(limit)
        )

    def highlights(self, ids: list[int]) -> dict[int, "Highlight"]:
        """The title of each of ``ids`` with the matched words marked, and a passage of the other texts around the
        matches, if any is there."""
        if not self.terms or not ids:
            return {}
        table, condition, _rank, query = self._parts()
        if dialect() == "postgresql":
            columns = [
                sa.func.ts_headline(_CONFIG, table.c.title, query, TITLE_OPTIONS),
                *(
                    sa.func.ts_headline(_CONFIG, table.c[name], query, SNIPPET_OPTIONS)
                    for name in ("proposal", "answers")
                ),
            ]
            statement = sa.select(table.c.assessment_id, *columns).where(table.c.assessment_id.in_(ids))
        else:
            fts = sa.literal_column(schema.NAME)
            columns = [
                sa.func.highlight(fts, schema.COLUMNS.index("title"), START, STOP),
                *(
                    sa.func.snippet(fts, schema.COLUMNS.index(name), START, STOP, " … ", SNIPPET_TOKENS)
                    for name in ("proposal", "answers")
                ),
            ]
            statement = sa.select(table.c.assessment_id, *columns).where(condition, table.c.assessment_id.in_(ids))
        found = {}
        for assessment_id, title, *passages in db.session.execute(statement):
            passage = next((text for text in passages if text and START in text), None)
            found[assessment_id] = Highlight(marked(title or ""), marked(passage) if passage else None)
        return found


MARK_OPEN, MARK_CLOSE = Markup("<mark>"), Markup("</mark>")


@dataclass(frozen=True)
class Highlight:
    title: Markup
    passage: Markup | None


def marked(text: str) -> Markup:
    """``text`` escaped for HTML, with the engine's match markers turned into <mark> elements."""
    if text.count(START) != text.count(STOP):  # never expected: show the text without marks
        return escape(text.replace(START, "").replace(STOP, ""))
    # Markup.replace escapes what it inserts unless that is Markup itself: only the two tags go in unescaped.
    return escape(text).replace(START, MARK_OPEN).replace(STOP, MARK_CLOSE)
