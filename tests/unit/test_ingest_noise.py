"""Noise lines: page furniture is found with a reason, and the body is never changed."""

from __future__ import annotations

import pytest

from app.ingest.noise import noise_lines, noise_reason

FURNITURE = [
    ("Share this article", "share or follow prompt"),
    ("Facebook | Twitter | WhatsApp | Email", "share or follow prompt"),
    ("Follow us on Telegram", "share or follow prompt"),
    ("Fight Censorship, Share This Post!", "share or follow prompt"),
    ("Subscribe to our daily briefing", "subscription or newsletter"),
    (
        "Sign up for the morning newsletter and get the news first.",
        "subscription or newsletter",
    ),
    ("Read also: Harbour talks stall again", "link to another article"),
    ("READ MORE: Ferry strike ends", "link to another article"),
    ("Related", "link to another article"),
    ("Leave a Reply", "comment form"),
    ("Your email address will not be published. Required fields are marked *", "comment form"),
    ("12 comments", "comment form"),
    ("Photo: The harbour at dawn.", "caption or credit"),
    ("FILE PHOTO: Ministers shake hands in Varnes.", "caption or credit"),
    (
        "Ministers in Varnes on Tuesday. Photographer: Lena Holt/AFP via Getty Images",
        "caption or credit",
    ),
    ("Source: Northern Wire", "caption or credit"),
    ("© 2023 Border Watch", "site footer"),
    ("Copyright 2023 Border Watch. All rights reserved.", "site footer"),
    ("Privacy Policy | Terms of Use", "site footer"),
    ("Lena Holt contributed to this report.", "site footer"),
    ("Advertisement", "advertisement"),
    ("https://borderwatch.example/story/123", "bare link"),
    ("Image copyright Getty Images Image caption Ministers in Varnes", "caption or credit"),
    ("Latest: ministers share a Facebook post", "link to another article"),
    ("Editor: Lena Holt | Twitter | Email", "share or follow prompt"),
]


@pytest.mark.parametrize(("line", "reason"), FURNITURE)
def test_furniture_lines_are_noise_with_a_reason(line, reason):
    assert noise_reason(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        '"We will not be rushed," the minister said on Tuesday.',
        "The foreign ministry said it would share its proposal with partners next week.",
        "Officials said the related talks on fishing would resume in the spring.",
        "The minister, who writes a weekly newsletter, said the visit was postponed. " * 6,
    ],
)
def test_reporting_lines_are_not_noise(line):
    assert noise_reason(line) is None


def test_spans_are_offsets_into_the_unchanged_body_and_repeats_are_marked():
    body = (
        "The ministers met in Varnes.\n\n"
        "Read also: Ferry strike ends\n\n"
        "They agreed to meet again.\n\n"
        "the ministers met  in Varnes.\n"
        "Share this article"
    )
    spans = noise_lines(body)
    assert [(body[start:end], reason) for start, end, reason in spans] == [
        ("Read also: Ferry strike ends", "link to another article"),
        ("the ministers met  in Varnes.", "repeated paragraph"),
        ("Share this article", "share or follow prompt"),
    ]


def test_a_clean_body_has_no_noise():
    assert noise_lines("The ministers met.\n\nThey agreed to meet again.") == []


def test_a_line_in_a_body_has_the_reason_it_has_alone():
    """In a body, the floating rules' words are looked for once and a line without one
    is tested at its start only: the reasons must be those of each line on its own."""
    reporting = "The ministers met in Varnes on Tuesday and agreed to meet again."
    lines = [
        line
        for n, (furniture, _) in enumerate(FURNITURE)
        for line in (furniture, f"{reporting} {n}")
    ]
    body = "\n\n".join(lines)
    spans = {body[start:end]: reason for start, end, reason in noise_lines(body)}
    assert spans == {line: noise_reason(line) for line in lines if noise_reason(line)}
