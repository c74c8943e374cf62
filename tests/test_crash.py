"""SIGKILL a saving process 100 times: every acknowledged save must survive.

A child process saves answers in a loop through TinyDB + DurableJSONStorage
and prints ``ack N`` after each save returns.  The parent kills it at a
random moment (during start-up, after a random delay, or after a random
number of acks), then checks that the file still loads and that every
acknowledged answer is there.  The folder is reused across runs, so damage
would accumulate; each child continues numbering from what it reads back.
SIGKILL does not lose the page cache, so this tests atomicity (no torn or
half-replaced file), not power-loss durability, which needs real hardware.
"""

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import inspect_tui

# The package as imported here (installed, or src/ on PYTHONPATH), for child processes.
SRC = Path(inspect_tui.__file__).resolve().parent.parent

from inspect_tui.store import DurableJSONStorage, clean_temp_files  # noqa: E402

RUNS = 100
ITEMS = 50
NOTE = "中文备注：消防通道畅通，灭火器在有效期内。" * 3

CHILD = r"""
import sys
sys.path.insert(0, sys.argv[2])
from tinydb import Query, TinyDB
from inspect_tui.store import DurableJSONStorage
answers = TinyDB(sys.argv[1], storage=DurableJSONStorage).table("answers")
n = max((d["n"] for d in answers.all()), default=-1) + 1
out = sys.stdout
out.write(f"ready {n}\n"); out.flush()
item = Query().item
while True:
    key = f"i{n %% %(ITEMS)d}"
    answers.upsert({"item": key, "n": n, "note": %(NOTE)r + str(n)}, item == key)
    out.write(f"ack {n}\n"); out.flush()
    n += 1
""" % {"ITEMS": ITEMS, "NOTE": NOTE}


def run_once(path, rng):
    """Start a child, kill it at a random moment; return (start n or None, acked ns)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(SRC)],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    lines = []
    try:
        mode = rng.random()
        if mode < 0.1:  # during start-up / the first read
            time.sleep(rng.uniform(0.005, 0.06))
        else:
            lines.append(child.stdout.readline())
            if mode < 0.55:
                time.sleep(rng.uniform(0.0, 0.03))
            else:
                for _ in range(rng.randint(0, 40)):
                    lines.append(child.stdout.readline())
    finally:
        child.send_signal(signal.SIGKILL)
        lines.extend(child.stdout.read().splitlines())
        child.wait()
    assert child.returncode == -signal.SIGKILL, b"".join(lines).decode(errors="replace")
    start, acks = None, []
    for raw in lines:
        word, _, num = raw.decode().strip().partition(" ")
        if word == "ready":
            start = int(num)
        elif word == "ack":
            acks.append(int(num))
        elif word:
            pytest.fail(f"child said: {raw!r}")
    return start, acks


def test_kill_during_saves_loses_nothing_acknowledged(tmp_path):
    seed = int(os.environ.get("CRASH_SEED", random.randrange(1 << 30)))
    print(f"crash test seed: {seed} (rerun with CRASH_SEED={seed})")
    rng = random.Random(seed)
    path = tmp_path / "session.json"
    expected = {}  # item -> n of its last acknowledged save
    next_n = 0
    total_acks = leftovers = 0
    began = time.monotonic()
    for run in range(RUNS):
        start, acks = run_once(path, rng)
        where = f"run {run}, seed {seed}"
        if start is not None:
            assert start == next_n, where
        assert acks == list(range(next_n, next_n + len(acks))), where  # contiguous
        for n in acks:
            expected[f"i{n % ITEMS}"] = n
        in_flight = next_n + len(acks)  # the save that may or may not have landed

        data = DurableJSONStorage(path).read() or {}  # raises if damaged
        stored = {d["item"]: d for d in data.get("answers", {}).values()}
        for item, doc in stored.items():
            assert doc["note"] == NOTE + str(doc["n"]), where
            if doc["n"] == in_flight:
                assert item == f"i{in_flight % ITEMS}", where
            else:
                assert expected.get(item) == doc["n"], (where, item, doc["n"])
        assert set(stored) == set(expected) | (
            {f"i{in_flight % ITEMS}"} if any(d["n"] == in_flight for d in stored.values()) else set()
        ), where
        expected = {item: doc["n"] for item, doc in stored.items()}
        next_n = max(expected.values(), default=-1) + 1
        total_acks += len(acks)
        leftovers += len(clean_temp_files(tmp_path))
    assert not [p for p in tmp_path.iterdir() if ".tmp-" in p.name]
    assert os.stat(path).st_mode & 0o777 == 0o600
    print(f"{RUNS} kills, {total_acks} acknowledged saves, {leftovers} interrupted temp files "
          f"cleaned, {time.monotonic() - began:.1f}s")
    assert total_acks > RUNS  # the kills really landed among saves
