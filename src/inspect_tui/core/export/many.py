"""Summaries of many stored sessions, built in another process while this one writes the file.

Exporting a campaign — a thousand sessions into one workbook — spends about a fifth of its time
opening and scoring the sessions and the rest inside openpyxl. Both are pure Python, so threads
would only take turns; a worker process builds the summaries while the main process writes, and
the two overlap. The worker is *spawned*, not forked: that is safe beside threads (the app's
workers) and behaves the same on Windows and macOS. A few sessions are not worth a process and
are built right here.

The worker only reads: sessions are opened read-only, as `inspect-tui show` does. A session file
that does not load is quarantined by the repository as always and its SessionError comes back
here, raised when that session's turn comes.
"""

from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Iterator, Sequence

from ..session.repository import SessionRepository
from .model import Summary, build_summary

PARALLEL_FROM = 60  # fewer sessions than this: the worker's start-up costs more than it saves
CHUNK = 25  # sessions per task: few round trips, and the first results come soon
AHEAD = 4  # tasks in flight at once, so that finished summaries do not pile up in memory


def summaries(folder: str | os.PathLike[str], ids: Sequence[str], parallel: bool | None = None,
              selfcheck: bool = False) -> Iterator[Summary]:
    """The summary of each session in `ids` (whole ids), in order; with `selfcheck`, each with the
    self-assessment attached to it, if any (SelfCheckError, when its turn comes, if one is damaged)."""
    if parallel is None:
        parallel = len(ids) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1
    if not parallel:
        for start in range(0, len(ids), CHUNK):
            yield from _chunk(str(folder), list(ids[start : start + CHUNK]), selfcheck)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(ids[i : i + CHUNK]) for i in range(0, len(ids), CHUNK)]
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    except (OSError, NotImplementedError):  # no process support here (a locked-down sandbox)
        yield from summaries(folder, ids, parallel=False, selfcheck=selfcheck)
        return
    with pool:
        pending: deque = deque()
        queued = 0
        while queued < len(chunks) or pending:
            while queued < len(chunks) and len(pending) < AHEAD:
                pending.append(pool.submit(_chunk, str(folder), chunks[queued], selfcheck))
                queued += 1
            yield from pending.popleft().result()


def _chunk(folder: str, ids: list[str], selfcheck: bool = False) -> list[Summary]:
    """Open, score and summarise some sessions (in the worker, or here)."""
    from ..session import selfcheck_file as selfchecks

    repo = SessionRepository(Path(folder))
    out = []
    for session_id in ids:
        opened = repo.open(session_id, write=False)
        try:
            own = selfchecks.load(repo, opened.session) if selfcheck else None
            out.append(build_summary(opened.session, selfcheck=own))
        finally:
            opened.close()
    return out
