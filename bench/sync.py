"""Sync benchmark: `inspect-tui sync` against a CI-style local PostgreSQL (issue 15).

    PYTHONPATH=src python bench/sync.py [--sessions 1000] [--report 10000]

A throwaway cluster (tests/pg_cluster.py: initdb + pg_ctl on 127.0.0.1, fsync off as in CI) unless
$INSPECT_TUI_TEST_PG names a running one; a fresh database in it, `server init`, one unit, two
inspectors of it (two laptops) and a reader.

One realistic session of the bundled `jiguan` standard is made through the repository API — 60
answered items, notes in Chinese (some a few hundred characters), the facts of FACTS the standard
has, exactly 10 failed hand-marked items each giving a rectification (checked with the core's
`derive`; an item whose verdict comes from elsewhere is passed instead), each with a responsible
person entered; the counts are printed — then copied under fresh ids and branch
names into laptop A's folder (creating 1,000 through the API would take minutes; as in
bench/autosave.py the copies are the same bytes a session file has).

Timed, in process (the sync's own function, as `inspect-tui sync` calls it):
  push_s    laptop A's first sync: every session pushed (events + the server's rows, fold.py);
  pull_s    laptop B's first sync, an empty folder: every session pulled and added;
  noop_s    laptop A's next sync: nothing new either way;
  report_s  the server-side roll-up (report --server's function) as the reader, over --report
            sessions: the pushed sessions' server rows replicated under new ids in SQL by the
            inspector (so RLS and the triggers apply as to pushed rows) up to that count.
Baseline, same run, same server: one plain `INSERT … SELECT generate_series` of as many rows as the
push wrote (sessions + answers + facts + rectifications + sections) into an unlogged table, and
the ratio push_s / baseline.

Last line: `sync sessions=1000 push_s=… pull_s=… noop_s=… report_10000_s=… baseline_s=… push_vs_baseline=…`
(targets: push and pull ≤ 10 s each, noop ≤ 0.5 s, report ≤ 3 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests/pg_cluster.py

UNIT = "市农业农村局"
FACTS = {"full_members": "36", "probationary_members": "2", "branch_committee_members": "5"}
RECTIFICATIONS = 10  # the issue: "each with 60 answers, notes, 10 rectifications"
NOTES = ["已查阅原件,符合要求。", "记录本有两次会议缺少参会人员签名,已当场指出。",
         "查阅本年度党支部工作计划及半年工作总结:计划由支部委员会研究制定并经党员大会通过,"
         "但总结中对问题的分析较为笼统,未列出具体整改措施和完成时限,建议在下半年工作中补充完善。" * 2]


def template(folder: Path) -> Path:
    import random

    from inspect_tui.core.checklist import catalog
    from inspect_tui.core.session import rectification as rect
    from inspect_tui.core.session.repository import SessionRepository

    rng = random.Random(15)
    checklist = catalog.find("jiguan")
    manual = [item for item in checklist.leaves() if not item.computed]
    repo = SessionRepository(folder)
    opened = repo.create(checklist, "机关第一党支部", UNIT, ["张三", "李四"], dt.date(2026, 11, 27), place="局机关三楼")
    with opened:
        for fact, value in FACTS.items():
            try:
                opened.set_fact(fact, value, "张三")
            except Exception:  # a fact this standard does not have: the bench needs only some
                pass
        answered, failed = rng.sample(manual, 60), 0
        for k, item in enumerate(answered):
            note = NOTES[k % len(NOTES)]
            if failed < RECTIFICATIONS and gives_one(opened.session, item.id, note):
                opened.set_answer(item.id, "张三", state="fail", note=note)  # a failed item's finding
                failed += 1
                continue
            state = "na" if item.na_allowed and k % 7 == 0 else "pass"
            opened.set_answer(item.id, "张三", state=state, note=note if k % 4 == 0 else "")
        rects = rect.derive(opened.session)
        assert len(rects) == RECTIFICATIONS, len(rects)
        for r in rects:
            opened.set_rectification(r.item, "张三", rect.Request(person="王五", deadline="+30"))
        path = repo.path(opened.session.id)
    print(f"template: {len(opened.session.answers)} answers, {len(opened.session.facts)} facts, "
          f"{len(rect.derive(opened.session))} rectifications")
    return path


def gives_one(session, item_id: str, note: str) -> bool:
    """Whether failing this hand-marked item gives a rectification (the core's `derive`, on a copy):
    an item whose verdict comes from elsewhere (a rule, its parent) does not."""
    import dataclasses

    from inspect_tui.core.session import rectification as rect
    from inspect_tui.core.checklist.model import State
    from inspect_tui.core.session.answers import Answer

    answers = {**session.answers, item_id: Answer(state=State.FAIL, note=note)}
    trial = dataclasses.replace(session, answers=answers)
    return any(r.item == item_id for r in rect.derive(trial))


def copies(source: Path, folder: Path, n: int) -> None:
    from inspect_tui.store.durable import encode
    from inspect_tui.store.journal import read_state

    folder.mkdir(mode=0o700)
    data = read_state(source)
    meta = data["meta"]["1"]
    for k in range(n):
        sid = secrets.token_hex(6)
        meta["id"] = sid
        meta["branch"] = f"机关第{k + 1}党支部"
        if isinstance(meta.get("summary"), dict):
            meta["summary"]["id"], meta["summary"]["branch"] = sid, meta["branch"]
        path = folder / f"{sid}.json"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(encode(data).encode("utf-8"))
    os.sync()


def setup(admin_dsn: str) -> tuple[str, dict[str, str]]:
    import psycopg
    from psycopg import sql

    from inspect_tui.core.exchange.central import admin

    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin_dsn, autocommit=True) as su:
        su.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    dsn = f"{admin_dsn} dbname={name}"
    password = secrets.token_urlsafe(12)
    dsns = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        admin.init(conn, "db")
        admin.set_unit(conn, "db", UNIT, None)
        for who, kind in (("a", "inspector"), ("b", "inspector"), ("reader", "reader")):
            role = f"bench_{who}_{secrets.token_hex(3)}"
            admin.grant(conn, "db", role, UNIT, kind, "")
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(role), sql.Literal(password)))
            dsns[who] = f"{dsn} user={role} password={password}"
    return dsn, dsns


def replicate(dsn: str, target: int) -> None:
    """The pushed sessions' server rows copied under new ids, by the inspector (RLS applies), up to
    `target` sessions: what the server holds after that many pushes, without timing them."""
    import psycopg

    S = "inspect_tui"
    with psycopg.connect(dsn) as conn:
        have = conn.execute(f"SELECT count(*) FROM {S}.sessions").fetchone()[0]
        rounds = max(0, -(-(target - have) // have))
        cols = {t: [r[0] for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
            " ORDER BY ordinal_position", (S, t))] for t in ("sessions", "answers", "facts", "rectifications",
                                                             "session_sections")}
        conn.execute(f"CREATE TEMP TABLE base AS SELECT id FROM {S}.sessions")
        for k in range(1, rounds + 1):
            conn.execute(f"CREATE TEMP TABLE pick_{k} AS SELECT id FROM base ORDER BY id LIMIT %s",
                         (min(have, target - have * k),))
            for table, columns in cols.items():
                key = "id" if table == "sessions" else "session_id"
                listed = ", ".join(columns)
                chosen = ", ".join(f"{c} || '-r{k}'" if c == key else
                                   (f"branch || '-r{k}'" if c == "branch" else c) for c in columns)
                conn.execute(f"INSERT INTO {S}.{table} ({listed}) SELECT {chosen} FROM {S}.{table}"
                             f" WHERE {key} IN (SELECT id FROM pick_{k})")
        conn.commit()
        print(f"server: {conn.execute(f'SELECT count(*) FROM {S}.sessions').fetchone()[0]} sessions for the report")


def baseline(dsn: str, rows: int) -> float:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("CREATE UNLOGGED TABLE IF NOT EXISTS plain (id bigint, session text, item text, note text)")
        started = time.perf_counter()
        conn.execute("INSERT INTO plain SELECT g, md5(g::text), 'item.' || (g %% 60), repeat('记', 20)"
                     " FROM generate_series(1, %s) g", (rows,))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=1000)
    parser.add_argument("--report", type=int, default=10000)
    args = parser.parse_args()
    import psycopg

    from inspect_tui.core.exchange.central import sync
    from inspect_tui.core.exchange.central.report import server_rollup
    from inspect_tui.core.session.repository import SessionRepository

    cluster = None
    admin_dsn = os.environ.get("INSPECT_TUI_TEST_PG")
    if not admin_dsn:
        from tests import pg_cluster

        cluster = tempfile.mkdtemp(prefix="inspect-tui-bench-pg-")
        env = pg_cluster.start(cluster)
        os.environ.update(env)
        admin_dsn = env["INSPECT_TUI_TEST_PG"]
    root = Path(tempfile.mkdtemp(prefix="inspect-tui-bench-sync-"))
    os.environ["INSPECT_TUI_CONFIG"] = str(root / "config")  # the bench's devices, not the user's
    try:
        dsn, dsns = setup(admin_dsn)
        source = template(root / "template")
        copies(source, root / "a", args.sessions)
        a, b = SessionRepository(root / "a"), SessionRepository(root / "b")

        started = time.perf_counter()
        pushed = sync.sync(a, dsns["a"], device="dev-bench-laptop-a")
        push_s = time.perf_counter() - started
        assert sum(o.kind == "pushed" for o in pushed.pushed) == args.sessions, [o.reason for o in pushed.pushed][:3]

        started = time.perf_counter()
        pulled = sync.sync(b, dsns["b"], device="dev-bench-laptop-b")
        pull_s = time.perf_counter() - started
        assert sum(o.kind == "added" for o in pulled.pulled) == args.sessions, [o.reason for o in pulled.pulled][:3]

        started = time.perf_counter()
        again = sync.sync(a, dsns["a"], device="dev-bench-laptop-a")
        noop_s = time.perf_counter() - started
        assert again.pushed == [] and again.pulled == [], (len(again.pushed), len(again.pulled))

        with psycopg.connect(dsn) as conn:
            written = sum(conn.execute(f"SELECT count(*) FROM inspect_tui.{t}").fetchone()[0]
                          for t in ("sessions", "answers", "facts", "rectifications", "session_sections", "events"))
        base_s = baseline(dsn, written)
        print(f"push wrote {written} rows; plain INSERT … SELECT generate_series of {written} rows: {base_s:.3f} s")

        replicate(dsns["a"], args.report)
        with psycopg.connect(dsns["reader"], autocommit=True) as conn:
            times = []
            for _ in range(3):
                started = time.perf_counter()
                result = server_rollup(conn)
                times.append(time.perf_counter() - started)
        report_s = sorted(times)[1]
        group = result.groups[0]
        print(f"report: {result.sessions} sessions, {group.branches} branches, {len(group.failed_items)} failed items;"
              f" runs {', '.join(f'{t:.3f}' for t in times)} s")
        print(f"sync sessions={args.sessions} push_s={push_s:.2f} pull_s={pull_s:.2f} noop_s={noop_s:.3f} "
              f"report_{args.report}_s={report_s:.2f} baseline_s={base_s:.3f} push_vs_baseline={push_s / base_s:.1f}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
        if cluster:
            from tests import pg_cluster

            pg_cluster.stop(cluster)


if __name__ == "__main__":
    main()
