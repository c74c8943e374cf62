"""Roll-up: `inspect-tui report` over 1,000 stored sessions of the 城市社区 (shequ) sheet, md and json.

Twenty distinct inspections are made through the repository API (varied facts, marks, notes and
manual deductions, so scores, failed items and sections differ), then copied under fresh ids with
distinct branch names, units and dates; every fourth copy is a re-inspection of the one before it
(`previous` link, same branch, a later date), so the trend is computed too. The index is built
once, as after any earlier run of the app.

Each format is timed as a user meets it: a fresh `python -m inspect_tui report` process, from start
to exit, output to a file. The in-process breakdown (list, load + score, roll-up, render) follows.

    python bench/report.py [--sessions 1000] [--runs 3]

Last line: `report sessions=1000 seconds=…` — md and json together, median of the runs (target ≤ 3 s).
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
MANUAL = {
    "org.basic.grid_split": "网格划分与楼栋不对应,部分楼栋跨两个网格",
    "org.basic.grid_branch": "有正式党员3人以上的网格未单独组建党支部",
    "org.groups.principle": "党小组按退休前单位划分,不便于组织活动",
}


def distinct_sessions(repo, count: int, rng: random.Random) -> list[str]:
    """`count` realistic, different inspections of the shequ sheet, made through the repository."""
    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.session.answers import Override
    from inspect_tui.core.checklist.model import State

    checklist = catalog.find("shequ")
    ids = []
    for n in range(count):
        date = dt.date(2025, 3, 1) + dt.timedelta(days=rng.randrange(0, 600))
        opened = repo.create(checklist, f"样本社区第{n + 1}网格党支部", rng.choice(UNITS), ["张三", "李四"], date, "党群服务中心")
        members = rng.randrange(20, 160)
        facts = {
            "org_type": rng.choice(["党委", "党总支", "党支部"]), "full_members": members,
            "households": rng.randrange(800, 5000), "grids": rng.randrange(4, 20), "grids_with_3": rng.randrange(2, 10),
            "grid_branches": rng.randrange(2, 10), "grid_branches_single": rng.randrange(1, 6),
            "grid_branches_joint": rng.randrange(0, 4), "multi_grid": rng.random() < 0.7,
            "groups_by_building": rng.random() < 0.8, "party_groups": rng.randrange(2, 12),
            "nonconforming_groups": rng.choice([0, 0, 0, 1, 2]), "secretary_name": "王书记",
            "secretary_filed": rng.random() < 0.8, "has_secretary": rng.random() < 0.9,
            "branch_full_members": rng.randrange(3, 20), "has_committee": rng.random() < 0.7,
            "has_organizer": rng.random() < 0.8, "has_propagandist": rng.random() < 0.7,
            "has_discipline": rng.random() < 0.8,
            "term_end": (date + dt.timedelta(days=rng.randrange(-200, 900))).isoformat(),
            "elected_this_year": rng.random() < 0.3, "approval_requested": rng.random() < 0.8,
            "result_filed": rng.random() < 0.9, "reminder_received": rng.random() < 0.5,
            "preparation_started": rng.random() < 0.5, "regular_visits": rng.random() < 0.8,
        }
        for fact_id, value in facts.items():
            opened.set_fact(fact_id, value, "张三")
        for item_id, note in MANUAL.items():
            failed = rng.random() < 0.35
            opened.set_answer(item_id, "张三", state=State.FAIL if failed else State.PASS, note=note if failed else "")
        if rng.random() < 0.3:
            opened.set_answer("team.grid", "李四", override=Override(rng.choice([1, 2]), "未定期对居民联系走访"))
        else:
            opened.set_answer("team.grid", "李四", state=State.PASS)
        opened.finish("张三", force=True)
        opened.close()
        ids.append(opened.session.id)
    return ids


def fill(folder: Path, total: int, distinct: int = 20, seed: int = 6) -> None:
    from inspect_tui.core.session.repository import SessionRepository

    rng = random.Random(seed)
    repo = SessionRepository(folder)
    sources = [json.loads(repo.path(i).read_text(encoding="utf-8")) for i in distinct_sessions(repo, distinct, rng)]
    previous = ""
    for n in range(total - distinct):
        data = json.loads(json.dumps(sources[n % distinct]))
        meta = data["meta"]["1"]
        new_id = f"{n:012x}"
        repeat = n % 4 == 1  # a re-inspection of copy n-1: same branch, later, linked
        branch = f"第{n - 1 if repeat else n}网格党支部"
        unit = UNITS[(n - 1 if repeat else n) % len(UNITS)]
        date = dt.date(2025, 1, 1) + dt.timedelta(days=(n * 7) % 500 + (200 if repeat else 0))
        for record in (meta, meta["summary"]):
            record.update(id=new_id, branch=branch, unit=unit, date=date.isoformat())
        meta["previous"] = previous if repeat else ""
        target = repo.path(new_id)
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.chmod(target, 0o600)
        previous = new_id
    assert len(repo.list()) == total  # and the index is built


def cli_run(folder: Path, fmt: str, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "inspect_tui", "--sessions", str(folder), "report", "--format", fmt,
                           "-o", str(out), "--force"], capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"report --format {fmt} failed:\n{done.stderr[-2000:]}")
    return elapsed


def breakdown(folder: Path) -> list[str]:
    """Where the time goes, in this process (its checklist cache is cold for the first load)."""
    from inspect_tui.core.export import report_json, report_md
    from inspect_tui.core.session.repository import SessionRepository
    from inspect_tui.core.analysis.rollup import reduce_session, rollup
    from inspect_tui.core.session.reader import RepositoryReader

    reader = RepositoryReader(SessionRepository(folder))
    t0 = time.perf_counter()
    listed = reader.summaries()
    t1 = time.perf_counter()
    sessions = [reader.load(s.id) for s in listed]
    t2 = time.perf_counter()
    for session in sessions:
        reduce_session(session)
    t3 = time.perf_counter()
    result = rollup(sessions)
    t4 = time.perf_counter()
    md, js = report_md.render_rollup(result), report_json.render_rollup(result)
    t5 = time.perf_counter()
    group = result.groups[0]
    return [
        f"in process: list {t1 - t0:.3f} s · load {t2 - t1:.3f} s · score {t3 - t2:.3f} s · "
        f"roll-up (scores again) {t4 - t3:.3f} s · render md+json {t5 - t4:.3f} s",
        f"report: {group.branches} branches ranked, {len(group.failed_items)} items failed somewhere, "
        f"{sum(1 for t in group.trends if len(t.points) > 1)} branches with a trend; md {len(md) // 1024} KiB, "
        f"json {len(js) // 1024} KiB",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, SRC)
    folder = Path(tempfile.mkdtemp(prefix="inspect-tui-report-"))
    try:
        store = folder / "sessions"
        fill(store, args.sessions)
        cli_run(store, "md", folder / "warm.md")  # warm the file cache
        totals, mds, jsons = [], [], []
        for _ in range(args.runs):
            md = cli_run(store, "md", folder / "report.md")
            js = cli_run(store, "json", folder / "report.json")
            mds.append(md)
            jsons.append(js)
            totals.append(md + js)
        print(f"sessions stored: {args.sessions} (20 distinct, copied), runs: {args.runs}, python {sys.version.split()[0]}")
        print(f"inspect-tui report --format md:   median {statistics.median(mds):.3f} s (process start to exit)")
        print(f"inspect-tui report --format json: median {statistics.median(jsons):.3f} s")
        for line in breakdown(store):
            print(line)
        print(f"report sessions={args.sessions} seconds={statistics.median(totals):.3f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
