"""Mutated plans through the whole pipeline (issue 14).

A deterministic mutator of the bundled Slagelse plan (numbers, types, sizes, structure)
and a runner that feeds each mutant to ``load_plan``, ``validate``, ``assess_privacy`` and
``plan_capacity``. The only exception allowed is the project's own :class:`PlanError`, on
reading; a plan that reads must be assessed. Each case has a budget of CPU time (not wall
clock: the same cases pass or fail on a loaded machine) and the worker process a memory
limit, so a hang or a blow-up is a failure that names its case.

Case ``i`` of seed ``s`` is the same mutant on every machine: rerun one with
``python -m tests.mutate --case i``. ``make fuzz`` runs 10,000 cases; ``make test`` a
1,000-case sample (tests/test_mutation.py).
"""

from __future__ import annotations

import argparse
import copy
import itertools
import json
import math
import os
import random
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "floorplans" / "slagelse-oestre-skole.json"

CPU_SECONDS = 20.0  # per case: the slowest legal mutant (1,000 rooms) takes about 5 s
MUTANT_CPU_SECONDS = 300.0  # to make one mutant: the largest take about 6 s
MEMORY_BYTES = 1 << 30  # on top of what the worker holds after its first case

Json = Any
Path_ = tuple[Any, ...]


class Raw(str):
    """Number text written into the file as it is (400 digits, 1e400, NaN): what a
    broken exporter writes and ``json.dumps`` cannot."""


HUGE = [
    Raw("1" + "0" * 400),
    Raw("9" * 5000),
    Raw("-" + "9" * 5000),
    Raw("1e400"),
    Raw("-1e400"),
    Raw("NaN"),
    Raw("Infinity"),
    Raw("-Infinity"),
    Raw("1" + "0" * 30),
    Raw("0." + "0" * 400 + "1"),
]
NUMBERS: list[Json] = [
    0, -1, 1, -0.0, 0.5, 36, 37, 10**6, 10**30, 2**63, 1e308, -1e308, 5e-324, 1e9,
]  # fmt: skip
OTHER_TYPES: list[Json] = [
    None, True, False, "", "12", "1.5", "NaN", "x" * 20_000, "<script>alert(1)</script>",
    "æøå \u202e\u0000", [], {}, [1, 2], [[1, 2]], {"a": 1}, {"type": "Polygon"},
]  # fmt: skip
MOST_POINTS = 200_000  # in a mutant: more than any upload holds that is not refused for size
SCALES = [1e-4, 1e-3, 0.01, 0.1, 10.0, 100.0, 1000.0, 1e5]


LEAVES = frozenset({int, float, str, bool, type(None)})
"""The types of a JSON tree's plain leaves (:class:`Raw` is not one): the tree walks below
pass them by without a call, as most of a plan's values are coordinates."""


