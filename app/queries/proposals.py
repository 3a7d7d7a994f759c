"""Proposed themes: the statements of a view that fit no curated theme, clustered.

The query takes the view's statements without any theme, most recent first and at most
`MAX_STATEMENTS` of them, and hands their texts to `app.analysis.emergent`; the
proposals come back with a few typical statements each, ready for the page and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app.analysis import MAX_STATEMENTS
from app.models import Article, Speaker, Statement, StatementTheme
from app.queries.filters import StatementFilter
from app.queries.statements import filtered


@dataclass(frozen=True, slots=True)
class SampleStatement:
    id: int
    text: str
    article_id: int
    article_title: str
    speaker: str | None
    stated_on: date | None


@dataclass(frozen=True, slots=True)
class ProposedTheme:
    terms: tuple[str, ...]
    size: int  # statements in the cluster
    cohesion: float
    samples: tuple[SampleStatement, ...]  # the most typical first

    def search(self) -> str:
        """A timeline search for the top terms: `"foreign policy" or sanctions or ...`."""
        return " or ".join(f'"{t}"' if " " in t else t for t in self.terms[:3])


@dataclass(frozen=True, slots=True)
class ThemeProposals:
    proposals: tuple[ProposedTheme, ...]
    considered: int  # statements without a theme that were clustered
    capped: bool  # the view has more of them than MAX_STATEMENTS: the oldest were left out


def unthemed_statements(
    session: Session, *, filters: StatementFilter, limit: int
) -> list[SampleStatement]:
    """The statements of the view that carry no theme, most recent first."""
    rows = session.execute(
        filtered(
            select(
                Statement.id,
                Statement.text,
                Statement.article_id,
                Article.title,
                Speaker.name,
                Statement.stated_on,
            )
            .join(Article, Article.id == Statement.article_id)
            .outerjoin(Speaker, Speaker.id == Statement.speaker_id)
            .where(~exists().where(StatementTheme.statement_id == Statement.id)),
            filters,
        )
        .order_by(Statement.stated_on.desc().nulls_last(), Statement.id.desc())
        .limit(limit)
    )
    return [SampleStatement(*row) for row in rows]


def proposed_themes(
    session: Session, *, filters: StatementFilter, samples: int = 3
) -> ThemeProposals:
    """Clusters of the view's statements without a theme, as theme proposals."""
    statements = unthemed_statements(session, filters=filters, limit=MAX_STATEMENTS + 1)
    capped = len(statements) > MAX_STATEMENTS
    statements = statements[:MAX_STATEMENTS]
    from app.analysis.emergent import propose_themes  # loads scikit-learn: see app.analysis

    clusters = propose_themes([s.text for s in statements])
    return ThemeProposals(
        proposals=tuple(
            ProposedTheme(
                terms=cluster.terms,
                size=cluster.size,
                cohesion=cluster.cohesion,
                samples=tuple(statements[i] for i in cluster.members[:samples]),
            )
            for cluster in clusters
        ),
        considered=len(statements),
        capped=capped,
    )
