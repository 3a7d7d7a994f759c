"""Speaker resolution: from a phrase as written to one entity of the registry.

In order: an exact name or alias ("Sergei Lavrov"), a role descriptor held on the article
date ("Russian Foreign Minister"), a fuzzy surname for misspellings ("Riabkov"), then
coreference within the article ("he", "the top diplomat", "the Russian official" go to
the most recent compatible person), and finally an unknown but clearly named person
("Egypt's Foreign Minister Sameh Shoukry", which the store creates as unconfirmed).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from app.extract.mentions import ROLE_WORDS
from app.extract.model import SpeakerRef
from app.knowledge import Role, SpeakerEntry, speakers

# fuzz.ratio on lowercased surnames: "Ryakhkov" scores exactly 80 against "Ryabkov",
# "Riabkov" 85.7, "Ryakov" 92.3. Below 80 unrelated names start to meet.
FUZZY_THRESHOLD = 80.0
# Short surnames are too close to each other ("Rubin"/"Rubio") to be matched fuzzily.
FUZZY_MIN_LENGTH = 6

_PRONOUNS = frozenset({"he", "she"})
_PLURAL_OR_VAGUE = frozenset({"they", "we", "i", "it"})

NATIONALITIES: dict[str, str] = {
    "russian": "RU", "russia": "RU", "moscow": "RU", "kremlin": "RU",
    "american": "US", "us": "US", "u.s": "US", "united states": "US", "washington": "US",
    "ukrainian": "UA", "ukraine": "UA", "kiev": "UA", "kyiv": "UA",
    "chinese": "CN", "china": "CN", "beijing": "CN",
    "iranian": "IR", "iran": "IR", "tehran": "IR",
    "turkish": "TR", "turkey": "TR", "ankara": "TR",
    "german": "DE", "germany": "DE", "berlin": "DE",
    "french": "FR", "france": "FR", "paris": "FR",
    "british": "GB", "uk": "GB", "u.k": "GB", "britain": "GB", "london": "GB",
    "israeli": "IL", "israel": "IL", "indian": "IN", "india": "IN",
    "egyptian": "EG", "egypt": "EG", "cairo": "EG", "saudi": "SA", "qatari": "QA",
    "qatar": "QA", "japanese": "JP", "japan": "JP", "tokyo": "JP",
    "north korean": "KP", "north korea": "KP", "pyongyang": "KP",
    "south korean": "KR", "south korea": "KR", "seoul": "KR",
    "hungarian": "HU", "hungary": "HU", "polish": "PL", "poland": "PL",
    "italian": "IT", "italy": "IT", "syrian": "SY", "syria": "SY", "belarusian": "BY",
    "belarus": "BY", "nato": "NATO", "un": "UN", "u.n": "UN", "eu": "EU", "european": "EU",
}  # fmt: skip
_NATIONALITY_RE = re.compile(
    r"\b("
    + "|".join(sorted((re.escape(k) for k in NATIONALITIES), key=len, reverse=True))
    + r")(?:'s)?\b"
)

_FM = re.compile(
    r"foreign minister|secretary of state|foreign secretary|minister (?:of|for) foreign"
    r"|high representative|foreign affairs minister"
)
_NOT_TOP = re.compile(r"deputy|vice|under|assistant|state secretary|spokes|ambassador")


def _ANYONE(title: str) -> bool:  # noqa: N802 - a predicate constant, compared by identity
    return True


def _title_is(pattern: str, *, exclude: str | None = None) -> Callable[[str], bool]:
    wanted = re.compile(pattern)
    unwanted = re.compile(exclude) if exclude else None
    return lambda title: bool(wanted.search(title)) and not (unwanted and unwanted.search(title))


# Generic heads of a descriptor and the role titles they can refer to, most specific first.
_HEADS: tuple[tuple[re.Pattern[str], Callable[[str], bool]], ...] = tuple(
    (re.compile(head), test)
    for head, test in (
        (
            r"\b(?:top|chief) diplomat\b|\bdiplomacy chief\b|\bhead of (?:\w+ )?diplomacy\b"
            r"|\bforeign minister\b|\bforeign secretary\b|\bsecretary of state\b",
            lambda t: bool(_FM.search(t)) and not _NOT_TOP.search(t),
        ),
        (r"\bdeputy (?:foreign )?minister\b", _title_is(r"deputy .*minister")),
        (r"\bprime minister\b|\bpremier\b", _title_is(r"prime minister|premier")),
        (r"\bchancellor\b", _title_is(r"chancellor")),
        (r"\bspokes(?:man|woman|person)\b|\bpress secretary\b", _title_is(r"spokes|press sec")),
        (r"\bsecretary[- ]general\b|\bchief\b", _title_is(r"secretary[- ]general")),
        (r"\bambassador\b|\benvoy\b", _title_is(r"ambassador|envoy|representative")),
        (r"\bpresident\b|\bhead of state\b", _title_is(r"president", exclude=r"vice")),
        (r"\bleader\b", _title_is(r"president|leader|chairman|prime minister|king")),
        (r"\bminister\b", _title_is(r"minister", exclude=r"prime")),
        (r"\bdiplomat\b", _title_is(r"foreign|ambassador|envoy|secretary of state|represent")),
        (r"\bofficial\b|\bpolitician\b", _ANYONE),
    )
)

_ORG_WORDS = frozenset(
    [
        "house",
        "ministry",
        "department",
        "council",
        "office",
        "committee",
        "agency",
        "service",
        "times",
        "post",
        "news",
        "press",
        "government",
        "administration",
        "party",
        "union",
        "assembly",
        "parliament",
        "senate",
        "congress",
        "commission",
        "court",
        "army",
        "forces",
        "organization",
        "organisation",
        "group",
        "coalition",
        "network",
        "tv",
        "radio",
        "channel",
        "bank",
        "fund",
        "alliance",
        "nations",
        "states",
        "kingdom",
        "republic",
        "federation",
        "reuters",
        "interfax",
        "tass",
        "sputnik",
        "ria",
        "novosti",
        "xinhua",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def normalize(text: str) -> str:
    """Lowercase, accents and dots removed, curly apostrophes straightened, no leading "the"."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("’", "'").replace(".", "").replace("-", " ").lower()
    folded = " ".join(folded.split())
    return folded.removeprefix("the ")


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalize(name)).strip("-")