def dumps(doc: Json) -> bytes:
    """``doc`` as JSON, with every :class:`Raw` written as its text."""
    raws: list[str] = []

    def mark(value: Json) -> Json:
        if isinstance(value, Raw):
            raws.append(str(value))
            return f"@@raw{len(raws) - 1}@@"
        if isinstance(value, dict):
            return {k: v if type(v) in LEAVES else mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [v if type(v) in LEAVES else mark(v) for v in value]
        return value

    text = json.dumps(mark(doc), ensure_ascii=False)
    # one pass: a replace per Raw was quadratic (1,203 of them in a 30 MB mutant took 31 s)
    text = re.sub(r'"@@raw(\d+)@@"', lambda m: raws[int(m.group(1))], text)
    return text.encode("utf-8", "surrogatepass")


def _paths(doc: Json) -> Iterator[tuple[Path_, Json]]:
    """Every value in ``doc`` with its path, parents before children, in document order.
    A stack, not nested generators: a value 400 floors deep was passed up through every
    generator above it (9 million resumptions to make one mutant)."""
    stack: list[tuple[Path_, Json]] = [((), doc)]
    while stack:
        here, value = stack.pop()
        yield here, value
        if isinstance(value, dict):
            stack.extend(((*here, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*here, i), value[i]) for i in range(len(value) - 1, -1, -1))


def _copied(value: Json) -> Json:
    """A copy of a JSON tree: its dicts and lists new, its leaves (numbers, strings,
    :class:`Raw`) shared, as they never change in place. No value appears twice in a
    mutant, so ``copy.deepcopy``'s memo of shared values is not needed, and it was a
    third of the time to make 400 floors."""
    if isinstance(value, dict):
        return {k: v if type(v) in LEAVES else _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in LEAVES else _copied(v) for v in value]
    return value


def _set(doc: Json, path: Path_, value: Json) -> Json:
    if not path:
        return value
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    parent[path[-1]] = value
    return doc


def _coordinates(doc: Json) -> Iterator[list[Any]]:
    """Every [x, y] pair of every geometry and citizen's chair in ``doc``."""
    for _, value in _coordinate_paths(doc):
        yield value


def _coordinate_paths(doc: Json) -> Iterator[tuple[Path_, list[Any]]]:
    for path, value in _paths(doc):
        pair = isinstance(value, list) and len(value) == 2
        if pair and {"coordinates", "chair"} & set(path) and all(map(_is_number, value)):
            yield path, value


# -- mutations: each takes the document and a random source, changes the document and says
# what it did


def number(doc: Json, rng: random.Random) -> str:
    spots = [p for p, v in _paths(doc) if _is_number(v)]
    path = rng.choice(spots)
    old = _get(doc, path)
    new = rng.choice(
        [rng.choice(HUGE), rng.choice(NUMBERS), old * rng.choice(SCALES), -old, old + 1e-9]
    )
    _set(doc, path, new)
    return f"number {_where(path)} = {_short(new)}"


def retype(doc: Json, rng: random.Random) -> str:
    path = rng.choice([p for p, _ in _paths(doc) if p])
    new = copy.deepcopy(rng.choice(OTHER_TYPES))
    _set(doc, path, new)
    return f"type {_where(path)} = {_short(new)}"


def structure(doc: Json, rng: random.Random) -> str:
    containers = [(p, v) for p, v in _paths(doc) if isinstance(v, dict | list) and v]
    path, value = rng.choice(containers)
    how = rng.choice(["drop", "duplicate", "clear", "shuffle", "junk"])
    if isinstance(value, dict):
        key = rng.choice(sorted(value, key=str))
        if how == "drop":
            del value[key]
        elif how == "clear":
            value.clear()
        elif how == "junk":
            junk = copy.deepcopy(rng.choice(OTHER_TYPES))  # never shared: see _copied
            value[rng.choice(["feature", "kind", "zz", "rooms", "id"])] = junk
        else:
            value[f"{key}_"] = copy.deepcopy(value[key])
        return f"{how} {_where((*path, key))}"
    i = rng.randrange(len(value))
    if how == "drop":
        del value[i]
    elif how == "duplicate":
        value.insert(i, copy.deepcopy(value[i]))
    elif how == "clear":
        value.clear()
    elif how == "shuffle":
        rng.shuffle(value)
    else:
        value.insert(i, copy.deepcopy(rng.choice(OTHER_TYPES)))
    return f"{how} {_where((*path, i))}"


def scale(doc: Json, rng: random.Random) -> str:
    """The whole plan in another unit or at map coordinates."""
    factor = rng.choice(SCALES)
    dx, dy = rng.choice([(0.0, 0.0), (0.0, 0.0), (6.8e5, 6.15e6), (1e5, 1e5), (-3e4, 2e4)])
    for point in _coordinates(doc):
        point[0], point[1] = point[0] * factor + dx, point[1] * factor + dy
    return f"scale x{factor} + ({dx}, {dy})"


def densify(doc: Json, rng: random.Random) -> str:
    """A room's outline with thousands of points on its straight walls."""
    room = _a_room(doc, rng)
    if room is None:
        return "densify: no room"
    ring = room["geometry"]["coordinates"][0]
    steps = rng.choice([10, 300, 2000])
    dense = []
    for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
        dense.extend([x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps] for k in range(steps))
    dense.append(list(ring[-1]))
    room["geometry"]["coordinates"][0] = dense
    return f"densify {room.get('id')} x{steps}"


def replicate(doc: Json, rng: random.Random) -> str:
    """More floors side by side: the features copied with new ids (staff stay on floor 0);
    400 floors are more features than a plan may have (a floor of densified walls is copied
    fewer times: the mutant stays a file a user could upload)."""
    points = sum(1 for _ in _coordinates(doc)) or 1
    copies = min(rng.choice([1, 1, 2, 400]), max(1, MOST_POINTS // points))
    with_copies(doc, copies)
    return f"replicate x{copies}"


def with_copies(doc: Json, copies: int) -> Json:
    """``doc`` with ``copies`` more floors beside it, 20 m apart (changed in place)."""
    features = doc.get("features", [])
    out = list(features)
    # where each feature's points are: the same in every copy, so found once
    points = [[path for path, _ in _coordinate_paths(f)] for f in features]
    for n in range(1, copies + 1):
        for f, where in zip(features, points, strict=True):
            g = _copied(f)
            if isinstance(g.get("id"), str):
                g["id"] = f"{g['id']}~{n}"
            props = g.get("properties", {})
            if isinstance(props.get("room"), str):
                props["room"] = f"{props['room']}~{n}"
            if isinstance(props.get("rooms"), list):
                props["rooms"] = [f"{r}~{n}" if isinstance(r, str) else r for r in props["rooms"]]
            for path in where:
                _get(g, path)[1] += 20.0 * n
            out.append(g)
    doc["features"] = out
    return doc


def remove_kind(doc: Json, rng: random.Random) -> str:
    """Every feature of one kind gone, or every interview room made an office."""
    which = rng.choice(["room", "door", "desk", "window", "screen", "interview", "staff"])
    if which == "staff":
        doc.get("properties", {}).pop("staff", None)
    elif which == "interview":
        for f in doc.get("features", []):
            if f["properties"].get("kind") == "interview":
                f["properties"]["kind"] = "office"
    else:
        doc["features"] = [f for f in doc.get("features", []) if _feature(f) != which]
    return f"remove {which}"


def rename(doc: Json, rng: random.Random) -> str:
    """A room's id changed, so doors and desks name a room that is not there."""
    room = _a_room(doc, rng)
    if room is None:
        return "rename: no room"
    room["id"] = rng.choice(["X", "", " ", "1.01", room["id"] + " "])
    return f"rename {room['id']!r}"


MUTATIONS: list[Callable[[Json, random.Random], str]] = [
    number, number, number, retype, retype, structure, structure,
    scale, densify, replicate, remove_kind, rename,
]  # fmt: skip


def mutant(seed: int, case: int) -> tuple[bytes, list[str]]:
    """Case ``case`` of ``seed``: the file's bytes and what was changed."""
    rng = random.Random(f"{seed}:{case}")
    doc = json.loads(BASE.read_text(encoding="utf-8"))
    done = []
    for _ in range(1 + (rng.random() < 0.4) + (rng.random() < 0.15)):
        change = rng.choice(MUTATIONS)
        try:
            done.append(change(doc, rng))
        except (AttributeError, TypeError, KeyError, IndexError, ValueError):
            # an earlier change left a shape this one does not apply to (the file keeps it)
            done.append(f"{change.__name__}: not applicable")
    return dumps(doc), done


def _is_number(value: Json) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _get(doc: Json, path: Path_) -> Json:
    for key in path:
        doc = doc[key]
    return doc


def _a_room(doc: Json, rng: random.Random) -> Json:
    """One of the plan's room features, or None when it has none."""
    rooms = [f for f in doc.get("features", []) if _feature(f) == "room"]
    return rng.choice(rooms) if rooms else None


def _feature(f: Json) -> Any:
    props = f.get("properties") if isinstance(f, dict) else None
    return props.get("feature") if isinstance(props, dict) else None


def _where(path: Path_) -> str:
    return "/".join(str(p) for p in path)


def _short(value: Json) -> str:
    text = repr(value)
    return text if len(text) < 40 else f"{text[:30]}... ({len(text)} chars)"


# -- the runner


class OverBudget(Exception):
    """A case used more CPU time than :data:`CPU_SECONDS`."""


@dataclass(frozen=True)
class Outcome:
    case: int
    result: str  # "refused", "assessed" or "failed"
    seconds: float  # CPU
    mutations: tuple[str, ...]
    error: str = ""


def _over_budget(signum: int, frame: Any) -> None:
    raise OverBudget(f"more than {CPU_SECONDS:.0f} s of CPU time")


def run_case(seed: int, case: int) -> Outcome:
    """Case ``case`` through the pipeline within :data:`CPU_SECONDS`."""
    data, done = mutant(seed, case)
    return run_mutant(case, data, done)


def run_mutant(case: int, data: bytes, done: list[str]) -> Outcome:
    """A mutant through the pipeline within :data:`CPU_SECONDS`."""
    started = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, CPU_SECONDS)
    try:
        result, error = through_pipeline(data), ""
    except Exception:  # noqa: BLE001 - the point of the fuzz: any other exception is reported
        result, error = "failed", traceback.format_exc(limit=-6)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    return Outcome(case, result, time.process_time() - started, tuple(done), error)


def through_pipeline(data: bytes) -> str:
    """Read, validate, assess and plan ``data``; only a reading's :class:`PlanError` is
    allowed, and a plan that reads is assessed."""
    from roomplan import load_plan, validate
    from roomplan.capacity import CapacityOptions, plan_capacity
    from roomplan.capacity.solve import Budget
    from roomplan.privacy import assess_privacy

    problems = validate(data, format="json")
    if problems:
        _check_refusal(problems)
        return "refused"
    plan = load_plan(data, format="json")  # validate found nothing: this reads
    assess_privacy(plan)
    options = CapacityOptions(budget=Budget(work=0.05), threads=1)
    capacity = plan_capacity(plan, options=options)
    assert 0 <= capacity.held <= capacity.held_bound
    return "assessed"


def _check_refusal(problems: tuple[Any, ...]) -> None:
    """Every problem says what is wrong and the fix, in both languages, filled in."""
    from roomplan.i18n import has

    for p in problems:
        for lang in ("da", "en"):
            assert has(f"problem.{p.code}", lang) and has(f"fix.{p.code}", lang), p.code
            text = p.message(lang) + p.fix(lang)
            assert text and not re.search(r"\{[a-z_]+\}", text), f"{p.code}: {text}"


def _limit_memory() -> None:
    """The worker may grow by :data:`MEMORY_BYTES` beyond what it holds now."""
    with open("/proc/self/status", encoding="ascii") as status:
        size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize"))
    resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY_BYTES, resource.RLIM_INFINITY))


