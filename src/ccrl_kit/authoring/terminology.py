"""The content guide's terminology rules, as data, with a finder that spares quotations.

A flagged term inside quotation marks ("anti-cult", «секта») is someone else's word being
reported, and is allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    id: str
    pattern: re.Pattern[str]
    hint: str


def _rule(rule_id: str, pattern: str, hint: str) -> Rule:
    return Rule(rule_id, re.compile(pattern, re.IGNORECASE), hint)


RULES = (
    _rule("term-sect", r"\b(?:destructive\s+)?(?:sects?|sectarian\s+group|cults?)\b",
          "name the community, or say 'religious community' / 'new religious movement'"),
    _rule("term-sect-ru", r"(?<![а-яё])(?:сект[аыуеойя]?\w*|деструктивн\w*)",
          "назовите общину или скажите «религиозное объединение»"),
    _rule("term-brides", r"\b(?:jihadi|isis)\s+brides?\b",
          "say 'women and children with links to ISIS' or 'returnees'"),
    _rule("term-islamic-terrorism", r"\b(?:islamic\s+terroris[mt]s?|muslim\s+extremists?)\b",
          "name the group (e.g. ISIS-K) and keep belief apart from violent acts"),
    _rule("term-unregistered-illegal", r"\b(?:unregistered|non-registered)\s+(?:and|or)\s+illegal\b"
          r"|\billegal(?:ly)?\s+unregistered\b",
          "'unregistered' does not mean 'illegal'"),
    _rule("term-spelling-zhusan", r"\boperation\s+(?:jusan|zhussan|dzhusan)\b",
          "spell it 'Operation Zhusan'"),
    _rule("term-spelling-jw",
          r"\bjehovah'?s?\s+witness(?:es)?\b(?<!Jehovah's Witness)(?<!Jehovah's Witnesses)",
          "spell it 'Jehovah's Witnesses'"),
    _rule("term-spelling-tokayev", r"\btokaev\b", "spell it 'Tokayev'"),
)

# Double quotation marks only: a single ' or ’ is far more often an apostrophe.
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|«[^»]*»|„[^“”]*[“”]")


def _unquoted(text: str) -> str:
    """``text`` with every quoted span blanked out (same length, so offsets stay right)."""
    return _QUOTED.sub(lambda m: " " * len(m.group()), text)


def find_terms(text: str) -> list[tuple[Rule, str]]:
    """Every flagged term in ``text`` outside quotation marks, with the words found."""
    plain = _unquoted(text)
    return [(rule, m.group()) for rule in RULES for m in rule.pattern.finditer(plain)]
