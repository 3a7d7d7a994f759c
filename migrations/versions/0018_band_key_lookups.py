"""band key lookups: the MinHash band index without a pending list

GIN indexes buffer new entries in a pending list that every search reads in full. An
import probes `ix_articles_band_keys` once per band key of a batch (some 3,200 probes),
and with inserts arriving all the time each probe read a pending list of ~130 pages:
0.7 ms a probe instead of 4 µs (docs/performance.md). With fastupdate off, new articles'
keys go straight into the index.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ALTER INDEX ix_articles_band_keys SET (fastupdate = off)")
    op.execute("SELECT gin_clean_pending_list('ix_articles_band_keys')")


def downgrade() -> None:
    op.execute("ALTER INDEX ix_articles_band_keys RESET (fastupdate)")