def prepare() -> None:
    """A worker as every case finds it: imports and first-use caches done, then the CPU
    timer's handler set and the memory limited."""
    import scipy.optimize  # noqa: F401  (imported where weekly caps are priced, not in a case)

    through_pipeline(BASE.read_bytes())
    signal.signal(signal.SIGPROF, _over_budget)
    _limit_memory()


def _limit_cpu(seconds: float) -> None:
    """The kernel ends the worker after ``seconds`` more of CPU time: a case that spins
    inside C code, where the CPU timer's signal cannot reach Python, is still stopped."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    now = used.ru_utime + used.ru_stime
    hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    soft = int(now + seconds) + 1
    resource.setrlimit(
        resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard)
    )


def work(seed: int, cases: list[int]) -> None:
    """Worker: run ``cases``, one JSON line per case on stdout (the start first, so a case
    that kills the process is still named)."""
    prepare()
    for case in cases:
        print(json.dumps({"start": case}), flush=True)
        # the case's CPU limit bounds the pipeline; making its mutant has its own, larger one
        # (400 copies of a floor with a 5,000-digit number took 43 s to make on a slow day,
        # case 7735, and the case before's limit killed it); memory is limited throughout
        _limit_cpu(MUTANT_CPU_SECONDS)
        data, done = mutant(seed, case)
        _limit_cpu(2 * CPU_SECONDS)
        outcome = run_mutant(case, data, done)
        print(json.dumps(outcome.__dict__), flush=True)


CHUNK = 250
"""Cases a worker takes at a time: the workers stay busy to the end of the run."""


def run(seed: int, cases: range, jobs: int = 1) -> list[Outcome]:
    """``cases`` in up to ``jobs`` worker processes at once, :data:`CHUNK` at a time; a worker
    that dies fails its case, and a new one goes on with the rest of its chunk."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    todo = [list(cases)[i : i + CHUNK] for i in range(0, len(cases), CHUNK)]
    running: list[tuple[subprocess.Popen, list[int], Path]] = []
    outcomes: list[Outcome] = []
    with tempfile.TemporaryDirectory() as folder:
        for n in itertools.count():
            while todo and len(running) < jobs:
                # each worker writes to a file of its own: a pipe nobody reads stops it
                share, out = todo.pop(0), Path(folder) / f"w{n}-{len(running)}"
                running.append((_start(seed, share, env, out), share, out))
            if not running:
                break
            for entry in [e for e in running if e[0].poll() is not None]:
                running.remove(entry)
                worker, share, out = entry
                done, rest = _collect(seed, worker.returncode, out, share)
                outcomes.extend(done)
                if rest:
                    todo.insert(0, rest)
            time.sleep(0.05)
    return sorted(outcomes, key=lambda o: o.case)


