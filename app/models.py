"""The relational model: outlets, articles, speakers, statements and themes.

Typed SQLAlchemy 2 models. Every constraint and index is named by the metadata's
naming convention so that Alembic migrations diff cleanly; later issues extend the
schema only through migrations.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, ClassVar, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy import text as sql_text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, TSVECTOR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STATEMENT_KINDS = ("direct", "indirect", "mixed")
SPEAKER_KINDS = ("person", "institution")
DATE_PRECISIONS = ("day", "month", "year")
REVIEW_STATES = ("new", "confirmed", "corrected", "rejected")
"""A statement's review: `new` is the extractor's alone; any other state is an editor's,
and reprocessing keeps the statement as it is (see docs/architecture.md, "Editorial")."""

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
created_at = Annotated[datetime, mapped_column(DateTime(timezone=True), server_default=func.now())]
slug = Annotated[str, mapped_column(String(120), unique=True)]
name = Annotated[str, mapped_column(String(300))]
edited_at = Annotated[datetime | None, mapped_column(DateTime(timezone=True))]
"""When an admin last changed a registry row in the app; the YAML sync skips such rows."""
retired_at = Annotated[datetime | None, mapped_column(DateTime(timezone=True))]
"""When an admin retired a registry row: hidden from extraction, its statements kept."""

CHECKED_PER_STATEMENT = {"enforced_by": "statement-level trigger"}
"""Marks a foreign key the database checks once per INSERT statement, not once per row
(`app.db_keys`: per-row checks cost more than the rows of a bulk COPY). The ORM still
sees the key, for joins and relationships; `app.db.include_in_autogenerate` knows that
no constraint stands behind it.
"""


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Outlet(Base):
    """A publication; `domains` tie articles to it by their URL (`domain` is the first,
    for display), `aliases` by a name printed in the text.

    Registry rows carry `edited_at` once an admin changed them in the app: the start-up
    sync from app/knowledge/outlets.yaml then leaves them alone. `retired_at` hides an
    outlet from the registry the importer uses; its articles stay.
    """

    __tablename__ = "outlets"

    id: Mapped[intpk]
    slug: Mapped[slug]
    name: Mapped[name]
    domain: Mapped[str | None] = mapped_column(String(200))
    domains: Mapped[list[str]] = mapped_column(JSONB, server_default=sql_text("'[]'::jsonb"))
    aliases: Mapped[list[str]] = mapped_column(JSONB, server_default=sql_text("'[]'::jsonb"))
    created_at: Mapped[created_at]
    edited_at: Mapped[edited_at]
    retired_at: Mapped[retired_at]

    articles: Mapped[list[Article]] = relationship(back_populates="outlet")


class Story(Base):
    """One story, however many outlets carried it: near-duplicate articles share a story."""

    __tablename__ = "stories"

    id: Mapped[intpk]
    created_at: Mapped[created_at]

    articles: Mapped[list[Article]] = relationship(back_populates="story")


class Article(Base):
    """One ingested article: the raw input as received and the normalised body.

    Statement offsets point into `body`, so the body is never rewritten once stored.
    """

    __tablename__ = "articles"

    id: Mapped[intpk]
    outlet_id: Mapped[int | None] = mapped_column(ForeignKey("outlets.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(2000))
    published_on: Mapped[date | None] = mapped_column(Date, index=True)
    published_precision: Mapped[str | None] = mapped_column(String(5))
    body: Mapped[str] = mapped_column(Text)
    # The raw upload (often a whole HTML page) and the near-duplicate signature are read
    # in SQL only: every statement card joins its article, and loading them with it read
    # kilobytes per card.
    raw: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    raw_sha256: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_name: Mapped[str | None] = mapped_column(String(500))
    language: Mapped[str | None] = mapped_column(String(12))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    story_id: Mapped[int | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True
    )
    band_keys: Mapped[list[int]] = mapped_column(
        ARRAY(BigInteger), default=list, server_default="{}", deferred=True
    )
    """MinHash LSH band keys (`app.ingest.similarity.band_keys`): articles sharing one
    are near-duplicate candidates, found through the GIN index key by key (without a
    pending list, which every probe would read whole: migration 0018)."""
    # Title words weigh more than body words; the body counts up to its first 100,000
    # characters, which keeps every tsvector well under Postgres's 1 MB limit. A trigger
    # computes it once the article is indexed, and again when its title or body changes
    # (migration 0023): null while `extraction` waits.
    search: Mapped[str | None] = mapped_column(TSVECTOR, deferred=True)
    extraction: Mapped[list[list[Any]] | None] = mapped_column(JSON, deferred=True)
    """The statements found in the article, stored with it by an import and turned into
    statement rows, counts, story and search vector by the indexing step
    (`app.services.indexing`), which clears it: set only until then."""
    created_at: Mapped[created_at]

    outlet: Mapped[Outlet | None] = relationship(back_populates="articles")
    story: Mapped[Story | None] = relationship(back_populates="articles")
    statements: Mapped[list[Statement]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Statement.start"
    )

    __table_args__ = (
        CheckConstraint(f"published_precision IN {DATE_PRECISIONS}", name="published_precision"),
        Index(
            "ix_articles_band_keys",
            "band_keys",
            postgresql_using="gin",
            postgresql_with={"fastupdate": "off"},
        ),
        Index("ix_articles_search", "search", postgresql_using="gin"),
        Index("ix_articles_unindexed", "id", postgresql_where=sql_text("extraction IS NOT NULL")),
        # An outlet's article ids from the index alone, without reading the articles:
        # a view of one outlet starts from them.
        Index("ix_articles_outlet_id", "outlet_id", "id"),
    )


class Speaker(Base):
    """A person or an institution that makes statements.

    Registry speakers arrive confirmed; names the extractor found outside the registry
    arrive unconfirmed for an editor to check. `roles` is a list of
    {"title", "from", "to", "descriptors"} objects (ISO dates or null), as in
    app/knowledge/speakers.yaml; `edited_at` and `retired_at` as for outlets.
    """

    __tablename__ = "speakers"

    id: Mapped[intpk]
    slug: Mapped[slug]
    name: Mapped[name]
    kind: Mapped[str] = mapped_column(String(12))
    country: Mapped[str | None] = mapped_column(String(8))
    organisation: Mapped[str | None] = mapped_column(String(300))
    roles: Mapped[list[dict[str, object]]] = mapped_column(
        JSONB, server_default=sql_text("'[]'::jsonb")
    )
    confirmed: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
    edited_at: Mapped[edited_at]
    retired_at: Mapped[retired_at]
    # Set when an editor merged this speaker into another: its statements moved there,
    # and statements extracted later for this slug go there too.
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL")
    )

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan"
    )

    __table_args__ = (CheckConstraint(f"kind IN {SPEAKER_KINDS}", name="kind"),)


class SpeakerAlias(Base):
    __tablename__ = "speaker_aliases"

    id: Mapped[intpk]
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")

    __table_args__ = (UniqueConstraint("speaker_id", "alias"),)


class Theme(Base):
    """A theme of the taxonomy; `phrases` signal it in a statement's words.
    `edited_at` and `retired_at` as for outlets."""

    __tablename__ = "themes"

    id: Mapped[intpk]
    slug: Mapped[slug]
    name: Mapped[name]
    description: Mapped[str] = mapped_column(Text, default="")
    phrases: Mapped[list[str]] = mapped_column(JSONB, server_default=sql_text("'[]'::jsonb"))
    edited_at: Mapped[edited_at]
    retired_at: Mapped[retired_at]


class Statement(Base):
    """Who said what: the reported content, its speaker, cue, kind, date and span."""

    __tablename__ = "statements"

    id: Mapped[intpk]
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE", info=CHECKED_PER_STATEMENT)
    )
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL", info=CHECKED_PER_STATEMENT), index=True
    )
    # The article's outlet, kept so by the database (migration 0021): a view of one outlet
    # reads its statements by date from ix_statements_outlet_timeline, not article by article.
    outlet_id: Mapped[int | None] = mapped_column(Integer)
    speaker_mention: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10))
    cue: Mapped[str | None] = mapped_column(String(100))
    start: Mapped[int]
    end: Mapped[int]
    stated_on: Mapped[date | None] = mapped_column(Date)
    stated_precision: Mapped[str | None] = mapped_column(String(5))
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    # Searched in SQL, never read: a list of statements would carry every card's vector.
    search: Mapped[str] = mapped_column(
        TSVECTOR, Computed("to_tsvector('english'::regconfig, text)", persisted=True), deferred=True
    )
    created_at: Mapped[created_at]
    review: Mapped[str] = mapped_column(String(10), server_default="new", default="new")

    article: Mapped[Article] = relationship(back_populates="statements")
    speaker: Mapped[Speaker | None] = relationship()
    themes: Mapped[list[StatementTheme]] = relationship(
        back_populates="statement", cascade="all, delete-orphan"
    )
    # Written by COPY (app.services.entities), read for the cards: never flushed by the ORM.
    entity_links: Mapped[list[StatementEntity]] = relationship(viewonly=True)

    __table_args__ = (
        CheckConstraint(f"kind IN {STATEMENT_KINDS}", name="kind"),
        CheckConstraint('start >= 0 AND "end" > start', name="span"),
        CheckConstraint(f"stated_precision IN {DATE_PRECISIONS}", name="stated_precision"),
        CheckConstraint(f"review IN {REVIEW_STATES}", name="review"),
        # The timeline's order (newest first, undated last): its pages and keyset cursors
        # walk this index instead of sorting every statement.
        Index(
            "ix_statements_timeline",
            sql_text("stated_on DESC NULLS LAST"),
            sql_text("id DESC"),
        ),
        Index("ix_statements_search", "search", postgresql_using="gin"),
        # An article's statements: its page, its reprocessing, its counts.
        Index("ix_statements_article_id", "article_id", "stated_on"),
        # One outlet's timeline: its newest statements without visiting its articles.
        Index(
            "ix_statements_outlet_timeline",
            "outlet_id",
            sql_text("stated_on DESC NULLS LAST"),
            sql_text("id DESC"),
        ),
        # The review queue: new statements, lowest confidence first.
        Index(
            "ix_statements_review_queue",
            "confidence",
            "id",
            postgresql_where=sql_text("review = 'new'"),
        ),
    )


class StatementTheme(Base):
    __tablename__ = "statement_themes"
    __table_args__ = (
        # A theme's statements, those that carry it most clearly first: the theme page's
        # representative statements walk it and stop, and theme filters look theme_id up.
        Index(
            "ix_statement_themes_ranked",
            "theme_id",
            sql_text("score DESC"),
            sql_text("statement_id DESC"),
        ),
    )

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE", info=CHECKED_PER_STATEMENT),
        primary_key=True,
    )
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("themes.id", ondelete="CASCADE", info=CHECKED_PER_STATEMENT),
        primary_key=True,
    )
    score: Mapped[float] = mapped_column(Float)

    statement: Mapped[Statement] = relationship(back_populates="themes")
    theme: Mapped[Theme] = relationship()


JOB_STATUSES = ("queued", "running", "done", "failed")
ITEM_STATUSES = ("stored", "duplicate", "failed")


class ImportJob(Base):
    """A bulk import: its inputs are stored first, so the job survives a restart."""

    __tablename__ = "import_jobs"

    id: Mapped[intpk]
    label: Mapped[str] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(10), default="queued")
    total: Mapped[int] = mapped_column(default=0)
    processed: Mapped[int] = mapped_column(default=0)
    stored: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    files: Mapped[list[ImportFile]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="ImportFile.position"
    )
    items: Mapped[list[ImportItem]] = relationship(
        back_populates="job", cascade="all, delete-orphan", order_by="ImportItem.id"
    )

    __table_args__ = (CheckConstraint(f"status IN {JOB_STATUSES}", name="status"),)


class ImportFile(Base):
    """One input of a job as received: an uploaded file's bytes, or a URL to fetch."""

    __tablename__ = "import_files"

    id: Mapped[intpk]
    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(1000))
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    """Loaded only when read: a job's rows are listed whole when it is planned, and a
    million articles come in 5 GB of zips."""
    url: Mapped[str | None] = mapped_column(String(2000))
    item_count: Mapped[int | None]
    done: Mapped[bool] = mapped_column(default=False)

    job: Mapped[ImportJob] = relationship(back_populates="files")


