"""The privacy answers in words, in Danish or English (through :mod:`roomplan.i18n`)."""

from __future__ import annotations

from roomplan.i18n import fmt_num, t
from roomplan.plan.model import Plan
from roomplan.privacy.fixes import UPGRADE_STEPS, Upgrade
from roomplan.privacy.result import (
    Hearing,
    PartitionCheck,
    PositionAnswer,
    PrivacyResult,
    RoomAnswer,
)


def room_name(plan: Plan, room_id: str) -> str:
    """The room's name and id: "Venteværelse (1.10)"."""
    return f"{plan.room(room_id).name} ({room_id})"


def _and(items: list[str], lang: str | None) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('word.and', lang)} {items[-1]}"


def position_name(plan: Plan, position_id: str, lang: str | None = None) -> str:
    """An interview position: "bord 1.02-A (S04)" or "Lille samtalerum A (1.11)"."""
    kind, _, ref = position_id.partition(":")
    if kind == "desk":
        member = plan.occupants.get(ref)
        return t("privacy.desk", lang, desk=ref) + (f" ({member.id})" if member else "")
    return room_name(plan, ref)


def listener_name(plan: Plan, listener_id: str, lang: str | None = None) -> str:
    """A listening position in words."""
    kind, _, ref = listener_id.partition(":")
    if kind == "desk":
        return position_name(plan, listener_id, lang)
    if kind == "chair":
        return t("privacy.chair", lang, desk=ref)
    if kind == "room":
        return room_name(plan, ref)
    if kind == "door":
        door, _, room = ref.partition("@")
        return t("privacy.at_door", lang, room=room_name(plan, room), door=door)
    room, _, n = ref.partition("#")
    if n:
        return t(f"privacy.point_{kind}", lang, room=room_name(plan, room), n=n)
    return room_name(plan, room)


def path_text(
    result: PrivacyResult, hearing: Hearing, talker_room: str, lang: str | None = None
) -> str:
    """The way the sound goes: "through door D1.11 into Gang (1.00), then through the open
    door D1.10 into Venteværelse (1.10)"."""
    return route_text(result.plan, result.path(hearing.pair), talker_room, lang)


def route_text(plan: Plan, path: tuple[str, ...], talker_room: str, lang: str | None = None) -> str:
    """A path of features (doors, windows, walls "a|b", talker side first) in words."""
    if not path:
        return t("privacy.same_room", lang)
    openings = {o.id: o for o in (*plan.doors, *plan.windows)}
    doors = {d.id for d in plan.doors}
    steps, room = [], talker_room
    for feature in path:
        if feature in openings:
            o = openings[feature]
            nxt = o.rooms[1] if o.rooms[0] == room else o.rooms[0]
            if nxt is None:  # sound paths run between rooms, never out of the building
                break
            if feature not in doors:
                key = "privacy.via_window"
            else:
                key = "privacy.via_open_door" if o.is_open else "privacy.via_door"
            via = t(key, lang, id=feature)
        else:
            a, b = feature.split("|")
            nxt = b if a == room else a
            via = t("privacy.via_wall", lang)
        steps.append(t("privacy.into", lang, via=via, room=room_name(plan, nxt)))
        room = nxt
    return t("privacy.then", lang).join(steps)


def role_word(hearing: Hearing, lang: str | None = None) -> str:
    """A listener's role in words; those not counted in the status by who they are
    (passers-by, colleagues in a staff room, people in another room)."""
    if hearing.role == "exposure" and hearing.kind in ("corridor", "staff", "other"):
        return t(f"role.exposure_{hearing.kind}", lang)
    return t(f"role.{hearing.role}", lang)


def verdict_word(verdict: str, lang: str | None = None) -> str:
    return t(f"verdict.{verdict}", lang)


def grouped(hearings) -> list[tuple[Hearing, int]]:
    """The loudest hearing per listening room and role, with how many positions there hear
    it, in the order of ``hearings``; colleagues' desks one by one (each is a condition)."""
    groups: dict[tuple, list[Hearing]] = {}
    for h in hearings:
        groups.setdefault(
            (h.room, h.role, h.raised_only, h.kind == "desk" and h.listener), []
        ).append(h)
    return [(max(g, key=lambda h: h.snr_uni32), len(g)) for g in groups.values()]


def hearing_text(
    result: PrivacyResult,
    hearing: Hearing,
    talker_room: str,
    lang: str | None = None,
    others: int = 0,
) -> str:
    """One line: who hears, by which path, the metrics and the verdict; ``others``: how many
    more positions in the same room hear it less."""
    listener = listener_name(result.plan, hearing.listener, lang)
    if others:
        listener += " " + t("privacy.and_others", lang, n=others)
    return t(
        "privacy.hearing",
        lang,
        listener=listener,
        path=path_text(result, hearing, talker_room, lang),
        snr=fmt_num(hearing.snr_uni32, 0, lang),
        verdict=verdict_word(hearing.verdict, lang),
    )