def _start(seed: int, share: list[int], env: dict[str, str], out: Path) -> subprocess.Popen:
    with open(out.with_suffix(".out"), "w") as stdout, open(out.with_suffix(".err"), "w") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.mutate", "--work", str(seed), *map(str, share)],
            stdout=stdout,
            stderr=err,
            env=env,
            cwd=ROOT,
        )


def _collect(
    seed: int, returncode: int, out: Path, share: list[int]
) -> tuple[list[Outcome], list[int]]:
    """A worker's outcomes, and the cases it did not reach when it died."""
    outcomes, started = [], None
    for line in out.with_suffix(".out").read_text().splitlines():
        record = json.loads(line)
        if "start" in record:
            started = record["start"]
        else:
            record["mutations"] = tuple(record["mutations"])
            outcomes.append(Outcome(**record))
            started = None
    if returncode == 0 and started is None:
        return outcomes, []
    why = f"the worker ended with {returncode}: {out.with_suffix('.err').read_text()[-2000:]}"
    if started is None:  # died before its first case: nothing to blame, nothing to redo
        raise RuntimeError(why)
    mutations = tuple(mutant(seed, started)[1])
    outcomes.append(Outcome(started, "failed", math.nan, mutations, why))
    return outcomes, share[share.index(started) + 1 :]


