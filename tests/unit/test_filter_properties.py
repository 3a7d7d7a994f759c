"""Properties of the filter model over any query string a visitor or a program can send.

Whatever arrives, parsing either yields a filter whose canonical address reads back as
the same filter (one view, one address), or a `FilterError` with sentences: never
another exception, which would surface as a 500.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from hypothesis import given, settings
from hypothesis import strategies as st

from app.queries.filters import FilterError, StatementFilter

KEYS = [*StatementFilter.KEYS, "colour", "", "Speaker", "page[]"]

plausible_values = st.one_of(
    st.sampled_from(
        [
            "sergey-lavrov",
            "rt",
            "nato-enlargement",
            "2022-01-31",
            "2022-02-31",
            "newest",
            "oldest",
            "relevance",
            "1",
            "0",
            "-3",
            "10001",
            '"security guarantees" -sanctions',
            "",
            " ",
            "RT",
        ]
    ),
    st.dates().map(lambda day: day.isoformat()),
    st.integers(min_value=-5, max_value=20_000).map(str),
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,130}", fullmatch=True),
    st.text(max_size=250),
)

pairs = st.lists(st.tuples(st.sampled_from(KEYS) | st.text(max_size=10), plausible_values))


def _parse_or_none(items: list[tuple[str, str]]) -> StatementFilter | None:
    try:
        return StatementFilter.from_query(items)
    except FilterError as error:
        assert error.messages, "a refusal must say why"
        assert all(isinstance(message, str) and message for message in error.messages)
        return None


@settings(max_examples=400, deadline=None)
@given(pairs)
def test_any_pairs_parse_to_a_filter_that_round_trips_or_to_sentences(items):
    parsed = _parse_or_none(items)
    if parsed is None:
        return
    canonical = parsed.query_string()
    again = StatementFilter.from_query(parse_qsl(canonical, keep_blank_values=True))
    assert again == parsed
    assert again.query_string() == canonical


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_any_raw_query_string_parses_or_is_refused_with_sentences(raw):
    items = parse_qsl(raw, keep_blank_values=True)
    parsed = _parse_or_none(items)
    if parsed is not None:
        assert StatementFilter.from_query(parse_qsl(parsed.query_string())) == parsed


@settings(max_examples=200, deadline=None)
@given(pairs, st.permutations(range(6)))
def test_the_order_of_keys_never_changes_the_address(items, order):
    parsed = _parse_or_none(items)
    if parsed is None:
        return
    shuffled = sorted(
        parsed.query_items(), key=lambda item: order[StatementFilter.KEYS.index(item[0]) % 6]
    )
    assert StatementFilter.from_query(shuffled).query_string() == parsed.query_string()


@settings(max_examples=200, deadline=None)
@given(pairs)
def test_link_helpers_keep_a_valid_canonical_filter(items):
    parsed = _parse_or_none(items)
    if parsed is None:
        return
    variants = [
        parsed.with_removed("q"),
        parsed.with_removed("from"),
        parsed.with_page(2),
        parsed.toggle("speaker", "sergey-lavrov"),
        parsed.with_replaced("sort", "oldest"),
    ]
    for variant in variants:
        query = urlencode(variant.query_items())
        assert StatementFilter.from_query(parse_qsl(query)) == variant
