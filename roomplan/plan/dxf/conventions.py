"""How architects name layers and label rooms, and what roomplan takes from each.

Layer names follow the discipline-prefixed style of ISO 13567 and the AIA CAD Layer
Guidelines ("A-DOOR", "A-AREA-IDEN") as well as plain Danish and English names ("rum",
"dør", "A-DØR" or its ASCII form "A-DOER"). A room's label is a TEXT or MTEXT inside its
outline, or a room stamp: a block reference whose attributes give the number and name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

ROLES = ("room", "label", "door", "desk", "chair", "window", "screen", "camera", "microphone")

SYMBOL_ROLES = ("door", "window", "desk", "chair", "camera", "microphone")
"""Roles whose block references are symbols read as one thing (a door, a desk); block
references on other layers are exploded to find the rooms and labels inside them."""

DEFAULT_LAYER_ROLES: Mapping[str, tuple[str, ...]] = {
    "room": ("rum", "room", "rooms", "space", "spaces", "lokale", "lokaler", "area"),
    "label": (
        "rumtekst",
        "rumnavn",
        "rumnr",
        "rumstempel",
        "stempel",
        "tekst",
        "text",
        "label",
        "labels",
        "room-names",
    ),
    "door": ("dør", "døre", "door", "doors"),
    "desk": ("bord", "borde", "arbejdsplads", "desk", "desks", "workstation"),
    "chair": ("stol", "stole", "borgerstol", "chair", "chairs"),
    "window": ("vindue", "vinduer", "window", "windows", "glas", "glaz"),
    "screen": ("skærm", "skærme", "afskærmning", "screen", "screens"),
    "camera": ("kamera", "kameraer", "camera", "cameras", "webcam"),
    "microphone": ("mikrofon", "microphone", "mic"),
}
"""Layer names (lower case) that take each role. A layer also takes a role when the
first word of its name does, after a one-letter discipline prefix ("A-", "A_"), with
æ, ø, å also matched as ae, oe, aa: "rum-omrids", "A-DOOR" and "A-DOER" are found."""

LABEL_WORDS = ("iden", "text", "tekst", "txt", "navn", "name", "nr", "num", "stempel", "stamp")
"""A later word of a room layer's name that makes it a layer of labels ("A-AREA-IDEN",
"rum-tekst"); on other layers such a word marks annotation, not the thing itself."""

WALL_WORDS = ("væg", "vægge", "wall", "walls", "mur", "mure")
"""Layers of walls: not read, since the rooms' outlines give the partitions; the import
says so."""

KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("interview", ("samtale", "interview", "consult")),
    ("waiting", ("vente", "waiting", "reception")),
    ("office", ("kontor", "office")),
    ("corridor", ("gang", "korridor", "corridor", "hall", "passage")),
    ("staff", ("frokost", "personale", "kantine", "køkken", "lunch", "kitchen", "staff")),
)
"""Words in a room's label that give its kind, in order of precedence."""

STAMP_NUMBER_TAGS = ("RUMNR", "RUMNUMMER", "LOKALENR", "ROOMNO", "ROOMNUMBER", "ROOM_NUMBER", "NR")
STAMP_NAME_TAGS = ("RUMNAVN", "LOKALENAVN", "ROOMNAME", "ROOM_NAME", "NAVN", "NAME", "BETEGNELSE")
"""Attribute tags of room stamps (block references) giving a room's number and name."""

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})

_AREA = re.compile(
    r"(?:\b(?:areal|area|bruttoareal|nettoareal)\b\s*[:=]?\s*)?"
    r"\d+(?:[.,]\d+)?\s*(?:m²|m2|m\^2|kvm)(?=\s|$)",
    re.IGNORECASE,
)
_FLOOR_ROOM = re.compile(r"^[A-Za-zÆØÅæøå]{0,3}\d+[.\-]\d+[A-Za-z]?$")


def _words(name: str) -> list[str]:
    words = [w for w in re.split(r"[-_ .]+", name.lower().translate(_FOLD)) if w]
    if len(words) > 1 and len(words[0]) == 1 and words[0].isalpha():
        words = words[1:]  # the discipline prefix: A- architect, K- structural, ...
    return words