def summary(outcomes: list[Outcome]) -> str:
    counts = {r: sum(o.result == r for o in outcomes) for r in ("refused", "assessed", "failed")}
    first = (
        f"{len(outcomes)} cases: {counts['refused']} refused with a reason, "
        f"{counts['assessed']} assessed, {counts['failed']} failed"
    )
    if outcomes:
        worst = max(outcomes, key=lambda o: o.seconds if math.isfinite(o.seconds) else 0)
        first += (
            f"; slowest case {worst.case} took {worst.seconds:.2f} s of CPU "
            f"({'; '.join(worst.mutations)})"
        )
    lines = [first]
    for o in outcomes:
        if o.result == "failed":
            lines.append(f"case {o.case} ({'; '.join(o.mutations)}):\n{o.error}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.mutate", description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--case", type=int, help="run this one case here and show it")
    parser.add_argument("--work", type=int, help=argparse.SUPPRESS)
    parser.add_argument("share", nargs="*", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.work is not None:
        work(args.work, args.share)
        return 0
    if args.case is not None:
        prepare()
        outcome = run_case(args.seed, args.case)
        print(summary([outcome]))
        return outcome.result == "failed"
    outcomes = run(args.seed, range(1, args.cases + 1), args.jobs)
    print(summary(outcomes))
    return any(o.result == "failed" for o in outcomes)


if __name__ == "__main__":
    sys.exit(main())
