"""Mutated plans through the whole pipeline (issue 14): a 1,000-case sample of
``tests/mutate.py`` (``make fuzz`` runs 10,000). Only a reading's PlanError is allowed; a
plan that reads is assessed for privacy and capacity, each case within its CPU-time budget
and the worker within its memory limit."""

import json

import pytest

from tests import mutate

SHARDS = 4
CASES = 1000


@pytest.mark.parametrize("shard", range(SHARDS))
def test_mutated_plans_are_refused_with_a_reason_or_assessed(shard):
    cases = range(1 + shard, CASES + 1, SHARDS)
    outcomes = mutate.run(seed=0, cases=cases, jobs=1)
    assert len(outcomes) == len(cases)
    failed = [o for o in outcomes if o.result == "failed"]
    assert not failed, mutate.summary(outcomes)
    # the sample reaches every stage: some mutants are refused, some assessed
    assert {o.result for o in outcomes} == {"refused", "assessed"}


def test_a_case_is_the_same_mutant_on_every_run():
    assert mutate.mutant(0, 17) == mutate.mutant(0, 17)
    assert mutate.mutant(0, 17) != mutate.mutant(0, 18)


def test_numbers_beyond_json_are_written_as_they_are():
    data = mutate.dumps({"rw": mutate.Raw("9" * 5000), "x": [mutate.Raw("NaN")]})
    assert data == b'{"rw": ' + b"9" * 5000 + b', "x": [NaN]}'
    # many, nested, each in its place (the eleventh is not the first's marker with a 1 on)
    doc = {"a": [mutate.Raw(f"{i}e999") for i in range(12)], "b": {"c": mutate.Raw("-0")}}
    inner = ", ".join(f"{i}e999" for i in range(12))
    assert mutate.dumps(doc) == f'{{"a": [{inner}], "b": {{"c": -0}}}}'.encode()


def test_a_case_over_its_budget_fails_and_is_named(monkeypatch):
    # the runner's own guard: a case that spins is stopped by CPU time, not left to hang
    monkeypatch.setattr(mutate, "CPU_SECONDS", 0.2)

    def spin(data):
        while True:
            pass

    monkeypatch.setattr(mutate, "through_pipeline", spin)
    import signal

    previous = signal.signal(signal.SIGPROF, mutate._over_budget)
    try:
        outcome = mutate.run_case(0, 5)
    finally:
        signal.signal(signal.SIGPROF, previous)
    assert outcome.result == "failed" and "CPU time" in outcome.error


def test_a_worker_that_dies_fails_its_case_and_the_rest_go_on(tmp_path):
    # what the kernel's memory or CPU limit does to a worker: the case it was in is named
    out = tmp_path / "w0"
    done = {"case": 4, "result": "refused", "seconds": 0.01, "mutations": ["x"], "error": ""}
    out.with_suffix(".out").write_text(
        "\n".join(json.dumps(r) for r in ({"start": 4}, done, {"start": 5}))
    )
    out.with_suffix(".err").write_text("killed")
    outcomes, rest = mutate._collect(0, -9, out, [4, 5, 6, 7])
    assert [(o.case, o.result) for o in outcomes] == [(4, "refused"), (5, "failed")]
    assert "-9" in outcomes[1].error and "killed" in outcomes[1].error
    assert rest == [6, 7]


def test_twenty_floors_are_assessed_within_a_case_s_budget():
    # issue 14: the capacity programs of a large plan were built whatever the budget (336
    # rooms took 76 s at 0.05 units); now a program the budget cannot pay for is not built
    import time

    doc = mutate.with_copies(json.loads(mutate.BASE.read_text(encoding="utf-8")), 20)
    started = time.process_time()
    assert mutate.through_pipeline(mutate.dumps(doc)) == "assessed"
    assert time.process_time() - started < mutate.CPU_SECONDS


def test_making_a_mutant_does_not_count_against_the_case_before(tmp_path):
    # case 7735 (a 30 MB mutant, ~40 s to make) killed its worker: the CPU limit set for the
    # case before still stood while the next mutant was made
    script = """
import sys, time
from tests import mutate
mutate.CPU_SECONDS = 0.2  # the kernel's limit: at most 2 s of CPU past a case's start
mutate.prepare = lambda: None

def slow_mutant(seed, case):
    if case == 2:
        started = time.process_time()
        while time.process_time() - started < 3.0:
            pass
    return b"{}", ["slow" if case == 2 else "fast"]

mutate.mutant = slow_mutant
mutate.run_mutant = lambda case, data, done: mutate.Outcome(case, "refused", 0.0, tuple(done))
mutate.work(0, [1, 2])
"""
    import subprocess
    import sys

    def run(script: str) -> subprocess.CompletedProcess:
        args = [sys.executable, "-c", script]
        return subprocess.run(args, cwd=mutate.ROOT, capture_output=True, text=True)

    proc = run(script)
    assert proc.returncode == 0, proc.stderr
    assert [json.loads(line).get("case") for line in proc.stdout.splitlines()][-1] == 2
    # making a mutant has a limit of its own: one that never ends does not hang the run
    proc = run(
        script.replace("mutate.prepare =", "mutate.MUTANT_CPU_SECONDS = 1.0\nmutate.prepare =")
    )
    assert proc.returncode == -24  # SIGXCPU: the runner fails the case it was in
    assert proc.stdout.splitlines()[-1] == '{"start": 2}'


def test_an_empty_run_is_summed_up_without_a_slowest_case():
    # `FUZZ_CASES=0 make fuzz` ended in a traceback: max() of no outcomes
    assert mutate.summary([]) == "0 cases: 0 refused with a reason, 0 assessed, 0 failed"
    assert mutate.main(["--cases", "0"]) == 0


def _paths_by_recursion(doc, here=()):
    yield here, doc
    children = (
        doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    )
    for k, v in children:
        yield from _paths_by_recursion(v, (*here, k))


def test_the_tree_walks_visit_and_copy_as_plain_recursion_does():
    # the mutants depend on the walks' order: a faster walk must make the same mutants
    doc = json.loads(mutate.BASE.read_text(encoding="utf-8"))
    doc["features"][3]["properties"]["x"] = [mutate.Raw("1e400"), {"a": [[1, 2], []]}, {}]
    assert list(mutate._paths(doc)) == list(_paths_by_recursion(doc))
    copied = mutate._copied(doc)
    assert copied == doc and json.dumps(copied) == json.dumps(doc)
    containers = [id(v) for _, v in mutate._paths(doc) if isinstance(v, dict | list)]
    assert not {id(v) for _, v in mutate._paths(copied)} & set(containers)
    assert mutate.dumps(doc).count(b"1e400") == 1 and b'"1e400"' not in mutate.dumps(doc)
    # the n-th floor's copy is moved 20 n metres, point by point, as every point of the floor
    doc = mutate.with_copies(json.loads(mutate.BASE.read_text(encoding="utf-8")), 2)
    n = len(doc["features"]) // 3
    floors = [doc["features"][k * n : (k + 1) * n] for k in range(3)]
    for k in (1, 2):
        for f, g in zip(floors[0], floors[k], strict=True):
            a, b = list(mutate._coordinates(f)), list(mutate._coordinates(g))
            assert all(q == [p[0], p[1] + 20.0 * k] for p, q in zip(a, b, strict=True))