def ref(entry: SpeakerEntry) -> SpeakerRef:
    return SpeakerRef(name=entry.name, slug=entry.slug, kind=entry.kind, known=True)


@dataclass(frozen=True, slots=True)
class _Index:
    names: dict[str, tuple[SpeakerEntry, ...]]
    descriptors: dict[str, tuple[tuple[SpeakerEntry, Role], ...]]  # role: when it applies
    surnames: dict[str, tuple[SpeakerEntry, ...]]
    people: tuple[SpeakerEntry, ...]


@cache
def _index() -> _Index:
    names: dict[str, list[SpeakerEntry]] = {}
    descriptors: dict[str, list[tuple[SpeakerEntry, Role]]] = {}
    surnames: dict[str, list[SpeakerEntry]] = {}
    for entry in speakers():
        for alias in {entry.name, *entry.aliases}:
            key = normalize(alias)
            if entry not in names.setdefault(key, []):
                names[key].append(entry)
            if entry.kind == "person":
                surname = key.split()[-1]
                if len(surname) >= FUZZY_MIN_LENGTH and entry not in surnames.get(surname, []):
                    surnames.setdefault(surname, []).append(entry)
        for role in entry.roles:
            for descriptor in role.descriptors:
                descriptors.setdefault(normalize(descriptor), []).append((entry, role))
    return _Index(
        names={k: tuple(v) for k, v in names.items()},
        descriptors={k: tuple(v) for k, v in descriptors.items()},
        surnames={k: tuple(v) for k, v in surnames.items()},
        people=tuple(e for e in speakers() if e.kind == "person"),
    )


@lru_cache(maxsize=4096)
def fuzzy_surname(word: str) -> tuple[SpeakerEntry, ...]:
    """Registry people whose surname is within FUZZY_THRESHOLD of `word` (same initial)."""
    key = normalize(word)
    if len(key) < FUZZY_MIN_LENGTH:
        return ()
    index = _index()
    choices = [s for s in index.surnames if s[0] == key[0]]
    best = process.extractOne(key, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_THRESHOLD)
    return index.surnames[best[0]] if best else ()


@dataclass(frozen=True, slots=True)
class Resolution:
    speaker: SpeakerRef | None
    how: str  # alias, descriptor, fuzzy, coreference, unknown, unresolved
    titles: tuple[str, ...] = ()  # lowercase role titles, for later coreference
    country: str | None = None


@dataclass(slots=True)
class _Subject:
    speaker: SpeakerRef | None  # None: someone the article names but we cannot resolve
    titles: tuple[str, ...]
    country: str | None