def condition_text(result: PrivacyResult, answer: PositionAnswer, lang: str | None = None) -> str:
    """When the position is private, in one sentence."""
    plan = result.plan
    if answer.status == "private":
        return t("privacy.status_private", lang)
    if answer.status == "never":
        rooms = list(dict.fromkeys(h.room for h in answer.hearings if h.role == "always"))
        first = next(h for h in answer.hearings if h.role == "always")
        text = t(
            "privacy.status_never",
            lang,
            rooms=_and([room_name(plan, r) for r in rooms], lang),
            path=path_text(result, first, answer.room, lang),
        )
        who = [position_name(plan, f"desk:{d}", lang) for d in answer.empty_desks]
        who += [
            position_name(plan, p, lang)
            for p in answer.idle_positions
            if p.removeprefix("desk:") not in answer.empty_desks
        ]
        return text + (" " + t("privacy.never_besides", lang, who=_and(who, lang)) if who else "")
    parts = []
    if answer.empty_desks:
        desks = [position_name(plan, f"desk:{d}", lang) for d in answer.empty_desks]
        key = "privacy.while_empty" if len(desks) > 1 else "privacy.while_empty_one"
        parts.append(t(key, lang, desks=_and(desks, lang)))
    # an interview at a desk needs its caseworker there, so "desk X empty" already covers it
    idle = [p for p in answer.idle_positions if p.removeprefix("desk:") not in answer.empty_desks]
    if idle:
        parts.append(
            t(
                "privacy.while_idle",
                lang,
                positions=_and([position_name(plan, p, lang) for p in idle], lang),
            )
        )
    return t("privacy.status_conditional", lang, conditions=f" {t('word.and', lang)} ".join(parts))


def _status_word(status: str, lang: str | None) -> str:
    word = t(f"status.{status}", lang)
    return word[:1].lower() + word[1:]


def upgrade_text(plan: Plan, upgrade: Upgrade, room_id: str, lang: str | None = None) -> str:
    """One upgrade in words: "the wall to Venteværelse (1.10) from 37 to 52 dB"."""
    after = fmt_num(upgrade.after, 0, lang)
    before = fmt_num(upgrade.before, 0, lang) if upgrade.before is not None else ""
    if upgrade.kind == "wall":
        a, b = upgrade.feature.split("|")
        other = room_name(plan, b if a == room_id else a)
        return t("privacy.upgrade_wall", lang, room=other, before=before, after=after)
    if upgrade.kind == "masking":
        where = room_name(plan, upgrade.feature)
        return t("privacy.upgrade_masking", lang, room=where, after=after)
    is_open = upgrade.kind == "door" and plan.door(upgrade.feature).is_open
    key = "privacy.upgrade_open_door" if is_open else f"privacy.upgrade_{upgrade.kind}"
    return t(key, lang, id=upgrade.feature, before=before, after=after)


def fix_text(
    result: PrivacyResult, room_id: str, lang: str | None = None, same_room: bool = True
) -> str | None:
    """What changes the room's verdict, tried on the plan: "With the wall to Venteværelse
    (1.10) from 37 to 52 dB ...: private on condition." None for a private room or one
    without interview positions; ``same_room`` False leaves out that others in the room
    hear it too."""
    answer = result.room(room_id)
    if answer.status in ("private", "none"):
        return None
    fix = result.fix(room_id)
    plan = result.plan
    parts = []
    for step in fix.steps:
        key = step.lifts if step.status_after != "private" else "private"
        parts.append(
            t(
                f"privacy.fix_step_{key}",
                lang,
                upgrades=_and([upgrade_text(plan, u, room_id, lang) for u in step.upgrades], lang),
                status=_status_word(step.status_after, lang),
            )
        )
    if fix.listener is not None and (not fix.steps or fix.steps[-1].lifts != "outside"):
        tops: dict[str, float] = {}
        for u in fix.tried:
            tops[u.kind] = max(tops.get(u.kind, 0.0), u.after)
        tried = [
            t(f"privacy.tried_{kind}", lang, value=fmt_num(tops[kind], 0, lang))
            for kind in UPGRADE_STEPS
            if kind in tops
        ]
        parts.append(
            t(
                "privacy.fix_none",
                lang,
                listener=listener_name(plan, fix.listener, lang),
                path=route_text(plan, fix.path, room_id, lang),
                tried=", ".join(tried) or "-",
            )
        )
    if fix.same_room and same_room:
        parts.append(t("privacy.fix_same_room", lang))
    return " ".join(parts) or None


def room_text(result: PrivacyResult, answer: RoomAnswer, lang: str | None = None) -> str:
    """A room's status, and who else can follow its interviews (:func:`exposure_text`)."""
    status = t(f"status.{answer.status}", lang)
    exposed = exposure_text(result, answer, lang)
    return f"{status}. {exposed}" if exposed else status