class ImportItem(Base):
    """What became of one article found in a job's inputs."""

    __tablename__ = "import_items"

    id: Mapped[intpk]
    job_id: Mapped[int] = mapped_column(
        ForeignKey("import_jobs.id", ondelete="CASCADE"), index=True
    )
    file_id: Mapped[int] = mapped_column(ForeignKey("import_files.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(1000))
    status: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text, default="")
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    job: Mapped[ImportJob] = relationship(back_populates="items")

    __table_args__ = (
        UniqueConstraint("file_id", "source"),
        CheckConstraint(f"status IN {ITEM_STATUSES}", name="status"),
    )


class SavedView(Base):
    """A view an analyst named, shared with the team: a canonical query string and its
    description in words as they were when saved.

    `created_by` is the account that saved it (empty once that account is deleted).
    """

    __tablename__ = "saved_views"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120), unique=True)
    query: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


ENTITY_KINDS = ("country", "organisation", "person")


class Entity(Base):
    """Something statements are about: a country, an organisation or a person.

    Copied from `app/knowledge/entities.yaml` and the speakers registry; `speaker_id`
    links the people and institutions that also speak, so a speaker's page can show
    who talks about them.
    """

    __tablename__ = "entities"

    id: Mapped[intpk]
    slug: Mapped[slug]
    name: Mapped[name]
    prose: Mapped[str] = mapped_column(String(300))  # in a sentence: "the EU"
    kind: Mapped[str] = mapped_column(String(12))
    speaker_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True
    )

    speaker: Mapped[Speaker | None] = relationship()

    __table_args__ = (CheckConstraint(f"kind IN {ENTITY_KINDS}", name="kind"),)


