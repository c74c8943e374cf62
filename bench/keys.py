"""Keys: mark 200 items of a 200-item checklist one key each, with a note on every tenth, via Pilot.

The checklist is generated (10 sections × 20 items, Chinese text, fixed and per-instance rules).
Each item gets one `y` (符合 moves on to the next item); every tenth also gets `e`, a short Chinese
note typed key by key, and Esc. The clock stops once the autosaver reports every change written
(the durable save is included). The same Pilot drives a bare Textual app (a Tree of 200 nodes,
one `down` per item) in the same run: Pilot itself waits for the app to go idle after every key,
which is a floor no app can go below, and the difference is what inspect-tui adds.

    python bench/keys.py

A third run calls the screen's actions directly (no Pilot) and waits for the saver: the app's own
work per item, including the durable save.

Last line: `keys per_item_ms=… minimal_per_item_ms=… over_minimal_ms=… direct_per_item_ms=…`
(the issue's target: ≤ 25 ms per item).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ITEMS = 200
NOTE = "台账已核"


def checklist_yaml() -> str:
    lines = [
        "format: 1", "id: bench200", "title: 基准测试检查表(200项)", 'version: "1"', "complete: true",
        "scored: true", "sections:",
    ]
    for s in range(10):
        lines += [f"  - id: s{s}", f"    title: 第{s + 1}大项", "    points: 40", "    items:"]
        for i in range(20):
            rule = '{clause: "每缺一项扣1分", per: 1}' if i % 5 == 0 else '{clause: "未落实的,扣2分", points: 2}'
            lines += [f"      - id: s{s}.i{i}", f"        text: 第{s + 1}大项第{i + 1}小项:有相应制度并落实", "        points: 2",
                      f"        rules: [{rule}]"]
    return "\n".join(lines) + "\n"


def new_app(folder: Path):
    """A fresh session of the 200-item checklist in `folder`, and the app opened on it."""
    from inspect_tui.app.app import InspectApp
    from inspect_tui.core.loader import load_checklist
    from inspect_tui.core.repository import SessionRepository

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench200.yaml"
    path.write_text(checklist_yaml(), encoding="utf-8")
    repo = SessionRepository(folder / "sessions")
    opened = repo.create(load_checklist(path), "基准测试支部", inspectors=["张三"], date=dt.date(2026, 11, 27))
    opened.close()
    return repo, opened.session.id, InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")


async def run_inspect(folder: Path) -> tuple[float, int]:
    repo, session_id, app = new_app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = time.perf_counter()
        for n in range(ITEMS):
            if n % 10 == 9:
                await pilot.press("e", *NOTE, "escape")
            await pilot.press("y")
        screen.saver.wait(30)
        elapsed = time.perf_counter() - start
        marked = sum(1 for a in screen.opened.session.answers.values() if a.state is not None)
        noted = sum(1 for a in screen.opened.session.answers.values() if a.note == NOTE)
    assert marked == ITEMS, f"only {marked} of {ITEMS} items were marked"
    assert noted == ITEMS // 10, f"{noted} notes"
    again = repo.open(session_id, write=False)  # all of it on disk
    assert sum(1 for a in again.session.answers.values() if a.state is not None) == ITEMS
    again.close()
    return elapsed, marked


async def run_handlers(folder: Path) -> float:
    """The app's own work per item, without Pilot's idle waits: the same marks and notes made by
    calling the screen's actions directly, timed until the autosaver has written them all."""
    _, _, app = new_app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = time.perf_counter()
        for n in range(ITEMS):
            if n % 10 == 9:
                screen.edit_answer(screen.last_item, note=NOTE)
            screen.action_mark("pass")
            await pilot.pause(0)  # let the cursor move land, as the next key would
        screen.saver.wait(30)
        elapsed = time.perf_counter() - start
        assert sum(1 for a in screen.opened.session.answers.values() if a.state is not None) == ITEMS
    return elapsed


async def run_minimal() -> float:
    from textual.app import App
    from textual.widgets import Footer, Header, Input, Tree

    class Minimal(App[None]):
        def compose(self):
            yield Header()
            tree: Tree[None] = Tree("root")
            for n in range(ITEMS):
                tree.root.add_leaf(f"第{n + 1}项")
            yield tree
            yield Input()
            yield Footer()

    app = Minimal()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        app.query_one(Tree).focus()
        start = time.perf_counter()
        for n in range(ITEMS):
            if n % 10 == 9:  # the same keys for the note: focus the input, type, leave
                app.query_one(Input).focus()
                await pilot.press(*NOTE)
                app.query_one(Tree).focus()
                await pilot.press("escape", "escape")
            await pilot.press("down")
        return time.perf_counter() - start


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="inspect-tui-keys-"))
    try:
        ours, minimal, handlers = [], [], []
        for run in range(3):
            minimal.append(asyncio.run(run_minimal()))
            elapsed, _ = asyncio.run(run_inspect(folder / f"pilot{run}"))
            ours.append(elapsed)
            handlers.append(asyncio.run(run_handlers(folder / f"direct{run}")))
        per_item = statistics.median(ours) / ITEMS * 1000
        per_minimal = statistics.median(minimal) / ITEMS * 1000
        per_handler = statistics.median(handlers) / ITEMS * 1000
        print(f"{ITEMS} items, a note every tenth, 3 runs each, python {sys.version.split()[0]}")
        print(f"inspect-tui via Pilot: {', '.join(f'{x:.2f}' for x in ours)} s → median {per_item:.1f} ms per item (durable save included)")
        print(f"bare Textual app via Pilot, same keys: {', '.join(f'{x:.2f}' for x in minimal)} s → median {per_minimal:.1f} ms per item")
        print(f"inspect-tui actions called directly: {', '.join(f'{x:.2f}' for x in handlers)} s → median {per_handler:.1f} ms per item (durable save included)")
        print(f"keys per_item_ms={per_item:.1f} minimal_per_item_ms={per_minimal:.1f} over_minimal_ms={per_item - per_minimal:.1f} direct_per_item_ms={per_handler:.1f}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
