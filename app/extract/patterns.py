"""Long lists of literal words and phrases, found fast: regular expressions built as a
trie, and runs of small letters to look words up in a set.

Python's `re` tries the alternatives of `said|says|stressed|...` one after the other at
every position it scans, so a list of a hundred verbs costs a hundred tests per word.
Factored into a trie (`s(?:a(?:id|ys)|tressed)`), the same language costs about one
test per letter. Both forms find the same matches at the same places: where several
entries match at one position, the trie prefers the longest, as an alternation sorted
longest first does.

Cheaper still, when a text most often holds none of the words: its runs of small
letters (`small_letter_runs`) cut out by a byte table in C, tested against a set.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

_END = ""


def trie_pattern(entries: Iterable[Sequence[str]], *, end: str = "") -> str:
    """A regex matching any entry, each a sequence of regex atoms (`re.escape`d letters,
    or fragments such as `\\s+`); `end` is appended where an entry ends (a lookahead such
    as `(?!\\w)`). Longer entries are tried before the entries they extend."""
    root: dict[str, dict] = {}
    for atoms in entries:
        node = root
        for atom in atoms:
            node = node.setdefault(atom, {})
        node[_END] = {}
    return _emit(root, end)


def literal_alternation(words: Iterable[str]) -> str:
    """`trie_pattern` for plain words: the regex for `w1|w2|...`, as a trie."""
    return trie_pattern([re.escape(letter) for letter in word] for word in words)


def _emit(node: dict[str, dict], end: str) -> str:
    branches = [atom + _emit(child, end) for atom, child in sorted(node.items()) if atom]
    if _END in node:
        branches.append(end)  # last, so that a longer entry is tried first
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


# Every byte but a-z made a space, for `bytes.translate`.
_SMALL_LETTERS_ONLY = bytes(byte if 97 <= byte <= 122 else 32 for byte in range(256))


def small_letter_runs(text: str) -> list[bytes]:
    """The runs of a-z in `text`, UTF-8 encoded; any other character, one beyond ASCII
    too, separates them. A word a regex finds between word boundaries (or spaces) is one
    of them whole, so a text whose runs miss every word of a set holds none of them."""
    return text.encode("utf-8", "surrogatepass").translate(_SMALL_LETTERS_ONLY).split()
