"""The JSON shapes of the read API, as pydantic models so /openapi.json documents them.

Builders turn rows into these models in one place; the API and the JSON export share
them, so a statement looks the same wherever a program meets it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import Article, Statement
from app.queries.filters import StatementFilter
from app.queries.statements import Facet


class FilterOut(BaseModel):
    """The filter as understood: canonical query string, in words, and field by field."""

    model_config = ConfigDict(populate_by_name=True)

    query: str = Field(description="Canonical query string: the one address of this view")
    description: str = Field(description="The filter in words, as the page title says it")
    speaker: list[str]
    outlet: list[str]
    theme: list[str]
    date_from: date | None = Field(alias="from", serialization_alias="from")
    date_to: date | None = Field(alias="to", serialization_alias="to")
    q: str | None
    about: list[str]
    sort: Literal["newest", "oldest", "relevance"] = Field(
        description="The order applied (relevance by default when q is given)"
    )
    before: str | None = Field(
        description="Keyset position of a newest-first page (`YYYY-MM-DD,ID`), if any"
    )
    page: int = Field(description="Page number of an oldest-first or relevance-ordered view")


def filter_out(filters: StatementFilter, description: str) -> FilterOut:
    return FilterOut(
        query=filters.query_string(),
        description=description,
        speaker=list(filters.speaker),
        outlet=list(filters.outlet),
        theme=list(filters.theme),
        date_from=filters.date_from,
        date_to=filters.date_to,
        q=filters.q,
        about=list(filters.about),
        sort=filters.effective_sort,
        before=str(filters.before) if filters.before else None,
        page=filters.page,
    )


class FacetOut(BaseModel):
    slug: str
    name: str
    count: int = Field(description="Statements under the current filters, this facet's own aside")
    selected: bool


class Facets(BaseModel):
    speakers: list[FacetOut]
    outlets: list[FacetOut]
    themes: list[FacetOut]


def facets_out(speakers: list[Facet], outlets: list[Facet], themes: list[Facet]) -> Facets:
    def convert(facets: list[Facet]) -> list[FacetOut]:
        return [
            FacetOut(slug=f.slug, name=f.name, count=f.count, selected=f.selected) for f in facets
        ]

    return Facets(speakers=convert(speakers), outlets=convert(outlets), themes=convert(themes))


class SpeakerRef(BaseModel):
    slug: str
    name: str
    confirmed: bool = Field(description="False for names the extractor found outside the registry")
    api: str


class OutletRef(BaseModel):
    slug: str
    name: str
    api: str


class ThemeRef(BaseModel):
    slug: str
    name: str
    api: str


class ArticleRef(BaseModel):
    id: int
    title: str
    url: str | None = Field(description="Where the article was published, when known")
    published_on: date | None
    outlet: OutletRef | None
    page: str = Field(description="The article's page in Démarche")
    api: str


class StatementOut(BaseModel):
    id: int
    text: str = Field(description="What was said, as reported")
    kind: Literal["direct", "indirect", "mixed"]
    cue: str | None = Field(description="The reporting verb")
    speaker: SpeakerRef | None
    speaker_mention: str | None = Field(description="How the article names the speaker")
    stated_on: date | None
    stated_precision: str | None
    start: int = Field(description="Character offset of the statement in the article body")
    end: int
    themes: list[ThemeRef]
    article: ArticleRef
    page: str = Field(description="The statement highlighted in its article's page")
    api: str


def speaker_ref(speaker) -> SpeakerRef:
    return SpeakerRef(
        slug=speaker.slug,
        name=speaker.name,
        confirmed=speaker.confirmed,
        api=f"/api/speakers/{speaker.slug}",
    )


def article_ref(article: Article) -> ArticleRef:
    outlet = article.outlet
    return ArticleRef(
        id=article.id,
        title=article.title,
        url=article.url,
        published_on=article.published_on,
        outlet=OutletRef(slug=outlet.slug, name=outlet.name, api=f"/api/outlets/{outlet.slug}")
        if outlet
        else None,
        page=f"/articles/{article.id}",
        api=f"/api/articles/{article.id}",
    )


def statement_out(statement: Statement) -> StatementOut:
    return StatementOut(
        id=statement.id,
        text=statement.text,
        kind=statement.kind,
        cue=statement.cue,
        speaker=speaker_ref(statement.speaker) if statement.speaker else None,
        speaker_mention=statement.speaker_mention,
        stated_on=statement.stated_on,
        stated_precision=statement.stated_precision,
        start=statement.start,
        end=statement.end,
        themes=[
            ThemeRef(
                slug=link.theme.slug, name=link.theme.name, api=f"/api/themes/{link.theme.slug}"
            )
            for link in sorted(statement.themes, key=lambda link: link.theme.slug)
        ],
        article=article_ref(statement.article),
        page=f"/articles/{statement.article_id}#s{statement.id}",
        api=f"/api/statements/{statement.id}",
    )


class StatementList(BaseModel):
    """One page of a view's statements, with the facet counts beside it."""

    filter: FilterOut
    total: int
    first: int = Field(description="Position of this page's first statement in the view (1-based)")
    page_size: int
    next: str | None = Field(description="The next page, or null on the last one")
    start: str = Field(description="The view's first page")
    statements: list[StatementOut]
    facets: Facets


class EntityOut(BaseModel):
    """A speaker, outlet or theme with its statement count under the current filters."""

    slug: str
    name: str
    statements: int = Field(
        description="Statements under the current filters, this key's own aside"
    )
    selected: bool = Field(description="True when the current filter names it")
    api: str
    timeline: str = Field(description="Its statements in the timeline page")


class EntityList(BaseModel):
    filter: FilterOut
    items: list[EntityOut]


class EntityDetail(BaseModel):
    """One speaker, outlet or theme and its statements' facets under the current filters."""

    slug: str
    name: str
    kind: Literal["speaker", "outlet", "theme"]
    details: dict[str, str | bool | list[str] | None] = Field(
        description="Speaker: kind, country, organisation, confirmed, aliases; "
        "outlet: domain; theme: description"
    )
    statements: int = Field(description="Its statements under the current filters")
    filter: FilterOut = Field(description="The filter applied, this entity included")
    facets: Facets
    statements_api: str = Field(description="Its statements, page by page")
    timeline: str


class ThemeCount(BaseModel):
    slug: str
    name: str
    count: int = Field(description="Statements of the article carrying the theme")


class ArticleDetail(BaseModel):
    id: int
    title: str
    url: str | None
    published_on: date | None
    published_precision: str | None
    language: str | None
    outlet: OutletRef | None
    body: str = Field(description="The stored text; statement offsets point into it")
    statements: list[StatementOut]
    themes: list[ThemeCount]
    same_story: list[ArticleRef] = Field(description="The same report carried by other outlets")
    page: str


class Problem(BaseModel):
    """A refused request: one sentence per problem."""

    detail: str
    errors: list[str] = []
