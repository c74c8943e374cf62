"""Start-up: process start → home screen ready, with 1,000 sessions stored, against a bare Textual app.

Both apps run the same way in the same run: a fresh `python` process, headless, which exits as
soon as its first screen has been drawn once. The bare app is a Header, a Tree and a Footer. Runs
alternate between the two so that machine noise hits both alike.

Two clocks per run: to the first frame (the child writes the wall-clock time on fd 2 the moment its
first frame has been drawn: what the inspector waits for) and to the process's end (interpreter
start and exit included, which the first frame does not wait for: closing a session, releasing its
lock, the workers joined). The ratio is the first frame's; `process_ratio` the whole run's.

    python bench/startup.py [--runs 9] [--sessions 1000]

Last line: `startup median_s=… minimal_median_s=… ratio=… process_ratio=…` (target ratio ≤ 1.3).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, Tree

class Minimal(App):
    def compose(self):
        yield Header()
        yield Tree("root")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(lambda: (frame(), self.exit()))

Minimal().run(headless=True)
"""
# The moment of the first frame, written straight to fd 2 (the app holds sys.stderr while it runs).
FRAME = """
import os, time

def frame():
    os.write(2, b"FRAME %.6f\\n" % time.time())
"""
MINIMAL = FRAME + MINIMAL

# The real command line (`inspect-tui --sessions DIR`), with two changes made from outside the
# package: run headless, and exit once the home screen has drawn its first frame (the bare app
# exits after its first frame the same way: call_after_refresh from on_mount). The list of 1,000
# sessions is read in a worker thread; the process waits for that thread before it ends, so its
# reading counts too.
def first_frame_then_exit(module: str, screen: str, argv: str) -> str:
    """The code of a process that runs `inspect-tui ARGV` headless and exits once `screen` (a class
    in `module`) has drawn its first frame — patched from outside the package, as both benches do."""
    return FRAME + f"""
import sys
import inspect_tui.app.app as app_module
import {module} as screen_module

App, Screen = app_module.InspectApp, screen_module.{screen}
run, mounted = App.run, Screen.on_mount

def on_mount_then_exit(self):
    mounted(self)
    self.call_after_refresh(lambda: (frame(), self.app.exit()))  # after the screen's first frame, as the bare app's

Screen.on_mount = on_mount_then_exit
App.run = lambda self, **kw: run(self, headless=True)

from inspect_tui.cli.main import main
sys.exit(main({argv}))
"""


INSPECT = first_frame_then_exit("inspect_tui.app.screens.home", "HomeScreen", '["--sessions", sys.argv[1]]')


def fill(folder: Path, count: int) -> None:
    """`count` sessions: one real half-done inspection, copied under fresh ids (index built once)."""
    import json

    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.checklist.model import State
    from inspect_tui.core.session.repository import SessionRepository

    repo = SessionRepository(folder)
    opened = repo.create(catalog.find("jiguan"), "县财政局机关第二党支部", "县财政局机关党委", ["王五"])
    for item in list(opened.checklist.leaves())[:40]:
        if not item.computed:
            opened.set_answer(item.id, "王五", state=State.PASS, note="台账齐全")
    opened.close()
    source = repo.path(opened.session.id)
    data = json.loads(source.read_text(encoding="utf-8"))
    for n in range(count - 1):
        new_id = f"{n:012x}"
        meta = data["meta"]["1"]
        meta["id"] = meta["summary"]["id"] = new_id
        meta["branch"] = meta["summary"]["branch"] = f"第{n}党支部"
        target = repo.path(new_id)
        target.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        os.chmod(target, 0o600)
    repo.list()  # the index, as after any earlier run of the app


# Both apps start from compiled bytecode, as an installed package does (pip compiles at install).
# With PYTHONDONTWRITEBYTECODE set (some shells and CI images set it), every module edited since
# the last compile would be compiled again on every run, which a user never pays; the warm-up runs
# below write the .pyc files.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def once(code: str, *args: str) -> tuple[float, float]:
    """(seconds to the first frame, seconds to the process's end) of one run."""
    wall, start = time.time(), time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, env=ENV)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"run failed:\n{done.stderr[-2000:]}")
    frames = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("FRAME ")]
    if len(frames) != 1:
        raise SystemExit(f"no first-frame mark in the run's output:\n{done.stderr[-2000:]}")
    return float(frames[0]) - wall, elapsed


def report(name: str, label: str, base_label: str, ours: list[tuple[float, float]], base: list[tuple[float, float]],
           ours_name: str = "median_s", base_name: str = "bare_median_s") -> None:
    """The medians, first frame and whole process, and the last line with both ratios."""
    med = statistics.median
    o_frame, b_frame = med(r[0] for r in ours), med(r[0] for r in base)
    o_proc, b_proc = med(r[1] for r in ours), med(r[1] for r in base)
    print(f"{label} first frame: median {o_frame:.3f} s (min {min(r[0] for r in ours):.3f}); whole process {o_proc:.3f} s")
    print(f"{base_label} first frame: median {b_frame:.3f} s (min {min(r[0] for r in base):.3f}); whole process {b_proc:.3f} s")
    print(f"{name} {ours_name}={o_frame:.3f} {base_name}={b_frame:.3f} ratio={o_frame / b_frame:.2f} process_ratio={o_proc / b_proc:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--sessions", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="inspect-tui-startup-"))
    try:
        fill(folder, args.sessions)
        once(MINIMAL)  # warm the file cache for both, and write their bytecode
        once(INSPECT, str(folder))
        ours, minimal = [], []
        for _ in range(args.runs):
            minimal.append(once(MINIMAL))
            ours.append(once(INSPECT, str(folder)))
        print(f"sessions stored: {args.sessions}, runs: {args.runs} each, python {sys.version.split()[0]}")
        report("startup", "inspect-tui home,", "bare Textual app,", ours, minimal, base_name="minimal_median_s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
