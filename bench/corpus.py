"""A deterministic synthetic corpus of plain-text diplomatic news articles.

Benchmarks need many articles that look like the real input (the `date YYYY-MM-DD URL`
header, a title, a wire dateline, quotes and reported speech in the styles the extractor
handles, page furniture, syndicated copies) without shipping or copying real reporting.
Every sentence here comes from templates in this module filled with names from the
registry (`app/knowledge/speakers.yaml`, `outlets.yaml`, `themes.yaml`), so the
extractor resolves speakers, outlets and themes as it does on real text.

Article `i` depends only on `(seed, i, n)`: each has its own `random.Random` seeded
from those, so the corpus streams in constant memory, any slice can be regenerated (or
generated in parallel) and a syndicated copy is made by regenerating its original.
That keeps the generator usable for the planned million-article, five-year corpus.

    python -m bench.corpus OUT_DIR --articles 2000 --seed 1
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from app import knowledge

DEFAULT_START = date(2020, 1, 1)
DEFAULT_YEARS = 5
TARGET_WORDS = 600
# Paragraphs of background, and of two statements at once: with these shares the
# extractor finds 8.3 statements per 600 words in the generated articles, as it finds 8.4
# in the 137 real articles of ../shared/corpora (2026-12-03).
BACKGROUND_SHARE = 0.7
TWO_STATEMENT_SHARE = 0.05
SYNDICATED_SHARE = 0.06
"""Share of articles that are a near-copy of an earlier one, re-published by another
outlet with its own furniture (the MinHash near-duplicate path of the store)."""
_SYNDICATION_WINDOW = 40

# --- vocabulary -----------------------------------------------------------------------

_CITIES = (
    "MOSCOW", "WASHINGTON", "BRUSSELS", "GENEVA", "KYIV", "BEIJING", "LONDON", "PARIS",
    "BERLIN", "VIENNA", "ANKARA", "UNITED NATIONS", "NEW YORK", "TEHRAN", "ISTANBUL",
    "WARSAW", "HELSINKI", "TOKYO", "SEOUL", "NEW DELHI", "CAIRO", "DOHA", "RIYADH",
)  # fmt: skip
_VENUES = (
    "Geneva", "Vienna", "Brussels", "Istanbul", "Helsinki", "New York", "Minsk", "Doha",
    "Riyadh", "Ankara", "Jeddah", "Astana", "Munich", "Davos", "Bali", "Johannesburg",
)  # fmt: skip
_ACTORS = (
    "Moscow", "Washington", "Kyiv", "Beijing", "Brussels", "the alliance", "the West",
    "the European Union", "Tehran", "Ankara", "the other side", "the United States",
    "Russia", "Ukraine", "China", "Europe", "the Security Council", "London", "Berlin",
)  # fmt: skip
_MODALS = (
    "was ready to", "would not", "had no intention to", "intended to", "was prepared to",
    "refused to", "would continue to", "could not", "was expected to", "had agreed to",
    "was unlikely to", "had offered to", "must", "should", "planned to", "had failed to",
)  # fmt: skip
_ACTIONS = (
    "discuss {topic}", "reconsider its position on {topic}", "make concessions on {topic}",
    "return to talks on {topic}", "accept any proposal on {topic}", "raise {topic} again",
    "put {topic} on the agenda", "link {topic} to other issues", "give up on {topic}",
    "table new ideas on {topic}", "settle the dispute over {topic}", "respond on {topic}",
    "hold consultations on {topic}", "ignore concerns about {topic}",
)  # fmt: skip
_WHEN = (
    "in the coming weeks", "without preconditions", "under any circumstances",
    "as long as the current approach remains", "before the end of the year",
    "at the next round", "for now", "in the near future", "at this stage",
    "while the fighting continues", "unless the other side changes course", "",
    "", "",
)  # fmt: skip
_WE = (
    "We are ready to", "We will not", "We have no intention to", "We intend to",
    "We cannot", "We see no reason to", "We are prepared to", "Nobody can force us to",
    "We have always been willing to", "Our partners refuse to", "We will continue to",
)  # fmt: skip
_WE_ACTIONS = (
    "discuss {topic}", "accept ultimatums on {topic}", "talk about {topic}",
    "give ground on {topic}", "look for a compromise on {topic}", "ignore {topic}",
    "make {topic} a precondition", "walk away from {topic}", "work on {topic}",
)  # fmt: skip
_QUOTE_TAILS = (
    "That is our position and it has not changed.",
    "Everything else is speculation.",
    "The ball is in their court.",
    "This is not a question of prestige, it is a question of security.",
    "Nobody should have any illusions about that.",
    "We have said this many times.",
    "The door remains open.",
    "Time is running out.",
    "",
    "",
)  # fmt: skip
_FRAGMENTS = (
    "absolutely unacceptable", "a dangerous provocation", "a step in the right direction",
    "a dead end", "useful but difficult", "an attempt to rewrite history",
    "long overdue", "frank and substantive", "a serious mistake", "pure propaganda",
    "a new low", "constructive", "a breakthrough", "premature",
)  # fmt: skip
_SUBJECT_NOUNS = ("the proposal", "the talks", "the decision", "the statement", "the plan",
                  "the latest move", "the meeting", "the resolution", "the offer")  # fmt: skip
_SAID = ("said", "said", "said", "told reporters", "stressed", "noted", "warned",
         "insisted", "declared", "argued", "pointed out", "emphasised", "reiterated")  # fmt: skip
_SAID_THAT = ("said", "said", "stressed", "noted", "warned", "insisted", "argued",
              "made clear", "acknowledged", "claimed", "told journalists")  # fmt: skip
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("Jan", "Feb", "March", "April", "May", "June", "July", "Aug", "Sept", "Oct",
           "Nov", "Dec")  # fmt: skip
# Background sentences are put together from parts, with numbers and place names of
# their own, so that two articles share about as few word triples as real ones do: with
# a short list of fixed sentences, 1% of unrelated generated articles shared a MinHash
# band (none of the 9,316 pairs of real articles in ../shared/corpora did), and every
# stored article became a near-duplicate candidate of the next (2026-12-03).
_BACKGROUND = (
    "{group} {met} in {place} {when}, {outcome}.",
    "{actor} has {repeatedly} {rejected} {demands} on {topic} {since}.",
    "The {meeting} was the {ordinal} {level} since {since_date}.",
    "{count_word} {delegations} {left} {moment} on {topic}.",
    "{markets} {reacted} to the {news}, with {commodity} {moved} {percent}.",
    "The two {ministers} last met in {place} {occasion}.",
    "{actor} did not {respond} to {request} {deadline}.",
    "The {ministry} {published} {record} of the {conversation} {where}.",
    "Relations between {actor} and {actor2} have been {strained} since {since_date}.",
    "{topic_cap} has {dominated} {agenda} for {duration}.",
    "{group} {expect} {progress} before the {summit} in {place}.",
    "About {number} {people} {gathered} outside the {building} in {place} {when}.",
)  # fmt: skip
_PARTS: dict[str, tuple[str, ...]] = {
    "group": ("Officials from both sides", "Negotiators", "Senior aides", "Deputy ministers",
              "Military attachés", "Envoys of {actor}", "Working groups", "Legal advisers",
              "Technical experts", "Observers", "Parliamentary delegations", "Mediators"),
    "met": ("met for {hours} hours", "held {count} rounds of talks", "spent {days} days",
            "exchanged {count} drafts", "sat down for {hours} hours", "reconvened twice",
            "worked late into the night", "met behind closed doors", "held a video call"),
    "place": ("{venue}", "{venue}", "the town of {name}", "a resort near {name}",
              "a hotel outside {venue}", "the {name} conference centre", "{name} Palace"),
    "when": ("on {weekday}", "last {weekday}", "earlier this month", "on {weekday} night",
             "at the weekend", "over {days} days", "late on {weekday}", "in {month}"),
    "outcome": ("without a joint statement", "with no date for a further round",
                "with agreement on {count} of {count2} points", "short of a deal",
                "amid protests outside", "with a brief communique", "before dawn"),
    "repeatedly": ("repeatedly", "consistently", "twice", "so far", "more than once"),
    "rejected": ("rejected", "dismissed", "turned down", "refused to discuss", "ignored"),
    "demands": ("similar demands", "calls for talks", "offers", "such proposals",
                "requests from {actor}", "{count} earlier drafts", "outside mediation"),
    "since": ("in the past", "since {month}", "since {year}", "for {duration}",
              "since the {name} accords", "this year"),
    "meeting": ("meeting", "visit", "call", "round of talks", "session", "exchange"),
    "ordinal": ("first", "second", "third", "fourth", "fifth"),
    "level": ("at this level", "between the two ministers", "of its kind", "in {venue}",
              "since the {name} summit"),
    "since_date": ("{month} {year}", "the start of the year", "the {name} summit",
                   "{year}", "the election in {month}", "last {season}"),
    "count_word": ("Several", "{count}", "At least {count}", "Some", "Two", "A dozen"),
    "delegations": ("delegations", "envoys", "observer states", "members",
                    "opposition deputies", "non-aligned states"),
    "left": ("left the hall before the vote", "walked out during the debate",
             "abstained in the vote", "asked to delay the vote", "boycotted the session"),
    "moment": ("", "in protest", "on {weekday}", "after {hours} hours"),
    "markets": ("Markets", "Investors", "Bond markets", "Traders in {venue}",
                "The {name} index"),
    "reacted": ("reacted calmly", "reacted nervously", "shrugged off", "paid little heed"),
    "news": ("news", "announcement", "reports", "decision", "outcome"),
    "commodity": ("oil prices", "gas futures", "the rouble", "the euro", "wheat prices",
                  "gold", "the yuan", "shipping rates"),
    "moved": ("up", "down", "off", "higher by", "lower by"),
    "percent": ("{count}.{digit} percent", "0.{digit} percent", "{count} percent"),
    "ministers": ("ministers", "leaders", "envoys", "foreign ministers", "defence chiefs"),
    "occasion": ("on the sidelines of a regional forum", "in {month} {year}",
                 "at the {name} conference", "{count} years ago", "during a G20 meeting",
                 "before the {season} recess"),
    "respond": ("immediately respond", "reply", "respond"),
    "request": ("a request for comment", "written questions", "requests from {name} Radio",
                "questions from reporters", "an email"),
    "deadline": ("", "on {weekday}", "by late evening", "before publication"),
    "ministry": ("ministry", "embassy", "presidential office", "mission in {venue}",
                 "government press service"),
    "published": ("published", "posted", "released", "put out"),
    "record": ("a summary", "a transcript", "a short readout", "excerpts", "a video"),
    "conversation": ("conversation", "talks", "call", "meeting", "briefing"),
    "where": ("on its website", "on Telegram", "on {weekday} evening", "late on {weekday}",
              "in {count} languages"),
    "strained": ("strained", "tense", "frozen", "fragile", "difficult"),
    "topic_cap": ("{Topic}", "The question of {topic}", "The dispute over {topic}"),
    "dominated": ("dominated", "overshadowed", "shaped", "crowded out"),
    "agenda": ("the agenda", "talks in {venue}", "the {name} forum", "debate in {venue}"),
    "duration": ("{count} months", "{count} weeks", "years", "much of {year}",
                 "{count} years"),
    "expect": ("expect little", "see scant", "hope for some", "predict no", "doubt any"),
    "progress": ("progress", "movement", "breakthrough", "agreement", "change"),
    "summit": ("next summit", "{season} session", "talks", "vote", "next round"),
    "number": ("{count}00", "{count},000", "{count}0", "two hundred", "a thousand"),
    "people": ("protesters", "people", "supporters", "demonstrators", "residents"),
    "gathered": ("gathered", "rallied", "marched", "stood"),
    "building": ("embassy", "parliament", "conference centre", "ministry", "consulate"),
}  # fmt: skip
_LEAD_TAILS = (
    "after {duration} of contacts on {topic} that ended without a result",
    "ahead of talks in {place} {when}",
    "as {group} {met} in {place}",
    "days after {actor} {rejected} {demands}",
    "in remarks carried by {name} television",
    "after talks in {place} {outcome}",
    "as {markets} {reacted} to the {news}",
)  # fmt: skip
_SYLLABLES = ("ka", "ro", "vel", "min", "dor", "sa", "lu", "tor", "ne", "vik", "ba", "zan",
              "per", "mi", "gor", "la", "sen", "tu", "bra", "os", "kel", "ri", "dan", "mo")  # fmt: skip
_SEASONS = ("spring", "summer", "autumn", "winter")
_SURNAMES = ("Ostrowski", "Marsh", "Kowalczyk", "Brennan", "Haddad", "Lindqvist", "Moreau",
             "Tanaka", "Petrenko", "Okafor", "Reyes", "Schultz", "Novak", "Alvarez")  # fmt: skip
_FIRST_NAMES = ("Daniel", "Helen", "Anna", "Tom", "Leila", "Erik", "Claire", "Kenji",
                "Olena", "Chidi", "Lucia", "Jonas", "Petra", "Marco")  # fmt: skip
_FEMALE = frozenset({
    "Maria", "Kamala", "Jen", "Heather", "Morgan", "Sarah", "Karine", "Wendy", "Victoria",
    "Nikki", "Samantha", "Linda", "Hillary", "Susan", "Nancy", "Kaja", "Federica",
    "Catherine", "Ursula", "Angela", "Annalena", "Giorgia", "Theresa", "Liz", "Hua", "Mao",
    "Tzipi", "Choe", "Kang", "Park", "Delcy", "Valentina", "Kim Yo Jong",
})  # fmt: skip


def _noise_lines(rng: random.Random, outlet: str, when: date) -> list[str]:
    """Page furniture scraped along with real articles: captions, prompts, credits."""
    reporter = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
    editor = f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"
    options = [
        f"FILE PHOTO: Delegations arrive for talks in {rng.choice(_VENUES)}, "
        f"{when:%B} {when.day}, {when.year}. {outlet.upper()}/{reporter}/File Photo",
        "Advertisement",
        "Subscribe to our newsletter for the day's top stories.",
        f"Read more: {rng.choice(_ACTORS).capitalize()} weighs next steps after talks",
        "Share this article",
        f"Reporting by {reporter}; Editing by {editor}",
        f"© {when.year} {outlet}. All rights reserved.",
        "Click here to follow our live coverage.",
    ]
    return rng.sample(options, k=rng.randint(1, 3))


# --- registry -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Speaker:
    name: str
    short: str
    female: bool
    institution: bool
    roles: tuple[knowledge.Role, ...]


@dataclass(frozen=True, slots=True)
class _Outlet:
    slug: str
    name: str
    domain: str


@cache
def _speakers() -> tuple[_Speaker, ...]:
    result = []
    for entry in knowledge.speakers():
        single = [a for a in entry.aliases if " " not in a and a[:1].isupper()]
        short = single[0] if single else entry.name.split()[-1]
        first = entry.name.split()[0]
        result.append(
            _Speaker(
                name=entry.name,
                short=(
                    entry.aliases[0] if entry.kind == "institution" and entry.aliases else short
                ),
                female=first in _FEMALE or entry.name in _FEMALE,
                institution=entry.kind == "institution",
                roles=entry.roles,
            )
        )
    return tuple(result)


@cache
def _outlets() -> tuple[_Outlet, ...]:
    return tuple(_Outlet(o.slug, o.name, o.domains[0]) for o in knowledge.outlets() if o.domains)


_VERB_LIKE = re.compile(
    r"\w(?:ed|ing)\b|^(?:join|expand|not|return|deploy|negotiate|expel|recall|restore)\b"
)


@cache
def _topics() -> tuple[tuple[str, ...], ...]:
    """Theme phrases that read as a noun phrase ("security guarantees"), per theme.

    Verb-like phrases ("recalled its ambassador", "join NATO") would make the templates
    ungrammatical, so they are left out; the rest still trigger the theme tagger.
    """
    result = []
    for theme in knowledge.themes():
        phrases = tuple(p for p in theme.phrases if not _VERB_LIKE.search(p))
        if phrases:
            result.append(phrases)
    return tuple(result)


# --- article --------------------------------------------------------------------------


@dataclass(slots=True)
class _Person:
    """A speaker as the article names them: full form first, then short or pronoun."""

    speaker: _Speaker
    full: str
    mentioned: bool = False

    def ref(self, rng: random.Random, *, pronoun_ok: bool = False) -> str:
        if not self.mentioned:
            self.mentioned = True
            return self.full
        if self.speaker.institution:
            return self.speaker.short
        if pronoun_ok and rng.random() < 0.5:
            return "she" if self.speaker.female else "he"
        return self.speaker.short


def _full_mention(rng: random.Random, speaker: _Speaker, when: date) -> str:
    """The first mention: a role descriptor before the name, or the title after it."""
    if speaker.institution:
        return speaker.short
    held = [r for r in speaker.roles if r.held_on(when)] or list(speaker.roles)
    role = rng.choice(held) if held else None
    style = rng.random()
    if role is not None and role.descriptors and style < 0.45:
        descriptor = rng.choice(role.descriptors)
        if not descriptor.lower().endswith(speaker.name.lower()):
            return f"{descriptor[0].upper()}{descriptor[1:]} {speaker.name}"
    if role is not None and style < 0.8:
        return f"{speaker.name}, {role.title},"
    return speaker.name


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


class _Writer:
    """Sentence templates for one article, with its topics, people and quote marks."""

    def __init__(self, rng: random.Random, when: date) -> None:
        self.rng = rng
        self.when = when
        themes = rng.sample(_topics(), k=2)
        self.topics = [t for theme in themes for t in theme] or ["the talks"]
        curly = rng.random() < 0.4
        self.open, self.close = ("“", "”") if curly else ('"', '"')
        # People who held a role that day, as real reporting of that day would quote.
        pool = [s for s in _speakers() if any(r.held_on(when) for r in s.roles)]
        chosen = rng.sample(pool or _speakers(), k=rng.randint(2, 4))
        self.people = [_Person(s, _full_mention(rng, s, when)) for s in chosen]
        self.last: _Person | None = None

    def topic(self) -> str:
        return self.rng.choice(self.topics)

    def clause(self) -> str:
        rng = self.rng
        action = rng.choice(_ACTIONS).format(topic=self.topic())
        tail = rng.choice(_WHEN)
        return f"{rng.choice(_ACTORS)} {rng.choice(_MODALS)} {action}" + (
            f" {tail}" if tail else ""
        )

    def quote(self) -> str:
        rng = self.rng
        first = f"{rng.choice(_WE)} {rng.choice(_WE_ACTIONS).format(topic=self.topic())}"
        tail = rng.choice(_WHEN)
        text = first + (f" {tail}" if tail else "")
        extra = rng.choice(_QUOTE_TAILS)
        # No final stop: the caller ends the quote with "," or "." as its style needs.
        return f"{text}. {extra.rstrip('.')}" if extra else text

    def person(self) -> _Person:
        # The same speaker usually goes on talking; sometimes another one answers.
        if self.last is not None and self.rng.random() < 0.55:
            return self.last
        self.last = self.rng.choice(self.people)
        return self.last

    def lead(self, city: str, outlet: str) -> str:
        rng, person = self.rng, self.person()
        who = person.ref(rng)
        day = f"{_MONTHS[self.when.month - 1]} {self.when.day}"
        weekday = _WEEKDAYS[self.when.weekday()]
        return (
            f"{city}, {day} ({outlet}) - {who} {rng.choice(_SAID_THAT)} on {weekday} "
            f"that {self.clause()}, {self._fill(rng.choice(_LEAD_TAILS))}."
        )

    def statement(self) -> str:
        """One paragraph of speech in one of the styles real reporting uses."""
        rng, o, c = self.rng, self.open, self.close
        person = self.person()
        style = rng.randrange(9)
        if style == 0:
            return f"{o}{self.quote()},{c} {person.ref(rng)} {rng.choice(_SAID)}."
        if style == 1:
            who = person.ref(rng)
            return (
                f"{o}{self.quote()},{c} said {who}."
                if " " not in who
                else (f"{o}{self.quote()},{c} {who} said.")
            )
        if style == 2:
            return f"{_cap(person.ref(rng, pronoun_ok=True))} {rng.choice(_SAID_THAT)} that {self.clause()}."
        if style == 3:
            return f"{_cap(self.clause())}, {person.ref(rng)} {rng.choice(_SAID)}."
        if style == 4:
            return f"According to {person.ref(rng).rstrip(',')}, {self.clause()}."
        if style == 5:
            noun = rng.choice(_SUBJECT_NOUNS)
            return (
                f"{_cap(person.ref(rng, pronoun_ok=True))} said {noun} on {self.topic()} was "
                f"{o}{rng.choice(_FRAGMENTS)}{c} and that {self.clause()}."
            )
        if style == 6:
            return f"{_cap(person.ref(rng, pronoun_ok=True))} added that {self.clause()}."
        if style == 7:
            return f"{o}{self.quote()},{c} {person.ref(rng, pronoun_ok=True)} added."
        return (
            f"{_cap(person.ref(rng))} {rng.choice(_SAID)}: {o}{self.quote()}. "
            f"{rng.choice(_WE)} {rng.choice(_WE_ACTIONS).format(topic=self.topic())}.{c}"
        )

    def background(self) -> str:
        rng = self.rng
        return " ".join(_cap(self._fill(s)) for s in rng.sample(_BACKGROUND, k=rng.randint(1, 3)))

    def _fill(self, template: str) -> str:
        """A background template with its parts, numbers and names filled in, recursively."""
        rng = self.rng
        topic = self.topic()
        values = {
            "venue": rng.choice(_VENUES),
            "actor": rng.choice(_ACTORS),
            "actor2": rng.choice(_ACTORS),
            "topic": topic,
            "Topic": _cap(topic),
            "name": _place_name(rng),
            "weekday": rng.choice(_WEEKDAYS),
            "month": rng.choice(_MONTHS),
            "season": rng.choice(_SEASONS),
            "year": str(rng.randint(1995, self.when.year)),
            "hours": str(rng.randint(2, 11)),
            "days": str(rng.randint(2, 6)),
            "count": str(rng.randint(3, 19)),
            "count2": str(rng.randint(20, 40)),
            "digit": str(rng.randint(1, 9)),
        }
        parts = {key: self._fill(rng.choice(options)) for key, options in _PARTS.items()
                 if "{" + key + "}" in template}  # fmt: skip
        return " ".join(template.format(**values, **parts).split()).replace(" ,", ",")

    def title(self) -> str:
        rng = self.rng
        person = rng.choice(self.people).speaker
        topic = self.topic()
        return _cap(
            rng.choice(
                (
                    f"{person.short} says {rng.choice(_ACTORS)} {rng.choice(_MODALS)} "
                    f"{rng.choice(_ACTIONS).format(topic=topic)}",
                    f"{rng.choice(_ACTORS).capitalize()} rejects new proposal on {topic}",
                    f"{person.short} warns of consequences over {topic}",
                    f"Talks on {topic} stall as {person.short} hardens stance",
                )
            )
        )


@dataclass(frozen=True, slots=True)
class _Draft:
    """An article before rendering, so a syndicated copy can change its furniture."""

    when: date
    title: str
    paragraphs: tuple[str, ...]
    city: str


def _place_name(rng: random.Random) -> str:
    """A made-up proper name, so places and institutions vary as in real reporting."""
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:70]


def _date_of(index: int, n: int, start: date, years: int) -> date:
    span = round(365.25 * years)
    return start + timedelta(days=index * span // max(n, 1))


def _draft(seed: int, index: int, n: int, start: date, years: int) -> _Draft:
    rng = random.Random(f"{seed}:{index}")
    when = _date_of(index, n, start, years)
    writer = _Writer(rng, when)
    city = rng.choice(_CITIES)
    target = round(TARGET_WORDS * rng.uniform(0.85, 1.15))
    paragraphs = [writer.lead(city, "{outlet}")]
    words = len(paragraphs[0].split())
    while words < target:
        roll = rng.random()
        paragraph = writer.background() if roll < BACKGROUND_SHARE else writer.statement()
        if roll > 1 - TWO_STATEMENT_SHARE:  # two in one paragraph, as wires often print them
            paragraph = f"{paragraph} {writer.statement()}"
        paragraphs.append(paragraph)
        words += len(paragraph.split())
    return _Draft(when, writer.title(), tuple(paragraphs), city)


def _render(
    draft: _Draft, outlet: _Outlet, rng: random.Random, index: int, *, copy: bool = False
) -> tuple[str, bytes]:
    when = draft.when + timedelta(days=rng.randint(0, 1) if copy else 0)
    paragraphs = [p.replace("{outlet}", outlet.name) for p in draft.paragraphs]
    if copy:
        # A re-publication: its own intro line, one paragraph dropped, its own furniture.
        del paragraphs[rng.randrange(1, len(paragraphs))]
        paragraphs.insert(
            0, f"This story was first published by a partner agency on {when:%B} {when.day}."
        )
    noise = _noise_lines(rng, outlet.name, when)
    for line in noise[:-1]:
        paragraphs.insert(rng.randrange(1, len(paragraphs)), line)
    paragraphs.append(noise[-1])
    title = draft.title if not copy else f"{draft.title} - {outlet.name}"
    url = f"https://www.{outlet.domain}/world/{when:%Y/%m/%d}/{_slug(draft.title)}-{index}"
    text = f"date {when.isoformat()} {url}\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"
    name = f"{when:%Y-%m}/{index:07d}-{outlet.slug}.txt"
    return name, text.encode("utf-8")


def article(
    index: int, n: int, seed: int = 1, *, start: date = DEFAULT_START, years: int = DEFAULT_YEARS
) -> tuple[str, bytes]:
    """Article `index` of an `n`-article corpus: `(relative file name, UTF-8 bytes)`."""
    rng = random.Random(f"{seed}:{index}:render")
    outlets = _outlets()
    if index > 0 and rng.random() < SYNDICATED_SHARE:
        original = rng.randint(max(0, index - _SYNDICATION_WINDOW), index - 1)
        draft = _draft(seed, original, n, start, years)
        return _render(draft, rng.choice(outlets), rng, index, copy=True)
    return _render(_draft(seed, index, n, start, years), rng.choice(outlets), rng, index)


def generate(
    n: int, seed: int = 1, *, start: date = DEFAULT_START, years: int = DEFAULT_YEARS
) -> Iterator[tuple[str, bytes]]:
    """`n` articles dated evenly over `years` from `start`, oldest first, streamed."""
    for index in range(n):
        yield article(index, n, seed, start=start, years=years)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write YYYY-MM/NNNNNNN-outlet.txt into")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start", type=date.fromisoformat, default=DEFAULT_START)
    parser.add_argument("--years", type=int, default=DEFAULT_YEARS)
    args = parser.parse_args(argv)
    written = 0
    for name, data in generate(args.articles, args.seed, start=args.start, years=args.years):
        path = args.out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written += 1
    print(f"wrote {written} articles to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