def exposure_text(result: PrivacyResult, answer: RoomAnswer, lang: str | None = None) -> str | None:
    """Who can follow the room's interviews without counting in its status: passers-by in
    corridors, colleagues in staff rooms, people in other rooms, by the same criterion as
    every listener (the loudest place per room, with its SNRuni32); None when nobody."""
    loudest: dict[str, Hearing] = {}
    for p in answer.positions:
        for h in result.position(p).hearings:
            if h.role != "exposure" or h.raised_only or h.verdict != "intelligible":
                continue
            if h.room not in loudest or h.snr_uni32 > loudest[h.room].snr_uni32:
                loudest[h.room] = h
    if not loudest:
        return None
    plan = result.plan
    who = []
    for h in sorted(loudest.values(), key=lambda h: -h.snr_uni32):
        text = t(f"privacy.exposure_{h.kind}", lang, room=room_name(plan, h.room))
        if h.listener.startswith("door:"):
            door = h.listener.removeprefix("door:").partition("@")[0]
            text = t("privacy.exposure_at_door", lang, who=text, door=door)
        who.append(t("privacy.exposure_snr", lang, who=text, snr=fmt_num(h.snr_uni32, 0, lang)))
    return t("privacy.exposure_line", lang, who=_and(who, lang))


def weakest_word(check: PartitionCheck, lang: str | None = None) -> str:
    """The element of a partition letting most sound through: "the wall itself" or the
    opening's id."""
    if check.weakest == "wall":
        return t("privacy.weakest_wall_plain", lang)
    return t("privacy.weakest_opening", lang, id=check.weakest)


def partition_text(plan: Plan, check: PartitionCheck, lang: str | None = None) -> str:
    """A partition against the guidance: composite rating, its weakest element, met or not."""
    a, b = check.rooms
    weakest = weakest_word(check, lang)
    return t(
        "privacy.partition_line",
        lang,
        a=room_name(plan, a),
        b=room_name(plan, b),
        composite=fmt_num(check.composite_rw, 0, lang),
        wall=fmt_num(check.wall_rw, 0, lang),
        weakest=weakest,
        required=fmt_num(check.required_rw, 0, lang),
        guidance=t(f"guidance.{check.guidance}", lang),
        verdict=t("privacy.meets" if check.passes else "privacy.fails", lang),
    )


def as_dict(result: PrivacyResult, lang: str | None = None) -> dict:
    """The JSON form of a :class:`PrivacyResult` (``docs/privacy.md``)."""
    plan = result.plan

    def hearing(h: Hearing, room: str) -> dict:
        return {
            "listener": h.listener,
            "listener_name": listener_name(plan, h.listener, lang),
            "kind": h.kind,
            "room": h.room,
            "staff": h.staff,
            "role": h.role,
            "path": list(result.path(h.pair)),
            "path_text": path_text(result, h, room, lang),
            "level_dba": round(h.level_dba, 1),
            "snr_uni32": round(h.snr_uni32, 1),
            "privacy_index": round(h.privacy_index, 1),
            "sii": round(h.sii, 3),
            "spc": None if h.spc != h.spc else round(h.spc, 1),
            "verdict": h.verdict,
            "raised_only": h.raised_only,
        }

    def check(c: PartitionCheck) -> dict:
        return {
            "partition": c.partition,
            "rooms": list(c.rooms),
            "kind": c.kind,
            "wall_rw": c.wall_rw,
            "composite_rw": c.composite_rw,
            "required_rw": c.required_rw,
            "guidance": c.guidance,
            "passes": c.passes,
            "weakest": c.weakest,
            "text": partition_text(plan, c, lang),
        }

    return {
        "plan": plan.name,
        "criteria": result.criteria.as_dict(),
        "pairs_evaluated": result.n_pairs,
        "positions": [
            {
                "position": a.position,
                "name": position_name(plan, a.position, lang),
                "room": a.room,
                "desk": a.desk,
                "caseworker": a.caseworker,
                "status": a.status,
                "condition": condition_text(result, a, lang),
                "empty_desks": list(a.empty_desks),
                "idle_positions": list(a.idle_positions),
                "always": list(a.always),
                "exposure": list(a.exposure),
                "exempt": list(a.exempt),
                "hearings": [hearing(h, a.room) for h in a.hearings],
            }
            for a in result.positions
        ],
        "rooms": [
            {
                "room": r.room,
                "name": plan.room(r.room).name,
                "kind": r.kind,
                "status": r.status,
                "text": room_text(result, r, lang),
                "positions": list(r.positions),
                "fix": fix_dict(result, r.room) if r.status in ("conditional", "never") else None,
                "heard_in": list(r.heard_in),
                "exposure_in": list(r.exposure_in),
                "overhears": list(r.overhears),
            }
            for r in result.rooms
        ],
        "partitions": [check(c) for c in result.partitions],
    }


def fix_dict(result: PrivacyResult, room_id: str) -> dict:
    """A room's fix as plain data: the steps with their upgrades and the status each gives,
    the deciding listener and its path."""
    fix = result.fix(room_id)
    return {
        "steps": [
            {
                "lifts": step.lifts,
                "status_after": step.status_after,
                "upgrades": [
                    {"feature": u.feature, "kind": u.kind, "before": u.before, "after": u.after}
                    for u in step.upgrades
                ],
            }
            for step in fix.steps
        ],
        "listener": fix.listener,
        "path": list(fix.path),
        "same_room": fix.same_room,
    }
