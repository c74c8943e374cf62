"""Export benchmark: 1,000 stored sessions into one Excel workbook, as an office rolls up a campaign.

    python bench/export.py                  # from the repository root, package installed
    PYTHONPATH=src python bench/export.py   # or straight from the source tree

Fills a temporary sessions folder with N sessions of the bundled `jiguan` checklist (81 leaves,
104 rows with the sections and groups): one realistic inspection made through the real API (60
answered items, failures with notes in Chinese, three of them a few hundred characters long, 7
facts, and the audit trail those edits leave), copied under fresh ids and branch names, as
bench/autosave.py does. Then times exactly what `inspect-tui export ID... --format xlsx -o FILE.xlsx`
does: open each session read-only, score it and build its summary (`many.summaries`: in a worker
process, overlapping the writing), write one workbook (汇总: one row per session; 明细: every item
of every session) with `xlsx.render_many`, then the file to disk. `--sequential` keeps it all in
one process; `--phases` also times the two halves one after the other.

The last line is machine-readable: `export sessions=1000 seconds=…` (target ≤ 10 s).
"""

from __future__ import annotations

import argparse
import platform
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from autosave import fill_folder, make_template  # noqa: E402  (the same realistic session)

from inspect_tui.core.export import write_new  # noqa: E402
from inspect_tui.core.export.many import summaries  # noqa: E402
from inspect_tui.core.export.xlsx import render_many  # noqa: E402


def export(folder: Path, ids: list[str], target: Path, parallel: bool | None) -> int:
    """What the CLI does for several sessions to one .xlsx; returns the 明细 rows written."""
    rows = 0

    def counted():
        nonlocal rows
        for summary in summaries(folder, ids, parallel):
            rows += len(summary.items)
            yield summary

    write_new(target, render_many(counted()))
    return rows


def sequential(folder: Path, ids: list[str]) -> tuple[float, float]:
    """The two halves on their own, one after the other: summaries, then the workbook."""
    t0 = time.perf_counter()
    built = list(summaries(folder, ids, parallel=False))
    t1 = time.perf_counter()
    render_many(built)
    return t1 - t0, time.perf_counter() - t1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=None, help="replay a run's random choices")
    parser.add_argument("--sequential", action="store_true", help="build the summaries in this process")
    parser.add_argument("--phases", action="store_true", help="also time the two halves separately")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    root = Path(tempfile.mkdtemp(prefix="inspect-bench-export-"))
    try:
        template, answers = make_template(root / "template", rng)
        folder = root / "sessions"
        ids = fill_folder(folder, template, args.sessions)
        target = root / "检查汇总.xlsx"
        print(f"seed {seed}; python {platform.python_version()}; {len(ids)} sessions of jiguan, "
              f"{len(answers)} answers each; template file {template.stat().st_size / 1024:.0f} KiB")
        began = time.perf_counter()
        rows = export(folder, ids, target, parallel=None if not args.sequential else False)
        seconds = time.perf_counter() - began
        size = target.stat().st_size
        from openpyxl import load_workbook  # check what was written, outside the timing

        book = load_workbook(target, read_only=True)
        counted = {name: sum(1 for _ in book[name].iter_rows(values_only=True)) for name in book.sheetnames}
        book.close()
        assert counted["汇总"] == len(ids) + 1, counted
        assert counted["明细"] == rows + 1, counted
        if args.phases:
            build, write = sequential(folder, ids)
            print(f"phases, one after the other: summaries {build:.2f} s, workbook {write:.2f} s")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"workbook: {size / 1024 / 1024:.1f} MiB, 汇总 {counted['汇总'] - 1} rows, 明细 {counted['明细'] - 1} rows")
    print(f"target <= 10 s: {'met' if seconds <= 10 else 'MISSED'}")
    print(f"export sessions={len(ids)} seconds={seconds:.2f}")


if __name__ == "__main__":
    main()