class StatementEntity(Base):
    """A statement is about an entity: its text names it at least once."""

    __tablename__ = "statement_entities"

    statement_id: Mapped[int] = mapped_column(
        ForeignKey("statements.id", ondelete="CASCADE", info=CHECKED_PER_STATEMENT),
        primary_key=True,
    )
    entity_id: Mapped[int] = mapped_column(
        ForeignKey("entities.id", ondelete="CASCADE", info=CHECKED_PER_STATEMENT),
        primary_key=True,
        index=True,
    )

    entity: Mapped[Entity] = relationship()


ROLES = ("viewer", "editor", "admin")


class User(Base):
    """An account. Roles are ordered (viewer < editor < admin); see app.web.policy.

    `password_hash` is an argon2id hash (pwdlib). Deactivating keeps the row, so what
    the person did stays attributed to them; their sessions are deleted.
    """

    __tablename__ = "users"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(40), unique=True)
    role: Mapped[str] = mapped_column(String(10))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[created_at]
    password_changed_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (CheckConstraint(f"role IN {ROLES}", name="role"),)


class UserSession(Base):
    """A signed-in browser. The cookie carries a random token; only its sha256 is stored,
    so a copy of the table cannot be replayed, and deleting the row signs the browser out."""

    __tablename__ = "user_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class ApiToken(Base):
    """A token for programs calling the JSON API (`Authorization: Bearer ...`); only its
    sha256 is stored, and it acts with its owner's role."""

    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed sign-in, counted per account and address to slow password guessing.

    Kept in Postgres rather than in memory so that every web process behind a proxy
    shares the count and a restart does not reset it.
    """

    __tablename__ = "login_failures"

    id: Mapped[intpk]
    username: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        Index("ix_login_failures_username_address", "username", "address", "failed_at"),
        Index("ix_login_failures_address", "address", "failed_at"),
    )


class AuditEvent(Base):
    """One change to an account (later: to any edited item), written in the same
    transaction as the change, with the values before and after.

    `actor_id` is null for the command line and the first start; `actor_name` keeps the
    name as it was, so the history reads the same whatever happens to the account later.
    """

    __tablename__ = "audit_events"

    id: Mapped[intpk]
    occurred_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str] = mapped_column(String(40))
    target_id: Mapped[int | None]
    target_label: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict[str, object] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, object] | None] = mapped_column(JSONB)

    __table_args__ = (Index("ix_audit_events_target", "target_type", "target_id"),)


class ShareLink(Base):
    """A read-only link to one view for someone without an account, until it expires.

    The link carries a random token; only its sha256 is stored, so the table cannot be
    turned back into working links. `query` is the view's canonical filter query.
    """

    __tablename__ = "share_links"

    id: Mapped[intpk]
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    query: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # An editor may withdraw a link before it expires: from then on it opens nothing.
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    creator: Mapped[User | None] = relationship(foreign_keys=[created_by])


class DataVersion(Base):
    """One slot of the data version the page cache keys pages by: every writing
    transaction adds one to a slot (`app/db_versions.py` says why slots)."""

    __tablename__ = "data_versions"

    slot: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    changes: Mapped[int] = mapped_column(BigInteger, server_default=sql_text("0"))


Grain = Literal["day", "month", "all"]
GRAINS: tuple[Grain, ...] = ("day", "month", "all")


class CountTable(Base):
    """Statements counted per day (month, or all time) and a few dimensions: the rollups
    behind facets and charts.

    Derived data, kept fresh in the transaction of every write (`app.services.counts`)
    and rebuilt from scratch by `demarche counts rebuild`; read through
    `app.queries.rollups`, which falls back to the live aggregates when a view's filters
    are not covered. Rejected statements are not counted. `day` is the statement's date
    (None when undated); a dimension is None where the statement has none (no speaker,
    an article without an outlet, a statement without a theme), which the unique key
    treats as one value (NULLS NOT DISTINCT), so each cell is one row.

    Each table comes in three grains (`GRAIN`) with the same cells summed coarser: per
    day; per month, `day` holding the month's first day (None still for the undated);
    and all time, `day` always None. A view without dates reads the all-time table,
    a view of whole months the monthly one: a few rows per speaker and outlet instead
    of one per day they appear on.

    The measures keep "one story counts once" (`app.queries.volume`): `n` counts every
    copy; `n_first` only statements of the first article of their story (the smallest
    id: ids grow, so storing a later copy never changes which is first); `n_outlet_first`
    only those of the first article of their story within its own outlet, which is what
    a view of one outlet counts. `stories_first` and `stories_outlet_first` count those
    first articles instead of their statements: each article once per combination of
    the table's dimensions, in the cell of its earliest statement there, so summed over
    all days (no date filter) they give the distinct stories of a speaker, theme or
    outlet (`app.queries.rollups.Rollup.stories`). Which statement is earliest does not
    depend on the grain, so every measure of a coarser cell is the sum of its day cells.
    """

    __abstract__ = True
    DIMENSIONS: ClassVar[tuple[str, ...]]
    GRAIN: ClassVar[Grain]
    COVERED: ClassVar[tuple[str, ...]] = ()
    """Dimensions whose index carries every other column, so a view narrowed by them
    reads the index alone (see `_cell`)."""

    day: Mapped[date | None] = mapped_column(Date)
    n: Mapped[int] = mapped_column(Integer)
    n_first: Mapped[int] = mapped_column(Integer)
    n_outlet_first: Mapped[int] = mapped_column(Integer)
    stories_first: Mapped[int] = mapped_column(Integer)
    stories_outlet_first: Mapped[int] = mapped_column(Integer)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Declared here, before declarative maps the subclass: the table's unique key
        # (which holds Nones) is the primary key the ORM needs.
        cls.__table_args__ = _cell(cls.__tablename__, cls.DIMENSIONS, cls.COVERED)
        cls.__mapper_args__ = {"primary_key": ("day", *cls.DIMENSIONS)}
        super().__init_subclass__(**kwargs)


MEASURES = ("n", "n_first", "n_outlet_first", "stories_first", "stories_outlet_first")
"""The count columns of every count table."""


def _others(dimensions: tuple[str, ...], dimension: str) -> list[str]:
    """What a covering index on `dimension` includes: every other column of the cell."""
    return [other for other in dimensions if other != dimension] + list(MEASURES)


def _cell(
    table: str, dimensions: tuple[str, ...], covered: tuple[str, ...]
) -> tuple[UniqueConstraint | Index, ...]:
    """The unique key over day and `dimensions`, and an index leading with each dimension
    so a view narrowed to one speaker (outlet, theme, entity) reads only its rows.

    A `covered` dimension's index includes every other column: the rows of one outlet in
    a year are scattered over the table, so a view narrowed by the outlet and filtered on
    a second dimension read a heap page for nearly every one of its cells (an outlet's
    theme by speaker over a year: 17,810 cells on 6,564 pages, 32 ms at a million
    articles; from the index alone 5 ms)."""
    indexes = [
        Index(
            f"ix_{table}_{dimension}",
            dimension,
            "day",
            postgresql_include=_others(dimensions, dimension) if dimension in covered else [],
        )
        for dimension in dimensions
    ]
    return (
        UniqueConstraint("day", *dimensions, postgresql_nulls_not_distinct=True),
        *indexes,
    )


# The dimensions of each table, shared by its three grains.


class _ByOutlet:
    DIMENSIONS = ("outlet_id",)

    outlet_id: Mapped[int | None]


class _BySpeaker:
    DIMENSIONS = ("speaker_id",)

    speaker_id: Mapped[int | None]


class _BySpeakerOutlet:
    DIMENSIONS = ("speaker_id", "outlet_id")

    speaker_id: Mapped[int | None]
    outlet_id: Mapped[int | None]


class _ByTheme:
    """One row per theme, and theme None for statements without any."""

    DIMENSIONS = ("theme_id",)

    theme_id: Mapped[int | None]


class _ByThemeSpeaker:
    """Speakers by theme, theme None for statements without any: a theme's chart and
    ranking of speakers without summing every outlet's cells."""

    DIMENSIONS = ("theme_id", "speaker_id")

    theme_id: Mapped[int | None]
    speaker_id: Mapped[int | None]