@dataclass(slots=True)
class ArticleSpeakers:
    """Resolution state for one article: its date and the people it has been about."""

    published: date | None
    _subjects: list[_Subject] = field(default_factory=list)

    def note(self, resolution: Resolution) -> None:
        """Record the subject of a sentence, for later "he" and "the minister"."""
        if resolution.speaker is not None and resolution.speaker.kind == "person":
            self._subjects.append(
                _Subject(resolution.speaker, resolution.titles, resolution.country)
            )

    def note_stranger(self) -> None:
        """A sentence about a person we cannot name: a following "he" is not the last one."""
        self._subjects.append(_Subject(None, (), None))

    def resolve(self, mention: str) -> Resolution:
        key = normalize(mention)
        if key in _PRONOUNS:
            return self._pronoun()
        if key in _PLURAL_OR_VAGUE or not key:
            return Resolution(None, "unresolved")
        words = key.split()
        for first in range(len(words)):
            tail = " ".join(words[first:])
            found = self._exact(tail)
            if found is not None:
                return found
        found = self._fuzzy(mention)
        if found is not None:
            return found
        found = self._generic(key)
        if found is not None:
            return found
        return self._unknown(mention)

    def _exact(self, key: str) -> Resolution | None:
        index = _index()
        if key in index.names:
            picked = self._pick(index.names[key])
            if picked is not None:
                return self._known(picked, "alias")
        if key in index.descriptors:
            held = tuple(
                dict.fromkeys(e for e, r in index.descriptors[key] if r.held_on(self.published))
            )
            picked = self._pick(held)
            if picked is not None:
                return self._known(picked, "descriptor")
        return None

    def _pick(self, entries: tuple[SpeakerEntry, ...]) -> SpeakerEntry | None:
        """One entry among namesakes: the only one, or the one the article last spoke of."""
        if len(entries) == 1:
            return entries[0]
        slugs = {e.slug: e for e in entries}
        for subject in reversed(self._subjects):
            if subject.speaker is not None and subject.speaker.slug in slugs:
                return slugs[subject.speaker.slug]
        country = next((s.country for s in reversed(self._subjects) if s.country), None)
        same = [e for e in entries if country and e.country == country]
        return same[0] if len(same) == 1 else None

    def _fuzzy(self, mention: str) -> Resolution | None:
        words = [w for w in re.findall(r"[^\W\d_][\w'’\-]*", mention) if w[0].isupper()]
        if not words or normalize(words[-1]) in _ORG_WORDS | ROLE_WORDS:
            return None
        entries = fuzzy_surname(words[-1])
        if len(words) >= 2:
            given = normalize(words[-2])
            entries = tuple(
                e
                for e in entries
                if any(given[:3] == normalize(a)[:3] for a in (e.name, *e.aliases))
            ) or (entries if normalize(words[-2]) not in _first_names() else ())
        picked = self._pick(entries) if entries else None
        return self._known(picked, "fuzzy") if picked is not None else None

    def _generic(self, key: str) -> Resolution | None:
        test = next((t for head, t in _HEADS if head.search(key)), None)
        if test is None:
            return None
        country = _country_of(key)
        if country is None and test is _ANYONE:
            return None
        for subject in reversed(self._subjects):
            if subject.speaker is None:
                continue
            if (country is None or subject.country == country) and any(
                test(t) for t in subject.titles
            ):
                return Resolution(subject.speaker, "coreference", subject.titles, subject.country)
        if country is None:
            return None
        matches = [
            e
            for e in _index().people
            if e.country == country
            and any(r.held_on(self.published) and test(r.title.lower()) for r in e.roles)
        ]
        if len(matches) == 1 and self.published is not None:
            return self._known(matches[0], "descriptor")
        return None

    def _pronoun(self) -> Resolution:
        if not self._subjects:
            return Resolution(None, "unresolved")
        last = self._subjects[-1]
        if last.speaker is None:
            return Resolution(None, "unresolved")
        return Resolution(last.speaker, "coreference", last.titles, last.country)

    def _unknown(self, mention: str) -> Resolution:
        words = mention.replace("’", "'").split()
        name: list[str] = []
        for word in reversed(words):
            bare = word.removesuffix("'s")
            lower = bare.lower().strip(".,")
            if not bare[:1].isupper() or lower in ROLE_WORDS or lower in NATIONALITIES:
                break
            if lower in {"the", "a", "an", "his", "her", "its", "their"}:
                break
            if lower in _ORG_WORDS or not re.fullmatch(r"[^\W\d_][\w'\-]*", bare):
                return Resolution(None, "unresolved")
            name.insert(0, bare)
        if len(name) == 1:
            for subject in reversed(self._subjects):
                if subject.speaker and subject.speaker.name.split()[-1] == name[0]:
                    return Resolution(subject.speaker, "coreference", subject.titles)
            return Resolution(None, "unresolved")
        if not 2 <= len(name) <= 4:
            return Resolution(None, "unresolved")
        written = " ".join(name)
        titles = (normalize(" ".join(words[: len(words) - len(name)])),)
        speaker = SpeakerRef(name=written, slug=slugify(written), kind="person", known=False)
        return Resolution(speaker, "unknown", titles, _country_of(normalize(mention)))

    def _known(self, entry: SpeakerEntry, how: str) -> Resolution:
        titles = tuple(r.title.lower() for r in entry.roles if r.held_on(self.published)) or tuple(
            r.title.lower() for r in entry.roles
        )
        return Resolution(ref(entry), how, titles, entry.country)


def _country_of(key: str) -> str | None:
    match = _NATIONALITY_RE.search(key)
    return NATIONALITIES[match.group(1)] if match else None


@cache
def _first_names() -> frozenset[str]:
    return frozenset(
        normalize(alias).split()[0]
        for entry in _index().people
        for alias in (entry.name, *entry.aliases)
        if len(alias.split()) > 1
    )
