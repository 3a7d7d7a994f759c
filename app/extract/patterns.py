"""Regular expressions for long lists of literal phrases, built as a trie.

Python's `re` tries the alternatives of `said|says|stressed|...` one after the other at
every position it scans, so a list of a hundred verbs costs a hundred tests per word.
Factored into a trie (`s(?:a(?:id|ys)|tressed)`), the same language costs about one
test per letter. Both forms find the same matches at the same places: where several
entries match at one position, the trie prefers the longest, as an alternation sorted
longest first does.
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
