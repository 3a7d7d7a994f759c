"""Speaker resolution: from a phrase as written to one entity of the registry.

In order: an exact name or alias ("Sergei Lavrov"), a role descriptor held on the article
date ("Russian Foreign Minister"), a fuzzy surname for misspellings ("Riabkov"), then
coreference within the article ("he", "the top diplomat", "the Russian official" go to
the most recent compatible person), and finally an unknown but clearly named person
("Egypt's Foreign Minister Sameh Shoukry", which the store creates as unconfirmed).
A bare surname of someone the registry does not know ("Mr. Tabler") takes the full name the
article gave earlier ("Andrew Tabler"). Institutions are resolved too: registry entries,
news outlets ("the AP", "the Post" after "The Washington Post"), unknown bodies named by
shape ("South Korea's military"), and "the ministry" or "it" for the institution that
spoke last.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache, partial

from rapidfuzz import fuzz, process

from app.extract.mentions import ROLE_WORDS
from app.extract.model import SpeakerRef
from app.knowledge import OutletEntry, Registry, Role, SpeakerEntry, shipped

# fuzz.ratio on lowercased surnames: "Ryakhkov" scores exactly 80 against "Ryabkov",
# "Riabkov" 85.7, "Ryakov" 92.3. Below 80 unrelated names start to meet.
FUZZY_THRESHOLD = 80.0
# Short surnames are too close to each other ("Rubin"/"Rubio") to be matched fuzzily.
FUZZY_MIN_LENGTH = 6

_PRONOUNS = frozenset({"he", "she", "him", "her"})  # "according to him"
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


# Honorifics and political labels written before a name: never part of the name itself.
_TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "speaker",
        "professor",
        "prof",
        "gen",
        "general",
        "adm",
        "admiral",
        "col",
        "lt",
        "maj",
        "capt",
        "ayatollah",
        "sheikh",
        "king",
        "queen",
        "prince",
        "pope",
        "judge",
        "justice",
        "mayor",
        "republican",
        "democrat",
        "democratic",
        "independent",
        "ret",
        "former",
        "late",
        "then",
        "congressman",
        "congresswoman",
        "lawmaker",
        "lord",
        "dame",
        "sir",
    ]
)
# The head noun of an institution's name: "South Korea's military", "the U.S. Strategic
# Command". Governments and countries are left out on purpose: their statements are optional.
_INSTITUTION_HEADS = frozenset(
    [
        "ministry",
        "department",
        "office",
        "council",
        "committee",
        "agency",
        "command",
        "military",
        "army",
        "navy",
        "embassy",
        "mission",
        "fund",
        "foundation",
        "watch",
        "institute",
        "bank",
        "commission",
        "court",
        "secretariat",
        "directorate",
        "service",
        "corporation",
        "company",
        "bloc",
        "alliance",
        "union",
        "organization",
        "organisation",
        "party",
        "parliament",
        "assembly",
        "senate",
        "congress",
        "legislature",
        "guard",
        "forces",
    ]
)
# "the ministry said", "it noted": the institution that spoke last.
_INSTITUTION_ANAPHORS = frozenset(
    [
        "it",
        "ministry",
        "department",
        "office",
        "committee",
        "agency",
        "embassy",
        "statement",
        "company",
        "bloc",
        "alliance",
        "organization",
        "organisation",
        "mission",
        "council",
        "commission",
    ]
)
_NOT_NAMES = (
    _ORG_WORDS
    | _INSTITUTION_HEADS
    | frozenset(
        [
            "university",
            "college",
            "school",
            "academy",
            "center",
            "centre",
            "institute",
            "island",
            "islands",
        ]
    )
)
_AFFILIATION = re.compile(r"\s+(?:of|from)\s+(?=\S)")
_NAME_WORD = re.compile(r"[^\W\d_][\w'\-]*|(?:[A-Z]\.){1,3}")
_ARTICLES = frozenset({"the", "a", "an", "his", "her", "its", "their"})
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "de", "da", "van", "von", "la", "le", "ud"})
_PREPOSITIONS = frozenset({"to", "for", "in", "at", "on"})


@lru_cache(maxsize=65536)
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


@lru_cache(maxsize=4)  # a registry edit makes a new one; old ones age out
def _index(registry: Registry) -> _Index:
    names: dict[str, list[SpeakerEntry]] = {}
    descriptors: dict[str, list[tuple[SpeakerEntry, Role]]] = {}
    surnames: dict[str, list[SpeakerEntry]] = {}
    for entry in registry.speakers:
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
        people=tuple(e for e in registry.speakers if e.kind == "person"),
    )


@lru_cache(maxsize=4096)
def fuzzy_surname(word: str, registry: Registry | None = None) -> tuple[SpeakerEntry, ...]:
    """Registry people whose surname is within FUZZY_THRESHOLD of `word` (same initial);
    the shipped registry unless another is given."""
    key = normalize(word)
    if len(key) < FUZZY_MIN_LENGTH:
        return ()
    index = _index(registry or shipped())
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


@dataclass(frozen=True, slots=True)
class _Mention:
    """What resolving a mention can know from its words alone, whatever the article.

    Articles name the same few people and bodies over and over ("He", "Lavrov", "The
    ministry"), so this is worked out once per distinct string (`_analyse`) and each
    article only applies its own state (its date, who it has been about) to it.
    """

    key: str  # the mention normalized
    lookups: tuple[str, ...]  # endings of the name found in the registry, longest first
    outlet: OutletEntry | None  # the mention is an outlet's name or alias
    outlet_by_surname: tuple[tuple[str, OutletEntry], ...]  # "the Post": candidates
    anaphor: str | None  # "the ministry": the key an institution anaphor is read from
    fuzzy: tuple[SpeakerEntry, ...]  # registry people a misspelt surname may be
    name: tuple[str, ...] | None  # the personal name ending the mention
    named: Resolution | None  # an unknown person named in full ("Ona Petraityte")
    head: Callable[[str], bool] | None  # the role titles a generic descriptor fits
    country: str | None  # the country a generic descriptor names
    institution: Resolution | None  # an unknown body named by shape


_UNRESOLVED = Resolution(None, "unresolved")


@lru_cache(maxsize=16384)  # ~700 bytes an entry: ~11 MB when full
def _analyse(mention: str, registry: Registry) -> _Mention:
    key = normalize(mention)
    mention = _without_affiliation(mention)
    stripped = normalize(mention)
    words = stripped.split()
    written = mention.split()
    index = _index(registry)
    lookups: list[str] = []
    for first in range(len(words)):
        if first == len(words) - 1 and len(written) > 1 and _given_name(written[-2]):
            break  # "Bernie Sanders" is not whoever the registry calls "Sanders"
        tail = " ".join(words[first:])
        if tail in index.names or tail in index.descriptors:
            lookups.append(tail)
    outlet = _outlets_by_alias(registry).get(stripped)
    by_surname: tuple[tuple[str, OutletEntry], ...] = ()
    last = written[-1] if written else ""
    if outlet is None and len(words) == 1 and last[:1].isupper() and mention != last:
        by_surname = tuple(
            (name, entry)
            for name, entry in _outlets_by_alias(registry).items()
            if name.split()[-1] == stripped and len(name.split()) > 1
        )
    anaphor = (
        stripped if mention[:4].lower() == "the " and words[-1] in _INSTITUTION_ANAPHORS else None
    )
    name = _name_at_end(mention.replace("’", "'").split()) if words else None
    named = None
    if name is not None and len(name) > 1:
        written_name = " ".join(name)
        titles = (normalize(" ".join(mention.replace("’", "'").split()[: -len(name)])),)
        speaker = SpeakerRef(
            name=written_name, slug=slugify(written_name), kind="person", known=False
        )
        named = Resolution(speaker, "unknown", titles, _country_of(normalize(mention)))
    head = next((test for pattern, test in _HEADS if pattern.search(stripped)), None)
    return _Mention(
        key=key,
        lookups=tuple(lookups),
        outlet=outlet,
        outlet_by_surname=by_surname,
        anaphor=anaphor,
        fuzzy=_fuzzy_candidates(mention, registry),
        name=tuple(name) if name is not None else None,
        named=named,
        head=head,
        country=_country_of(stripped),
        institution=_unknown_institution(mention) if words else None,
    )


def _fuzzy_candidates(mention: str, registry: Registry) -> tuple[SpeakerEntry, ...]:
    """Registry people whose surname the mention's last capitalised word may misspell,
    narrowed by the given name written before it."""
    words = [w for w in _CAPITALISED.findall(mention) if w[0].isupper()]
    if not words or normalize(words[-1]) in _ORG_WORDS | ROLE_WORDS:
        return ()
    entries = fuzzy_surname(words[-1], registry)
    if len(words) >= 2:
        given = normalize(words[-2])
        entries = tuple(
            e for e in entries if any(given[:3] == normalize(a)[:3] for a in (e.name, *e.aliases))
        ) or (entries if given not in _first_names(registry) else ())
    return entries


_CAPITALISED = re.compile(r"[^\W\d_][\w'’\-]*")


@lru_cache(maxsize=16384)
def _holders(key: str, published: date | None, registry: Registry) -> tuple[SpeakerEntry, ...]:
    """Who held a role the registry describes as `key` on `published`."""
    found = _index(registry).descriptors.get(key, ())
    return tuple(dict.fromkeys(e for e, r in found if r.held_on(published)))


@lru_cache(maxsize=16384)
def _known(slug: str, how: str, published: date | None, registry: Registry) -> Resolution:
    """A registry entry as resolved on `published`: the titles it held that day, or all."""
    entry = _entries(registry)[slug]
    titles = tuple(r.title.lower() for r in entry.roles if r.held_on(published)) or tuple(
        r.title.lower() for r in entry.roles
    )
    return Resolution(ref(entry), how, titles, entry.country)


@lru_cache(maxsize=4096)
def _generic_holders(
    head: Callable[[str], bool], country: str, published: date, registry: Registry
) -> tuple[SpeakerEntry, ...]:
    """People of `country` holding a role that fits `head` on `published`."""
    return tuple(
        e
        for e in _index(registry).people
        if e.country == country
        and any(r.held_on(published) and head(r.title.lower()) for r in e.roles)
    )


@lru_cache(maxsize=4)
def _entries(registry: Registry) -> dict[str, SpeakerEntry]:
    return {entry.slug: entry for entry in registry.speakers}


@lru_cache(maxsize=1024)
def _entry_words(slug: str, registry: Registry) -> frozenset[str]:
    """The words of an entry's name and aliases, normalized."""
    entry = _entries(registry).get(slug)
    if entry is None:
        return frozenset()  # an institution the registry does not know
    return frozenset(" ".join(normalize(a) for a in (entry.name, *entry.aliases)).split())


@dataclass(slots=True)
class ArticleSpeakers:
    """Resolution state for one article: its date and the people it has been about."""

    published: date | None
    body: str = ""  # the article text, where a bare surname finds its full name
    registry: Registry = field(default_factory=shipped)
    _subjects: list[_Subject] = field(default_factory=list)
    _last_institution: Resolution | None = None
    _last_kind: str | None = None
    _full_names: dict[str, str | None] = field(default_factory=dict)
    # Resolutions since the last note: one mention is resolved several times a sentence.
    _resolved: dict[str, Resolution] = field(default_factory=dict)
    # Resolutions no note can change (`_settled_resolution`), kept for the whole article,
    # and the mentions whose resolution a note may change.
    _settled: dict[str, Resolution] = field(default_factory=dict)
    _unsettled: set[str] = field(default_factory=set)
    # Bare surnames the article never gives in full ("Diplomats", "Leyen"): only the
    # people it spoke of by that surname can change them, so their resolutions are kept
    # apart, past notes about anyone else.
    _surname_only: set[str] = field(default_factory=set)
    _resolved_by_surname: dict[str, Resolution] = field(default_factory=dict)
    _folded_body: str | None = None
    # The latest subject by the last word of its name: "Lavrov" after "Sergey Lavrov".
    _by_surname: dict[str, _Subject] = field(default_factory=dict)
    # Steps that change who the article has been about, kept until a resolution reads it
    # (`defer`); True while they run.
    _deferred: deque[Callable[[ArticleSpeakers], object]] = field(default_factory=deque)
    _catching_up: bool = False

    def defer(self, step: Callable[[ArticleSpeakers], object]) -> None:
        """Run `step(self)` (finding a sentence's subject and noting it) only when a
        resolution next depends on who the article has been about, in order with every
        note after it; never, if none does. Many sentences come after the last such
        resolution. A step is given the article rather than holding it, so that no cycle
        keeps the article alive for the garbage collector."""
        self._deferred.append(step)

    def _catch_up(self) -> None:
        if self._catching_up:
            return  # a deferred step resolving: it reads the state of the steps before it
        self._catching_up = True
        try:
            while self._deferred:
                self._deferred.popleft()(self)
        finally:
            self._catching_up = False

    def note(self, resolution: Resolution) -> None:
        """Record the subject of a sentence, for later "he" and "the minister"."""
        if self._deferred and not self._catching_up:
            self._deferred.append(partial(ArticleSpeakers.note, resolution=resolution))
            return
        speaker = resolution.speaker
        if speaker is None:
            return
        if speaker.kind == "person":
            subject = _Subject(speaker, resolution.titles, resolution.country)
            if self._last_kind == "person" and self._subjects and self._subjects[-1] == subject:
                return  # the same subject again: no resolution can differ, keep the cache
        elif self._last_kind == "institution" and self._last_institution == resolution:
            return
        self._resolved.clear()
        self._last_kind = speaker.kind
        if speaker.kind == "person":
            self._subjects.append(subject)
            self._by_surname[speaker.name.split()[-1]] = subject
            self._resolved_by_surname.clear()
        else:
            self._last_institution = resolution

    def note_stranger(self) -> None:
        """A sentence about a person we cannot name: a following "he" is not the last one."""
        if self._deferred and not self._catching_up:
            self._deferred.append(ArticleSpeakers.note_stranger)
            return
        self._subjects.append(_Subject(None, (), None))
        self._last_kind = "person"
        self._resolved.clear()

    def resolve(self, mention: str) -> Resolution:
        found = self._settled.get(mention)
        if found is not None:
            return found
        if mention not in self._unsettled:
            found = self._settled_resolution(mention)
            if found is not None:
                self._settled[mention] = found
                return found
            self._unsettled.add(mention)
        self._catch_up()
        cache = self._resolved_by_surname if mention in self._surname_only else self._resolved
        found = cache.get(mention)
        if found is None:
            found = cache[mention] = self._resolve(mention)
        return found

    def _settled_resolution(self, mention: str) -> Resolution | None:
        """What `_resolve` gives for `mention` when no note can change it, found by its
        steps in the same order up to the first that reads who the article has been
        about (a pronoun, namesakes, an anaphor, a bare surname, a generic descriptor);
        None when one of those may decide."""
        found = _analyse(mention, self.registry)
        key = found.key
        if key in _PRONOUNS or key == "it":
            return None
        if key in _PLURAL_OR_VAGUE or not key:
            return _UNRESOLVED
        names = _index(self.registry).names
        for tail in found.lookups:
            for entries, how in (
                (names.get(tail, ()), "alias"),
                (_holders(tail, self.published, self.registry), "descriptor"),
            ):
                if len(entries) > 1:
                    return None  # namesakes: the article's last subjects pick one
                if entries:
                    return _known(entries[0].slug, how, self.published, self.registry)
        outlet = self._outlet(found)  # reads the body, the same all article long
        if outlet is not None:
            return outlet
        if found.anaphor is not None or len(found.fuzzy) > 1:
            return None
        if found.fuzzy:
            return _known(found.fuzzy[0].slug, "fuzzy", self.published, self.registry)
        if found.name is not None:
            if (
                found.named is None
                and (found.head is None or (found.country is None and found.head is _ANYONE))
                and self._full_name(found.name[0]) is None
            ):
                self._surname_only.add(mention)  # `_unknown` reads `_by_surname` alone
            return found.named  # None for a bare surname: the article's last by that name
        if found.head is not None and not (found.country is None and found.head is _ANYONE):
            return None
        return found.institution if found.institution is not None else _UNRESOLVED

    def _resolve(self, mention: str) -> Resolution:
        """In order: a pronoun, an exact name or held role, an outlet, an institution
        anaphor, a misspelt surname, a person named in full, a generic descriptor, an
        unknown body; the context-free half of each step comes from `_analyse`."""
        found = _analyse(mention, self.registry)
        key = found.key
        if key in _PRONOUNS:
            return self._pronoun()
        if key == "it":
            return self._institution_anaphor(key) or _UNRESOLVED
        if key in _PLURAL_OR_VAGUE or not key:
            return _UNRESOLVED
        for tail in found.lookups:
            exact = self._exact(tail)
            if exact is not None:
                return exact
        outlet = self._outlet(found)
        if outlet is not None:
            return outlet
        if found.anaphor is not None:
            anaphor = self._institution_anaphor(found.anaphor)
            if anaphor is not None:
                return anaphor
        picked = self._pick(found.fuzzy) if found.fuzzy else None
        if picked is not None:
            return _known(picked.slug, "fuzzy", self.published, self.registry)
        named = self._unknown(found)
        if named.speaker is not None:
            return named  # a name as written outranks a bare role ("Press Secretary X")
        generic = self._generic(found)
        if generic is not None:
            return generic
        return found.institution if found.institution is not None else named

    def _exact(self, key: str) -> Resolution | None:
        picked = self._pick(_index(self.registry).names.get(key, ()))
        if picked is not None:
            return _known(picked.slug, "alias", self.published, self.registry)
        picked = self._pick(_holders(key, self.published, self.registry))
        if picked is not None:
            return _known(picked.slug, "descriptor", self.published, self.registry)
        return None

    def _institution_anaphor(self, key: str) -> Resolution | None:
        """ "it", "the ministry", "the statement": the institution that spoke last."""
        last = self._last_institution
        if last is None or last.speaker is None:
            return None
        if key == "it" and self._last_kind != "institution":
            return None
        head = key.split()[-1]
        if (
            head not in {"it", "statement"}
            and head not in normalize(last.speaker.name).split()
            and head not in _entry_words(last.speaker.slug, self.registry)
        ):
            return None
        return Resolution(last.speaker, "coreference", last.titles, last.country)

    def _outlet(self, found: _Mention) -> Resolution | None:
        """A news outlet as the source: "The Associated Press", "the AP", "the Post"."""
        entry = found.outlet
        if entry is None and found.outlet_by_surname:
            # "the Post", "the Times": the outlet of that name the article spoke of before
            if self._folded_body is None:
                self._folded_body = _fold(self.body)
            entry = next(
                (e for name, e in found.outlet_by_surname if name in self._folded_body), None
            )
        if entry is None:
            return None
        ref_ = SpeakerRef(name=entry.name, slug=entry.slug, kind="institution", known=False)
        return Resolution(ref_, "alias")

    def _pick(self, entries: tuple[SpeakerEntry, ...]) -> SpeakerEntry | None:
        """One entry among namesakes: the only one, or the one the article last spoke of."""
        if len(entries) == 1:
            return entries[0]
        if not entries:
            return None
        slugs = {e.slug: e for e in entries}
        for subject in reversed(self._subjects):
            if subject.speaker is not None and subject.speaker.slug in slugs:
                return slugs[subject.speaker.slug]
        country = next((s.country for s in reversed(self._subjects) if s.country), None)
        same = [e for e in entries if country and e.country == country]
        return same[0] if len(same) == 1 else None

    def _generic(self, found: _Mention) -> Resolution | None:
        test, country = found.head, found.country
        if test is None:
            return None
        if country is None and test is _ANYONE:
            return None
        for subject in reversed(self._subjects):
            if subject.speaker is None:
                continue
            if (country is None or subject.country == country) and any(
                test(t) for t in subject.titles
            ):
                return Resolution(subject.speaker, "coreference", subject.titles, subject.country)
        if country is None or self.published is None:
            return None
        matches = _generic_holders(test, country, self.published, self.registry)
        if len(matches) == 1:
            return _known(matches[0].slug, "descriptor", self.published, self.registry)
        return None

    def _pronoun(self) -> Resolution:
        if not self._subjects:
            return _UNRESOLVED
        last = self._subjects[-1]
        if last.speaker is None:
            return _UNRESOLVED
        return Resolution(last.speaker, "coreference", last.titles, last.country)

    def _unknown(self, found: _Mention) -> Resolution:
        """A person the registry does not know, named as written ("Ona Petraityte")."""
        if found.name is None:
            return _UNRESOLVED
        if found.named is not None:
            return found.named
        surname = found.name[0]
        subject = self._by_surname.get(surname)
        if subject is not None:
            return Resolution(subject.speaker, "coreference", subject.titles)
        full = self._full_name(surname)
        if full is None:
            return _UNRESOLVED
        resolved = self.resolve(full)
        return resolved if resolved.speaker is not None else _UNRESOLVED

    def _full_name(self, surname: str) -> str | None:
        """The first "Given Surname" the article wrote for a bare surname, if any."""
        if surname not in self._full_names:
            found = None
            for match in _surname_pattern(surname).finditer(self.body):
                if not match.start() or not self.body[match.start() - 1].isspace():
                    continue
                before = self.body[max(0, match.start() - 40) : match.start()].split()[-3:]
                if not before or not before[-1].removesuffix("'s")[:1].isupper():
                    continue  # a full name needs a capitalised given name just before
                name = _name_at_end([*before, surname])
                if name is not None and len(name) >= 2:
                    found = " ".join(name)
                    break
            self._full_names[surname] = found
        return self._full_names[surname]


_HYPHENATED_GIVEN_NAME = re.compile(r"[A-Z][a-z]+-[a-z]{1,5}")


def _name_at_end(words: list[str]) -> list[str] | None:
    """The personal name ending a phrase: "Ambassador to Havana Viktor Koronelli" gives
    ["Viktor", "Koronelli"]; None when the phrase ends in something that is not a name."""
    name: list[str] = []
    stop = 0
    if len(words) > 2 and words[-1].rstrip(".").lower() in {"jr", "sr", "ii", "iii"}:
        words = words[:-1]
    for index in range(len(words) - 1, -1, -1):
        bare = words[index].removesuffix("'s")
        lower = bare.lower().strip(".,")
        if not bare[:1].isupper() or lower in ROLE_WORDS or lower in _TITLES or lower in _ARTICLES:
            stop = index + 1
            break
        if lower in NATIONALITIES or lower in _NOT_NAMES or not _NAME_WORD.fullmatch(bare):
            if len(name) >= 2:
                stop = index + 1
                break
            return None
        name.insert(0, bare.rstrip(","))
    if stop and len(name) == 3 and words[stop - 1].lower() in _PREPOSITIONS:
        name = name[1:]  # "envoy for Venezuela Elliott Abrams": the first word is the place
    if not name or len(name) > 4 or normalize(" ".join(name)) in NATIONALITIES:
        return None
    for number, word in enumerate(name, start=1):
        parts = word.split("-")
        if _HYPHENATED_GIVEN_NAME.fullmatch(word) and number == len(name) > 1:
            continue  # a Korean given name after the family name: "Moon Sang-gyun"
        if any(not p[:1].isupper() and p not in _PARTICLES for p in parts):
            return None  # "Sunni-majority" is no name, "al-Assad" is
    return name


@lru_cache(maxsize=4096)
def _surname_pattern(surname: str) -> re.Pattern[str]:
    # No lookbehind for the space before: a pattern that starts with a literal is found
    # by a fast substring search, one that starts with a lookbehind letter by letter.
    return re.compile(re.escape(surname) + r"\b")


def _given_name(word: str) -> bool:
    lower = word.lower().strip(".,")
    return (
        word[:1].isupper()
        and _NAME_WORD.fullmatch(word.rstrip(",")) is not None
        and lower not in ROLE_WORDS | _TITLES | _ARTICLES | _NOT_NAMES
        and lower not in NATIONALITIES
        and not lower.endswith("'s")
    )


def _without_affiliation(mention: str) -> str:
    """ "Senator Jack Reed of Rhode Island" → "Senator Jack Reed": the place is not the name."""
    parts = _AFFILIATION.split(mention, maxsplit=1)
    if len(parts) == 2:
        last = parts[0].split()[-1] if parts[0].split() else ""
        lower = last.lower().strip(".")
        ordinary = ROLE_WORDS | _ORG_WORDS | _TITLES
        if last[:1].isupper() and lower not in ordinary and lower not in NATIONALITIES:
            return parts[0]
    return mention


def _unknown_institution(mention: str) -> Resolution | None:
    """A body the registry does not know, by the shape of its name ("the U.S. Strategic
    Command", "South Korea's military"): kept as written, without a leading "the"."""
    words = mention.split()
    head = len(words) - 1
    if len(words) >= 4 and words[-2] in {"in", "to", "of"} and words[-1][:1].isupper():
        head -= 2  # "North Korea's embassy in Moscow"
    if len(words) < 2 or words[head].lower() not in _INSTITUTION_HEADS:
        return None
    if words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    if words[0].lower() in {"a", "an", "its", "his", "her", "their"} or not words[0][:1].isupper():
        return None
    name = " ".join(words)
    speaker = SpeakerRef(name=name, slug=slugify(name), kind="institution", known=False)
    return Resolution(speaker, "unknown", (), _country_of(normalize(name)))


@lru_cache(maxsize=4)
def _outlets_by_alias(registry: Registry) -> dict[str, OutletEntry]:
    found: dict[str, OutletEntry] = {}
    for entry in registry.outlets:
        for alias in (entry.name, *entry.aliases):
            found.setdefault(normalize(alias), entry)
        initials = "".join(w[0] for w in normalize(entry.name).split() if w != "the")
        if len(initials) >= 3:
            found.setdefault(initials, entry)  # "NYT"
    return found


def _fold(text: str) -> str:
    return text.replace("’", "'").replace(".", "").lower()


def _country_of(key: str) -> str | None:
    match = _NATIONALITY_RE.search(key)
    return NATIONALITIES[match.group(1)] if match else None


@lru_cache(maxsize=4)
def _first_names(registry: Registry) -> frozenset[str]:
    return frozenset(
        normalize(alias).split()[0]
        for entry in _index(registry).people
        for alias in (entry.name, *entry.aliases)
        if len(alias.split()) > 1
    )
