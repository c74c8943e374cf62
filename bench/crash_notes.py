"""Type a note into the real app and kill -9 it at random moments; print what was lost.

Each run starts `inspect-tui --sessions DIR open ID` in a pseudo-terminal (tests/ptyapp.py),
waits for ✓ 已保存, presses `e`, waits until the footer shows the note editor's keys, and types a
Chinese note one character at a time, 30-80 ms apart (random). It sends SIGKILL at a random
moment: half the runs while typing, half 0-400 ms after the last key (the window in which the
old 0.3 s debounce lost notes). Every byte the app draws is fed to a terminal emulator (pyte);
each time the screen changes, the time, the status bar's save state and the note editor's text
are recorded. After the kill the session is read back with the core (not the app) and checked:

- lost_after_100ms: runs in which a character that was on screen ≥ 100 ms before the kill is
  missing from the saved note (also counted by the time the key was sent: `lost_sent_100ms`);
- false_saved: runs in which the screen showed ✓ 已保存 together with note text that is not in
  the saved note;
- max_lag_ms (and the median, p99): from a key being sent to the pty to its character being in
  the session, as a watcher thread polling the file and its journal (every ~2 ms; read as the core
  reads them, `read_state`: a line being written counts once whole) first saw it; a saved
  character the watcher had not seen yet when the
  kill came counts as its time to the kill (an upper bound);
- oldest_lost_ms: the oldest lost character's age at the kill (since it was drawn, or sent if it
  never was);
- garbled: runs whose saved note is not a prefix of what was typed.

    pip install pyte    # (in the test extra)
    python bench/crash_notes.py [--kills 50] [--seed N]

The last line reads `crash kills=50 lost_after_100ms=0 false_saved=0 max_lag_ms=…`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import pyte  # noqa: E402

from ptyapp import PtyApp  # noqa: E402

from inspect_tui.core.checklist import catalog  # noqa: E402
from inspect_tui.core.session.repository import SessionRepository  # noqa: E402
from inspect_tui.store import StorageError  # noqa: E402
from inspect_tui.store.journal import journal_path, read_state  # noqa: E402



def shown(screen) -> list[str]:
    """The terminal's lines as pyte draws them. pyte 0.8's `display` can raise IndexError when a
    wide character's empty second cell is rendered (its `render` indexes `char[0]`) in the instant
    a line is being redrawn; the cells are read directly then, an empty cell as nothing."""
    try:
        return screen.display
    except IndexError:
        return ["".join(screen.buffer[y][x].data for x in range(screen.columns)) for y in range(screen.lines)]

def journal_key(path: Path) -> tuple[int, ...]:
    """The length of the journal's lines: every save adds one (the file is zero-filled ahead of
    them, so its size does not change)."""
    try:
        raw = journal_path(path).read_bytes()
    except OSError:
        return ()
    return (len(raw.split(b"\0", 1)[0]),)

ITEM = "org.basic.grid_split"
COLS, ROWS = 120, 36
WORDS = "网格划分与楼栋不对应消防通道畅通灭火器在有效期内党员活动室台账齐全会议记录缺少签到表"


def note_text(display: list[str]) -> str | None:
    """The note editor's first line as drawn (None when the editor is not on screen)."""
    for row, line in enumerate(display[:-1]):
        if "▊▔" in line:
            inner = display[row + 1].split("▊", 1)[-1].rsplit("▎", 1)[0]
            return inner.strip()
    return None


def save_state(display: list[str]) -> str:
    status = display[-2]
    for word, state in (("已保存", "saved"), ("保存中", "saving"), ("未保存", "unsaved")):
        if word in status:
            return state
    return "?"


class Recorder:
    """Each change of (save state, note text) on screen, with the time it was drawn."""

    def __init__(self, screen: pyte.Screen) -> None:
        self.screen = screen
        self.states: list[tuple[float, str, str | None]] = []

    def __call__(self, now: float) -> None:
        display = shown(self.screen)
        state = (save_state(display), note_text(display))
        if not self.states or self.states[-1][1:] != state:
            self.states.append((now, *state))