class _ByThemeSpeakerOutlet:
    DIMENSIONS = ("theme_id", "speaker_id", "outlet_id")

    theme_id: Mapped[int | None]
    speaker_id: Mapped[int | None]
    outlet_id: Mapped[int | None]


class _ByEntity:
    DIMENSIONS = ("entity_id",)

    entity_id: Mapped[int]


class _ByEntitySpeakerOutlet:
    DIMENSIONS = ("entity_id", "speaker_id", "outlet_id")

    entity_id: Mapped[int]
    speaker_id: Mapped[int | None]
    outlet_id: Mapped[int | None]


class _ByThemeOutlet:
    """Themes by outlet, theme None for statements without any."""

    DIMENSIONS = ("theme_id", "outlet_id")

    theme_id: Mapped[int | None]
    outlet_id: Mapped[int | None]


class _ByEntityThemeOutlet:
    """Entities by theme and outlet: the About facet of a view narrowed by both."""

    DIMENSIONS = ("entity_id", "theme_id", "outlet_id")

    entity_id: Mapped[int]
    theme_id: Mapped[int | None]
    outlet_id: Mapped[int | None]


class _ByEntityTheme:
    """Entities by theme, theme None for statements without any."""

    DIMENSIONS = ("entity_id", "theme_id")

    entity_id: Mapped[int]
    theme_id: Mapped[int | None]


