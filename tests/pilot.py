"""Waiting in Pilot tests on the app's state, never on the wall clock (issue 13, point 6).

Every wait here is a loop over *turns* of the app — `pilot.pause()`, which lets the screen and
its children handle every message queued so far and lets the event loop run until the process
is idle — bounded by a number of turns, not of seconds. Work of the app's own (a worker
computing, a frame being drawn) makes each turn longer, so the bound stretches with the work
instead of a fixed number of seconds running out under load. When the bound is reached
the helper raises naming what was still pending (workers, queued messages, an undrawn frame, the
condition the test waited for), so a hang reads as a cause, not as "timed out".

`settled` awaits running workers (their tasks complete: state, not time). `until` does not: a
test may hold a worker at a gate and wait for the screen meanwhile; while a worker computes, each
turn lasts until the process is idle again, so the bound on turns stretches with the work.

The one deadline is where the wait is on another thread doing disk I/O: `saved` / `answered`
block (in a helper thread, so the app keeps running) on the autosaver's own condition variable,
which its thread signals when a write is done; the deadline only guards a saver that never
writes. Tests that drive another *process* (tests/ptyapp.py, tests/test_crash*.py,
tests/test_serve.py) wait on that process's output with deadlines, which is right for them.
"""

from __future__ import annotations

import asyncio
import inspect
from typing import Any, Callable

from textual.pilot import Pilot
from textual.worker import WorkerFailed, WorkerState

TURNS = 1000  # a generous bound: the slowest flow here (450 sessions listed) needs a few dozen
SAVER_DEADLINE = 60.0  # seconds for the saver thread's fsync: only a saver that never writes meets it


class NotSettled(AssertionError):
    """The app did not reach the state waited for within the bound on turns."""


def _running_workers(app: Any) -> list[Any]:
    return [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]


def pending(app: Any) -> list[str]:
    """What the app still has to do: running workers, queued messages, a frame not drawn."""
    left = [f"worker {w.name or w.group!r} ({w.state.name.lower()})" for w in _running_workers(app)]
    screen = app.screen
    for node in [app, *screen.walk_children(with_self=True)]:
        if node.message_queue_size:
            left.append(f"{node.message_queue_size} message(s) queued for {node!r}")
    if (screen._layout_required or screen._scroll_required or screen._repaint_required
            or screen._recompose_required or screen._dirty_widgets):
        left.append(f"a frame of {screen!r} not drawn")
    return left


async def _await_workers(app: Any) -> None:
    """Let every started worker finish (awaits their tasks; a failure is the app's to report)."""
    started = [w for w in _running_workers(app) if w.state == WorkerState.RUNNING]
    if started:
        try:
            await app.workers.wait_for_complete(started)
        except WorkerFailed:
            pass  # the app handles (and the test sees) a failed worker; waiting is done


async def settled(pilot: Pilot[Any], turns: int = TURNS) -> None:
    """The app and screen queues drained, every worker complete, the last frame drawn."""
    app = pilot.app
    for _ in range(turns):
        await _await_workers(app)
        await pilot.pause()
        if not (left := pending(app)):
            return
    raise NotSettled(f"the app did not settle in {turns} turns; still pending: {'; '.join(left)}")


async def until(pilot: Pilot[Any], condition: Callable[[], object], what: str = "", turns: int = TURNS) -> None:
    """Let the app run, turn by turn, until `condition()` holds; `what` names it if it never does."""
    app = pilot.app
    for _ in range(turns):
        if condition():
            return
        await pilot.pause()
    if condition():
        return
    left = pending(app)
    raise NotSettled(f"after {turns} turns, still not: {what or _source(condition)}"
                     + (f" (pending: {'; '.join(left)})" if left else " (the app is idle)"))


def _source(condition: Callable[[], object]) -> str:
    """The condition's line of source, to name what never came true."""
    try:
        return inspect.getsource(condition).strip()
    except (OSError, TypeError):
        return repr(condition)


def notes(app: Any) -> list[str]:
    """Every notification the app is showing, title and message."""
    return [f"{n.title or ''} {n.message}" for n in app._notifications]


async def notified(pilot: Pilot[Any], text: str, turns: int = TURNS) -> str:
    """Until a notification containing `text` is shown; returns it."""
    await until(pilot, lambda: any(text in n for n in notes(pilot.app)), f"a notification saying {text!r}", turns)
    return next(n for n in notes(pilot.app) if text in n)


def _shown_state(screen: Any) -> str:
    """The save state the status bar shows once the saver's last answer has been handled."""
    saver = screen.saver
    return "unsaved" if saver.error is not None else "saved" if saver.saved else "saving"


async def answered(pilot: Pilot[Any], screen: Any) -> int:
    """Every key and message handled, then the saver has tried every change handed to it (saved
    or refused) and the screen shows its answer. A read-only or trial screen has no saver: settled."""
    from inspect_tui.app.widgets.status_bar import StatusBar

    await settled(pilot)  # keys still queued would hand over changes after we look
    saver = screen.saver
    if saver is None:
        return 0
    seq = saver.submitted
    if not await asyncio.to_thread(saver.wait, SAVER_DEADLINE):
        raise NotSettled(f"the autosaver did not write change {seq} (acknowledged {saver.acknowledged})")
    status = screen.query_one(StatusBar)
    await until(pilot, lambda: status.saved_state == _shown_state(screen),
                f"the status bar showing the saver's answer to change {seq}")
    await settled(pilot)
    return seq


async def saved(pilot: Pilot[Any], screen: Any) -> None:
    """`answered`, and the autosaver's acknowledged sequence has reached the latest change."""
    seq = await answered(pilot, screen)
    saver = screen.saver
    if saver is not None and saver.acknowledged < seq:
        raise NotSettled(f"change {seq} was refused, not saved "
                         f"(acknowledged {saver.acknowledged}: {saver.error})")