class DiskWatcher(threading.Thread):
    """Polls the session file; records when each new version of the note first appears."""

    def __init__(self, path: Path) -> None:
        super().__init__(daemon=True)
        self.path = path
        self.seen: list[tuple[float, str]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        last = None
        while not self.stop.is_set():
            try:
                st = os.stat(self.path)
                key = (st.st_ino, st.st_mtime_ns, st.st_size, *journal_key(self.path))
                if key != last:
                    now = time.monotonic()
                    data = read_state(self.path) or {}  # the file and its journal, as the core reads them
                    last = key
                    note = next((doc.get("note", "") for doc in data.get("answers", {}).values()
                                 if doc.get("item") == ITEM), "")
                    if not self.seen or self.seen[-1][1] != note:
                        self.seen.append((now, note))
            except (OSError, ValueError, StorageError):
                pass  # between unlink and rename on some systems; try again
            time.sleep(0.002)


def one_run(folder: Path, sid: str, rng: random.Random) -> dict:
    repo = SessionRepository(folder)
    with repo.open(sid) as opened:  # takes over the lock the last kill left behind
        opened.set_answer(ITEM, "bench", note=None)
    length = rng.randint(8, 28)
    start = rng.randrange(len(WORDS) - length)
    planned = WORDS[start:start + length]
    gaps = [rng.uniform(0.030, 0.080) for _ in planned]
    during = rng.random() < 0.5
    screen = pyte.Screen(COLS, ROWS)
    recorder = Recorder(screen)
    watcher = DiskWatcher(repo.path(sid))
    watcher.start()
    app = PtyApp(["--sessions", str(folder), "open", sid], cols=COLS, rows=ROWS, screen=screen, on_draw=recorder)
    try:
        if not app.wait_for(lambda: save_state(shown(screen)) == "saved", timeout=60):
            raise RuntimeError("the app did not start:\n" + "\n".join(shown(screen)))
        app.send("e")
        if not app.wait_for(lambda: "符合" not in shown(screen)[-1], timeout=30):
            raise RuntimeError("the note editor did not open:\n" + "\n".join(shown(screen)))
        began = time.monotonic()
        schedule = [began + sum(gaps[:i]) for i in range(len(planned))]
        typing_ends = schedule[-1]
        kill_at = rng.uniform(began, typing_ends) if during else typing_ends + rng.uniform(0.0, 0.4)
        sent: list[float] = []
        for char, when in zip(planned, schedule):
            if when > kill_at:
                break
            time.sleep(max(0.0, when - time.monotonic()))
            sent.append(app.send(char))
        time.sleep(max(0.0, kill_at - time.monotonic()))
        app.signal(signal.SIGKILL)
        killed = time.monotonic()
        app.wait(30)
    finally:
        app.close()
        watcher.stop.set()
        watcher.join(5)
    with app.lock:
        states = list(recorder.states)
    with SessionRepository(folder).open(sid, write=False) as reread:
        answer = reread.session.answers.get(ITEM)
        saved = answer.note if answer else ""
    typed = planned[:len(sent)]
    drawn = [min((t for t, _, text in states if text and len(text) > i and text.startswith(typed[:i + 1])),
                 default=None) for i in range(len(typed))]
    lost = range(len(saved), len(typed)) if typed.startswith(saved) else range(len(typed))
    ages = [killed - (drawn[i] if drawn[i] is not None else sent[i]) for i in lost]
    lags = []
    for i in range(len(typed)):
        if i in lost:
            continue
        on_disk = min((t for t, note in watcher.seen if len(note) > i and note.startswith(typed[:i + 1])), default=killed)
        lags.append(min(on_disk, killed) - sent[i])
    return {
        "lags": lags,
        "typed": len(typed),
        "saved": len(saved),
        "garbled": not typed.startswith(saved),
        "lost_after_100ms": any(drawn[i] is not None and killed - drawn[i] >= 0.1 for i in lost),
        "lost_sent_100ms": any(killed - sent[i] >= 0.1 for i in lost),
        "false_saved": any(t < killed and state == "saved" and text and not saved.startswith(text)
                           for t, state, text in states),
        "oldest_lost": max(ages, default=0.0),
        "during": during,
        "since_last_key": killed - sent[-1] if sent else None,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    print(f"seed {seed}; {args.kills} kills; the real app in a {COLS}x{ROWS} pty", flush=True)
    with tempfile.TemporaryDirectory(prefix="crash-notes-") as tmp:
        folder = Path(tmp) / "sessions"
        repo = SessionRepository(folder)
        with repo.create(catalog.find("shequ"), "幸福社区第一网格党支部", "幸福社区", ["张三"], dt.date(2026, 6, 1)) as opened:
            opened.set_position(ITEM)
            sid = opened.session.id
        runs = []
        for n in range(args.kills):
            run = one_run(folder, sid, rng)
            runs.append(run)
            last = "-" if run["since_last_key"] is None else f"{run['since_last_key'] * 1000:.0f}ms"
            print(f"kill {n + 1:2d}: {'typing' if run['during'] else 'after '} typed {run['typed']:2d} saved "
                  f"{run['saved']:2d}, last key {last} before the kill, key to disk ≤ {max(run['lags'], default=0) * 1000:.0f} ms, "
                  f"oldest lost {run['oldest_lost'] * 1000:.0f} ms"
                  + ("  LOST≥100ms" if run["lost_after_100ms"] else "") + ("  FALSE ✓" if run["false_saved"] else "")
                  + ("  GARBLED" if run["garbled"] else ""), flush=True)
        leftovers = [p.name for p in folder.iterdir() if ".tmp-" in p.name]
    lags = sorted(lag for r in runs for lag in r["lags"])
    typed = sum(r["typed"] for r in runs)
    lost = sum(r["typed"] - r["saved"] for r in runs)
    print(f"characters typed {typed}, lost {lost} in all; "
          f"temp files left {len(leftovers)}")
    if lags:
        print(f"key sent → character in the session file, {len(lags)} characters: median "
              f"{lags[len(lags) // 2] * 1000:.1f} ms, p99 {lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000:.1f} ms, "
              f"max {lags[-1] * 1000:.1f} ms")
    print(f"crash kills={len(runs)} lost_after_100ms={sum(r['lost_after_100ms'] for r in runs)} "
          f"lost_sent_100ms={sum(r['lost_sent_100ms'] for r in runs)} "
          f"false_saved={sum(r['false_saved'] for r in runs)} garbled={sum(r['garbled'] for r in runs)} "
          f"max_lag_ms={max(lags, default=0) * 1000:.0f} oldest_lost_ms={max(r['oldest_lost'] for r in runs) * 1000:.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
