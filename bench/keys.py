"""Keys: mark 200 items of a 200-item checklist one key each, with a note on every tenth, via Pilot.

The checklist is generated (10 sections × 20 items, Chinese text, fixed and per-instance rules).
Each item gets one `y` (符合 moves on to the next item); every tenth also gets `e`, a short Chinese
note typed key by key, and Esc: 320 keys in all. The clock stops once the autosaver reports every
change written (the durable save is included).

How the keys are pressed. `Pilot.press` sleeps at least 2 × 20 ms after every key whatever the
app does (it waits for the process to look idle), so through it no app can go below ~40 ms per
key. The main figure therefore sends each key exactly as `Pilot.press` does (a `Key` event
through the app's driver) and then waits for what the key really costs: every message queue of
the app and the screen drained and the frame drawn (`pilot.pause(0)`, repeated until nothing is
pending). A key is "done" when the inspector would see its result.

    python bench/keys.py            # the main figure, the bare-app baseline, and the direct calls
    python bench/keys.py --press    # also one run through Pilot.press itself (slow: ~1 minute)

Baselines run in the same bench with the same driver: a bare Textual app (a Header, a Tree of
the same 210 lines, an Input, a Footer; one `down` per item, the same note keys), and the screen's actions
called directly with no keys at all (the app's own work per item, durable save included). Each
run, of each kind, is a fresh interpreter (`--one KIND FOLDER` is that child): in one process,
every run was slower than the one before it.

Last line: `keys per_item_ms=… minimal_per_item_ms=… direct_per_item_ms=… ratio=… direct_ratio=… collapsed_ratio=…
[press_per_item_ms=…]`, `ratio` = per_item / minimal (the figure: issue 11 asks ≤ 2.5× the bare app
driven the same way in the same run), `direct_ratio` = direct / minimal, `collapsed_ratio` =
per_item / the old baseline (below), kept for comparison with figures measured before.

The bare app's tree has the inspection tree's shape (10 expanded groups of 20 items, the root
hidden), so that its `down` moves the cursor and scrolls as our `y` does. Before 2026-12-02 it was
a `Tree("root")` with 200 leaves under a root that a Tree starts collapsed: `down` moved nothing,
and the baseline timed an app drawing one line (5.7 ms per item then, ~19 ms with the tree open).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import shutil
import statistics
import subprocess
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


async def press(pilot, *keys: str) -> None:
    """Press each key as Pilot.press does, then wait until the app has handled it and drawn it."""
    from textual import events

    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
        for _ in range(100):
            await pilot.pause(0)  # the screen's queues drained, then the frame drawn
            if all(node._message_queue.empty() for node in (app, *app.screen.walk_children(with_self=True))):
                break


async def pilot_press(pilot, *keys: str) -> None:
    await pilot.press(*keys)


def new_app(folder: Path):
    """A fresh session of the 200-item checklist in `folder`, and the app opened on it."""
    from inspect_tui.app.app import InspectApp
    from inspect_tui.core.checklist.loader import load_checklist
    from inspect_tui.core.session.repository import SessionRepository

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bench200.yaml"
    path.write_text(checklist_yaml(), encoding="utf-8")
    repo = SessionRepository(folder / "sessions")
    opened = repo.create(load_checklist(path), "基准测试支部", inspectors=["张三"], date=dt.date(2026, 11, 27))
    opened.close()
    return repo, opened.session.id, InspectApp(repo=repo, session_id=opened.session.id, inspector="张三")


async def run_inspect(folder: Path, press=press) -> float:
    repo, session_id, app = new_app(folder)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = app.screen
        start = time.perf_counter()
        for n in range(ITEMS):
            if n % 10 == 9:
                await press(pilot, "e", *NOTE, "escape")
            await press(pilot, "y")
        screen.saver.wait(30)
        elapsed = time.perf_counter() - start
        marked = sum(1 for a in screen.opened.session.answers.values() if a.state is not None)
        noted = sum(1 for a in screen.opened.session.answers.values() if a.note == NOTE)
    assert marked == ITEMS, f"only {marked} of {ITEMS} items were marked"
    assert noted == ITEMS // 10, f"{noted} notes"
    again = repo.open(session_id, write=False)  # all of it on disk
    assert sum(1 for a in again.session.answers.values() if a.state is not None) == ITEMS
    again.close()
    return elapsed


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


async def run_minimal(collapsed: bool = False) -> float:
    from textual.app import App
    from textual.widgets import Footer, Header, Input, Tree

    class Minimal(App[None]):
        def compose(self):
            yield Header()
            # The same shape as the inspection's tree: 10 expanded groups of 20 leaves, the root
            # hidden. (A bare `Tree("root")` starts collapsed: `down` would move nothing at all.)
            tree: Tree[None] = Tree("root")
            if collapsed:  # the baseline as it was until 2026-12-02 (see the docstring)
                for n in range(ITEMS):
                    tree.root.add_leaf(f"第{n + 1}项")
            else:
                tree.show_root = False
                for s in range(ITEMS // 20):
                    section = tree.root.add(f"第{s + 1}大项", expand=True)
                    for i in range(20):
                        section.add_leaf(f"第{s + 1}大项第{i + 1}小项:有相应制度并落实")
                tree.root.expand()
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
                await press(pilot, *NOTE)
                app.query_one(Tree).focus()
                await press(pilot, "escape", "escape")
            await press(pilot, "down")
        return time.perf_counter() - start


RUNS = {
    "inspect": lambda folder: run_inspect(folder),
    "minimal": lambda folder: run_minimal(),
    "collapsed": lambda folder: run_minimal(collapsed=True),
    "direct": lambda folder: run_handlers(folder),
    "press": lambda folder: run_inspect(folder, press=pilot_press),
}


def one(kind: str, folder: Path) -> None:
    """One run in this process (a child of main): print its seconds."""
    print(asyncio.run(RUNS[kind](folder)))


def spawn(kind: str, folder: Path) -> float:
    """Each run in a fresh interpreter, as the app runs: nothing left over from another run (its
    caches, its garbage) weighs on the next. Bytecode may be written, as in an installed copy."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run([sys.executable, __file__, "--one", kind, str(folder)], capture_output=True, text=True,
                          timeout=600, env=env)
    if done.returncode != 0:
        raise SystemExit(f"{kind} run failed:\n{done.stderr[-3000:]}")
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if sys.argv[1:2] == ["--one"]:
        one(sys.argv[2], Path(sys.argv[3]))
        return
    with_press = "--press" in sys.argv[1:]
    folder = Path(tempfile.mkdtemp(prefix="inspect-tui-keys-"))
    try:
        ours, minimal, handlers, collapsed = [], [], [], []
        for run in range(3):  # alternating, so that machine noise hits all of them alike
            minimal.append(spawn("minimal", folder / f"minimal{run}"))
            ours.append(spawn("inspect", folder / f"keys{run}"))
            handlers.append(spawn("direct", folder / f"direct{run}"))
            collapsed.append(spawn("collapsed", folder / f"collapsed{run}"))
        per_item = statistics.median(ours) / ITEMS * 1000
        per_minimal = statistics.median(minimal) / ITEMS * 1000
        per_handler = statistics.median(handlers) / ITEMS * 1000
        per_collapsed = statistics.median(collapsed) / ITEMS * 1000
        print(f"{ITEMS} items, a note every tenth ({ITEMS + ITEMS // 10 * (len(NOTE) + 2)} keys), 3 runs each in fresh processes, python {sys.version.split()[0]}")
        print(f"inspect-tui, each key handled and drawn: {', '.join(f'{x:.2f}' for x in ours)} s → median {per_item:.1f} ms per item (durable save included)")
        print(f"bare Textual app, same keys, same driver: {', '.join(f'{x:.2f}' for x in minimal)} s → median {per_minimal:.1f} ms per item")
        print(f"the old baseline (its tree collapsed, `down` moving nothing): {', '.join(f'{x:.2f}' for x in collapsed)} s → median {per_collapsed:.1f} ms per item")
        print(f"inspect-tui actions called directly: {', '.join(f'{x:.2f}' for x in handlers)} s → median {per_handler:.1f} ms per item (durable save included)")
        last = (f"keys per_item_ms={per_item:.1f} minimal_per_item_ms={per_minimal:.1f} direct_per_item_ms={per_handler:.1f}"
                f" ratio={per_item / per_minimal:.2f} direct_ratio={per_handler / per_minimal:.2f}"
                f" collapsed_ratio={per_item / per_collapsed:.2f}")
        if with_press:
            pressed = spawn("press", folder / "press")
            per_press = pressed / ITEMS * 1000
            print(f"inspect-tui through Pilot.press (its idle sleeps included): {pressed:.2f} s → {per_press:.1f} ms per item")
            last += f" press_per_item_ms={per_press:.1f}"
        print(last)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