_ROLE_OF_WORD = {
    "-".join(_words(name)): role for role, names in DEFAULT_LAYER_ROLES.items() for name in names
}
_WALLS = {"-".join(_words(name)) for name in WALL_WORDS}


def parse_mapping(text: str | None) -> dict[str, str]:
    """ "A-AREA=room, A-DOOR=door" (commas or semicolons) -> {"A-AREA": "room", ...}, for
    layer roles and room kinds as people type them. ValueError carries the item that is not
    NAME=VALUE."""
    out: dict[str, str] = {}
    for item in (text or "").replace(";", ",").split(","):
        if not item.strip():
            continue
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise ValueError(item.strip())
        out[key.strip()] = value.strip()
    return out


def layer_role(layer: str, layer_map: Mapping[str, str] | None = None) -> str | None:
    """The role of ``layer``: the caller's mapping first, then the defaults."""
    for name, role in (layer_map or {}).items():
        if name.lower() == layer.lower():
            return role
    words = _words(layer)
    if not words:
        return None
    whole = _ROLE_OF_WORD.get("-".join(words))
    if whole is not None:
        return whole
    first = _ROLE_OF_WORD.get(words[0])
    if first is not None and any(w in LABEL_WORDS for w in words[1:]):
        return "label" if first in ("room", "label") else None
    return first


def is_wall_layer(layer: str) -> bool:
    """Whether a layer's name says it holds walls (read by no role)."""
    words = _words(layer)
    return bool(words) and ("-".join(words) in _WALLS or words[0] in _WALLS)


def room_kind(name: str, kinds: Mapping[str, str] | None = None) -> str:
    """The room kind for a label: the caller's mapping (by whole name, then by word),
    then the words in :data:`KIND_WORDS`; "other" when nothing matches."""
    low = name.lower()
    if kinds:
        for key, kind in kinds.items():
            if key.lower() == low:
                return kind
        for key, kind in kinds.items():
            if key.lower() in low:
                return kind
    for kind, words in KIND_WORDS:
        if any(w in low for w in words):
            return kind
    return "other"


def label_parts(texts: Iterable[str]) -> tuple[list[str], str]:
    """The room numbers and the name in the texts of one room's label.

    A room number is a word with a digit that stands first in a text ("1.02 Kontor"), on a
    line of its own (MTEXT "Samtalerum\\P1.11"), or has the floor.room form ("Kontor
    1.02"); an area ("12,5 m²", "Areal 12 m2") is left out. Returns the distinct numbers,
    in reading order, and the other words as the name."""
    numbers: list[str] = []
    name: list[str] = []
    for text in texts:
        for k, line in enumerate(str(text).splitlines()):
            words = _AREA.sub(" ", line).split()
            for i, word in enumerate(words):
                placed = (i == 0 and k == 0) or len(words) == 1
                if any(c.isdigit() for c in word) and (placed or _FLOOR_ROOM.match(word)):
                    if word not in numbers:
                        numbers.append(word)
                else:
                    name.append(word)
    return numbers, " ".join(name)


def split_label(text: str) -> tuple[str | None, str]:
    """ "1.02 Kontor" -> ("1.02", "Kontor"); "Samtalerum\\n1.11" -> ("1.11", "Samtalerum");
    a label without a room number has no id."""
    numbers, name = label_parts([text])
    if not numbers:
        return None, name
    return numbers[0], name or numbers[0]


def stamp_text(attributes: Mapping[str, str]) -> str | None:
    """The label text of a room stamp's attributes (number on a line of its own, then the
    name), or None when the block reference is not a room stamp."""
    number = next((attributes[t] for t in STAMP_NUMBER_TAGS if attributes.get(t)), "")
    name = next((attributes[t] for t in STAMP_NAME_TAGS if attributes.get(t)), "")
    if not number and not name:
        return None
    return "\n".join(part for part in (number, name) if part)
