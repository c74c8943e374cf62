"""Overdue at a glance: `inspect-tui rectify list --overdue` over 1,000 stored sessions, 10 rectifications each.

Twenty distinct inspections of the 六条 (liutiao) sheet are made through the repository API: ten
items failed with a finding each, and their rectifications given a person, a deadline (some past,
some not), a report or a 销号. They are then copied under fresh ids with distinct branch names and
units, as bench/report.py does (the inspection date, and so each digest's basis, kept as it is).

Timed as a user meets it: a fresh `python -m inspect_tui rectify list --overdue` process, start to
exit. Cold: no index.json (each file read once, its digest checked against its tables; nothing
scored). Warm: the index as the cold run left it, median of the runs. The in-process list follows.

    python bench/rectify.py [--sessions 1000] [--runs 5]

Last line: `rectify sessions=1000 overdue_s=… cold_s=…` (target overdue_s ≤ 1 s, warm).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SRC = str(Path(__file__).resolve().parent.parent / "src")
UNITS = [f"{name}街道党工委" for name in ("幸福", "和平", "光明", "建设", "人民", "解放", "新华", "胜利", "东风", "长安")]
TODAY = "2026-12-01"
PER_SESSION = 10


def distinct_sessions(repo, count: int, rng: random.Random) -> list[str]:
    """`count` different inspections with PER_SESSION rectifications each, made through the repository."""
    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.checklist.model import State
    from inspect_tui.core.session.rectification import Request

    checklist = catalog.find("liutiao")
    marked = [i.id for i in checklist.walk() if i.is_leaf and not i.computed]
    ids = []
    for n in range(count):
        date = dt.date(2026, 5, 1) + dt.timedelta(days=rng.randrange(0, 180))
        with repo.create(checklist, f"样本党支部{n + 1}", rng.choice(UNITS), ["张三", "李四"], date) as opened:
            failed = rng.sample(marked, PER_SESSION)
            for item_id in marked:
                bad = item_id in failed
                opened.set_answer(item_id, "张三", state=State.FAIL if bad else State.PASS,
                                  note=f"{item_id} 未按要求落实,记录不全" if bad else "")
            for item_id in failed:
                kind = rng.random()
                request = Request(person=rng.choice(["王五", "赵六", "钱七"]), deadline=f"+{rng.choice([15, 30, 60])}")
                opened.set_rectification(item_id, "张三", request)
                if kind < 0.2:
                    opened.set_rectification(item_id, "张三", Request(report="已整改", report_date=date.isoformat()))
                elif kind < 0.4:
                    opened.set_rectification(item_id, "张三", Request(close=True, by="张三"))
            assert len(opened.rectifications()) == PER_SESSION
            opened.finish("张三", force=True)
            ids.append(opened.session.id)
    return ids


def fill(folder: Path, total: int, distinct: int = 20, seed: int = 14) -> None:
    from inspect_tui.core.session.repository import SessionRepository

    rng = random.Random(seed)
    repo = SessionRepository(folder)
    sources = [json.loads(repo.path(i).read_text(encoding="utf-8")) for i in distinct_sessions(repo, distinct, rng)]
    for n in range(total - distinct):
        data = json.loads(json.dumps(sources[n % distinct]))
        meta = data["meta"]["1"]
        new_id = f"{n:012x}"
        for record in (meta, meta["summary"]):
            record.update(id=new_id, branch=f"第{n}党支部", unit=UNITS[n % len(UNITS)])
        target = repo.path(new_id)
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.chmod(target, 0o600)
    (folder / "index.json").unlink(missing_ok=True)


def cli_run(folder: Path, *extra: str) -> tuple[float, str]:
    # bytecode kept (beside the bench's folder, not in src/) as an installed package has it: a
    # PYTHONDONTWRITEBYTECODE environment would otherwise time the compiler on every run
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "PYTHONPYCACHEPREFIX": str(folder.parent / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "inspect_tui", "--sessions", str(folder), "rectify", "list",
                           "--overdue", "--today", TODAY, *extra], capture_output=True, text=True, env=env, timeout=300)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"rectify list --overdue failed:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def in_process(folder: Path) -> str:
    from inspect_tui.core.session.repository import SessionRepository

    today = dt.date.fromisoformat(TODAY)
    t0 = time.perf_counter()
    listed = SessionRepository(folder).listed()
    t1 = time.perf_counter()
    rows = [r for x in listed for r in x.rectifications]
    overdue = sum(1 for r in rows if r.overdue_days(today))
    t2 = time.perf_counter()
    return (f"in process (warm index): listed {len(listed)} sessions with {len(rows)} rectifications in "
            f"{t1 - t0:.3f} s, {overdue} overdue counted in {t2 - t1:.3f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    sys.path.insert(0, SRC)
    folder = Path(tempfile.mkdtemp(prefix="inspect-tui-rectify-"))
    try:
        store = folder / "sessions"
        fill(store, args.sessions)
        cli_run(folder / "empty")  # the bytecode written once, before anything is timed
        cold, out = cli_run(store)
        warm = [cli_run(store)[0] for _ in range(args.runs)]
        json_warm = statistics.median(cli_run(store, "--json")[0] for _ in range(3))
        lines = out.count("\n") - 2  # the table's header and rule
        index_kib = (store / "index.json").stat().st_size // 1024
        print(f"sessions stored: {args.sessions} (20 distinct, copied), {PER_SESSION} rectifications each, "
              f"runs: {args.runs}, python {sys.version.split()[0]}")
        print(f"rectify list --overdue (today {TODAY}): {lines} lines; cold index {cold:.3f} s, "
              f"warm median {statistics.median(warm):.3f} s (process start to exit); --json warm {json_warm:.3f} s; "
              f"index.json {index_kib} KiB")
        print(in_process(store))
        print(f"rectify sessions={args.sessions} overdue_s={statistics.median(warm):.3f} cold_s={cold:.3f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