class OutletCount(_ByOutlet, CountTable):
    __tablename__ = "counts_outlet"
    GRAIN = "day"


class OutletCountByMonth(_ByOutlet, CountTable):
    __tablename__ = "counts_outlet_month"
    GRAIN = "month"


class OutletCountAllTime(_ByOutlet, CountTable):
    __tablename__ = "counts_outlet_all"
    GRAIN = "all"


class SpeakerCount(_BySpeaker, CountTable):
    """One row per speaker, and speaker None for unattributed statements: charts and
    facets by speaker with no outlet in view read these, not the speaker-outlet pairs."""

    __tablename__ = "counts_speaker"
    GRAIN = "day"


class SpeakerCountByMonth(_BySpeaker, CountTable):
    __tablename__ = "counts_speaker_month"
    GRAIN = "month"


class SpeakerCountAllTime(_BySpeaker, CountTable):
    __tablename__ = "counts_speaker_all"
    GRAIN = "all"


class SpeakerOutletCount(_BySpeakerOutlet, CountTable):
    __tablename__ = "counts_speaker_outlet"
    GRAIN = "day"


class SpeakerOutletCountByMonth(_BySpeakerOutlet, CountTable):
    __tablename__ = "counts_speaker_outlet_month"
    GRAIN = "month"


