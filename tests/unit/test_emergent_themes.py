"""Emergent themes: statements that fit no curated theme, clustered into proposals."""

from __future__ import annotations

import pytest

from app.analysis.emergent import MAX_STATEMENTS, propose_themes
from tests.topics import ARCTIC, OTHER, SPACE


def cluster_of(proposals, index: int) -> int:
    return next(number for number, p in enumerate(proposals) if index in p.members)


def test_two_hidden_topics_become_two_separate_proposals():
    texts = [*ARCTIC, *SPACE, *OTHER]
    proposals = propose_themes(texts)
    arctic = {cluster_of(proposals, i) for i in range(len(ARCTIC))}
    space = {cluster_of(proposals, len(ARCTIC) + i) for i in range(len(SPACE))}
    assert len(arctic) == 1 and len(space) == 1, "each topic stays whole"
    assert arctic != space, "the topics are told apart"
    terms = {p: set(proposals[p].terms) for p in (*arctic, *space)}
    assert terms[arctic.pop()] & {"arctic", "icebreakers", "northern sea", "sea route", "shipping"}
    assert terms[space.pop()] & {"space station", "cosmonauts", "launch", "rocket", "crew"}


def test_members_come_most_typical_first_and_terms_best_first():
    proposals = propose_themes([*ARCTIC, *SPACE, *OTHER])
    for proposal in proposals:
        assert proposal.size == len(proposal.members) >= 3
        assert 0 < proposal.cohesion <= 1
        assert len(proposal.terms) == len(set(proposal.terms)) > 0


def test_the_same_statements_give_the_same_proposals():
    texts = [*SPACE, *OTHER, *ARCTIC]
    assert propose_themes(texts) == propose_themes(list(texts))


def test_a_statement_carried_twice_counts_twice_but_is_clustered_once():
    texts = [*ARCTIC, *SPACE, ARCTIC[0].upper()]
    proposals = propose_themes(texts)
    arctic = proposals[cluster_of(proposals, 0)]
    assert len(texts) - 1 in arctic.members
    assert arctic.size == len(ARCTIC) + 1


@pytest.mark.parametrize(
    "texts",
    [[], ["one statement alone"], OTHER, ["the same words again"] * 50],
    ids=["nothing", "one", "unrelated", "one text repeated"],
)
def test_too_little_to_separate_proposes_nothing(texts):
    assert propose_themes(texts) == []


def test_more_than_the_cap_is_refused():
    with pytest.raises(ValueError, match=str(MAX_STATEMENTS)):
        propose_themes(["words"] * (MAX_STATEMENTS + 1))
