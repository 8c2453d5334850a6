"""Name keys of the birthplace index (TR-06): what an agent may type for a place, reduced to one spelling."""

from __future__ import annotations

import re
import unicodedata

LIGATURES = {"Œ": "OE", "œ": "OE", "Æ": "AE", "æ": "AE", "ß": "SS"}
# Written either way on documents and typed either way by agents: "St-Flour", "Saint Flour", "ste marie".
ABBREVIATIONS = {"SAINT": "ST", "SAINTE": "STE", "SAINTS": "STS", "SAINTES": "STES"}
NON_ALNUM = re.compile(r"[^A-Z0-9]+")


def name_key(text: str) -> str:
    """Upper case, no accents; hyphens, apostrophes and spaces as one space; "Saint" as "St"."""
    # NFKD splits a letter from its accent; the ASCII encoding then drops the accent (C speed, ~50k names).
    plain = name_key_plain(text)
    words = NON_ALNUM.sub(" ", plain).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def query_keys(text: str) -> list[str]:
    """Keys to look up for what is being typed: its own, and "Sai…"/"Saint" read as the word "St" (not "Strasbourg")."""
    key = name_key(text)
    if not key:
        return []
    head, _, _last = key.rpartition(" ")
    typed_last = NON_ALNUM.sub(" ", name_key_plain(text)).split()[-1:]
    raw = typed_last[0] if typed_last else ""
    if raw in ABBREVIATIONS:
        return [f"{head} {ABBREVIATIONS[raw]} ".lstrip()]
    if len(raw) >= 3 and "SAINT".startswith(raw):
        return [key, f"{head} ST ".lstrip()]
    return [key]


def name_key_plain(text: str) -> str:
    for source, target in LIGATURES.items():
        text = text.replace(source, target)
    return unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().upper()


def word_starts(key: str) -> list[str]:
    """Every tail of a key that starts a word after the first: "CLERMONT FERRAND" → ["FERRAND"]."""
    positions = [i + 1 for i, ch in enumerate(key) if ch == " "]
    return [key[i:] for i in positions]


ARTICLES = ("LE ", "LA ", "LES ", "L ")


def without_article(key: str) -> list[str]:
    """A key, and the same without its article: "LE PUY EN VELAY" is also found as "PUY…"."""
    return [key, *(key[len(a) :] for a in ARTICLES if key.startswith(a) and len(key) > len(a))]