class SpeakerOutletCountAllTime(_BySpeakerOutlet, CountTable):
    __tablename__ = "counts_speaker_outlet_all"
    GRAIN = "all"


class ThemeCount(_ByTheme, CountTable):
    __tablename__ = "counts_theme"
    GRAIN = "day"


class ThemeCountByMonth(_ByTheme, CountTable):
    __tablename__ = "counts_theme_month"
    GRAIN = "month"


class ThemeCountAllTime(_ByTheme, CountTable):
    __tablename__ = "counts_theme_all"
    GRAIN = "all"


class ThemeSpeakerCount(_ByThemeSpeaker, CountTable):
    __tablename__ = "counts_theme_speaker"
    GRAIN = "day"


class ThemeSpeakerCountByMonth(_ByThemeSpeaker, CountTable):
    __tablename__ = "counts_theme_speaker_month"
    GRAIN = "month"


class ThemeSpeakerCountAllTime(_ByThemeSpeaker, CountTable):
    __tablename__ = "counts_theme_speaker_all"
    GRAIN = "all"


class ThemeSpeakerOutletCount(_ByThemeSpeakerOutlet, CountTable):
    __tablename__ = "counts_theme_speaker_outlet"
    GRAIN = "day"
    # A timeline narrowed to an outlet and a theme charts this table by speaker.
    COVERED = ("outlet_id",)


class ThemeSpeakerOutletCountByMonth(_ByThemeSpeakerOutlet, CountTable):
    __tablename__ = "counts_theme_speaker_outlet_month"
    GRAIN = "month"


class ThemeSpeakerOutletCountAllTime(_ByThemeSpeakerOutlet, CountTable):
    __tablename__ = "counts_theme_speaker_outlet_all"
    GRAIN = "all"


class EntityCount(_ByEntity, CountTable):
    __tablename__ = "counts_entity"
    GRAIN = "day"


class EntityCountByMonth(_ByEntity, CountTable):
    __tablename__ = "counts_entity_month"
    GRAIN = "month"


class EntityCountAllTime(_ByEntity, CountTable):
    __tablename__ = "counts_entity_all"
    GRAIN = "all"


class EntitySpeakerOutletCount(_ByEntitySpeakerOutlet, CountTable):
    __tablename__ = "counts_entity_speaker_outlet"
    GRAIN = "day"


class EntitySpeakerOutletCountByMonth(_ByEntitySpeakerOutlet, CountTable):
    __tablename__ = "counts_entity_speaker_outlet_month"
    GRAIN = "month"


class EntitySpeakerOutletCountAllTime(_ByEntitySpeakerOutlet, CountTable):
    __tablename__ = "counts_entity_speaker_outlet_all"
    GRAIN = "all"


class EntityThemeCount(_ByEntityTheme, CountTable):
    __tablename__ = "counts_entity_theme"
    GRAIN = "day"


class EntityThemeCountByMonth(_ByEntityTheme, CountTable):
    __tablename__ = "counts_entity_theme_month"
    GRAIN = "month"


class EntityThemeCountAllTime(_ByEntityTheme, CountTable):
    __tablename__ = "counts_entity_theme_all"
    GRAIN = "all"


class ThemeOutletCount(_ByThemeOutlet, CountTable):
    """An outlet's themes, and the themes of every outlet beside it (the outlet page's
    shares), without summing the theme-speaker-outlet cells of every speaker."""

    __tablename__ = "counts_theme_outlet"
    GRAIN = "day"


class ThemeOutletCountByMonth(_ByThemeOutlet, CountTable):
    __tablename__ = "counts_theme_outlet_month"
    GRAIN = "month"


class ThemeOutletCountAllTime(_ByThemeOutlet, CountTable):
    __tablename__ = "counts_theme_outlet_all"
    GRAIN = "all"


class EntityThemeOutletCount(_ByEntityThemeOutlet, CountTable):
    __tablename__ = "counts_entity_theme_outlet"
    GRAIN = "day"


class EntityThemeOutletCountByMonth(_ByEntityThemeOutlet, CountTable):
    __tablename__ = "counts_entity_theme_outlet_month"
    GRAIN = "month"


class EntityThemeOutletCountAllTime(_ByEntityThemeOutlet, CountTable):
    __tablename__ = "counts_entity_theme_outlet_all"
    GRAIN = "all"


COUNT_MODELS: tuple[type[CountTable], ...] = (
    OutletCount,
    SpeakerCount,
    SpeakerOutletCount,
    ThemeCount,
    ThemeSpeakerCount,
    ThemeSpeakerOutletCount,
    EntityCount,
    EntitySpeakerOutletCount,
    EntityThemeCount,
    ThemeOutletCount,
    EntityThemeOutletCount,
)
"""The count tables by day; `COUNT_GRAINS` holds each one's three grains."""

COUNT_GRAINS: dict[type[CountTable], dict[Grain, type[CountTable]]] = {
    model: {
        coarser.GRAIN: coarser
        for coarser in CountTable.__subclasses__()
        if coarser.DIMENSIONS == model.DIMENSIONS
    }
    for model in COUNT_MODELS
}
