"""The sub-commands. Each takes the parsed arguments and returns an exit code.

They only call the core and print; the rules live in the core so that the app and the CLI can
never disagree about a score.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any, Mapping

from ..core.checklist import catalog
from ..core.exchange import serialize
from ..core.session.answers import load_answers_file
from ..core.checklist.blanks import fill
from ..core.checklist.loader import load_checklist
from ..core.checklist.model import Checklist
from ..core.analysis.score_line import grade_words, score_line, words_open
from ..core.analysis.item_results import Result
from ..core.analysis.scoring import score as score_checklist
from ..core.errors import FileProblems
from ..i18n import STATE_MARKS, lang, say, t
from .common import parse_date, print_json
from ..core.numbers import points_text as num
from .text import table


def checklists(args: argparse.Namespace) -> int:
    """Every checklist file found, saying which user file replaces which bundled one and which
    is not used because a later file has its id (warned on stderr when two user files collide)."""
    listed, warnings = catalog.listing(catalog.scan(args.checklists))
    rows = []
    for item in listed:
        entry = item.entry
        if entry.checklist is None:
            rows.append({"id": None, "path": str(entry.path), "origin": entry.origin,
                         "problems": [str(p) for p in entry.problems]})
        else:
            rows.append({**serialize.checklist_summary(entry.checklist, entry.origin),
                         "in_use": item.used_instead is None,
                         "replaces": str(item.replaces) if item.replaces else None,
                         "used_instead": str(item.used_instead) if item.used_instead else None})
    for warning in warnings:
        print(f"inspect-tui: {t('cli.warning')}: {say(warning)}", file=sys.stderr)
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print(t("cli.no_checklists"))
        return 0
    header = [t("col.id"), t("col.title"), t("col.version"), t("col.items"), t("col.max"), t("col.complete"),
              t("col.path"), t("col.standing")]
    body = []
    for row in rows:
        if row["id"] is None:
            body.append(["!", row["problems"][0], "", "", "", "", row["path"], ""])
            continue
        standing = (t("catalog.replaces", name=Path(row["replaces"]).name) if row["replaces"]
                    else t("catalog.used_instead", path=row["used_instead"]) if row["used_instead"] else "")
        body.append([
            row["id"], row["title"], row["version"], str(row["items"]),
            t("unscored") if row["max"] is None else str(row["max"]),
            t("yes") if row["complete"] else t("no"), row["path"], standing,
        ])
    print(table(header, body))
    return 0


def describe(args: argparse.Namespace) -> int:
    checklist = catalog.find(args.checklist, args.checklists)
    data = serialize.describe(checklist)
    if args.json:
        print_json(data)
        return 0
    print(f"{checklist.title}  ({checklist.id} {checklist.version})")
    if not checklist.complete:
        print(t("score.incomplete_standard", note=checklist.incomplete_note))
    if checklist.facts:
        print(f"\n{t('describe.facts')}:")
        for fact in checklist.facts:
            extra = f" [{' / '.join(fact.choices)}]" if fact.choices else ""
            print(f"  {fact.id}: {fact.label} ({t('type.' + fact.type)}{extra})")
    print(f"\n{t('describe.sections')}:")

    def show(item: dict[str, Any], depth: int) -> None:
        points = f"  {t('describe.points', points=item['points'])}" if item["points"] is not None else ""
        auto = f"  [{t('describe.computed')}]" if item.get("computed") else ""
        text = fill(item["text"], checklist, {})  # no facts here: a placeholder prints as its blank
        print(f"{'  ' * depth}{item['id']}  {text}{points}{auto}")
        for child in item["items"]:
            show(child, depth + 1)

    for section in data["sections"]:
        show(section, 1)
    return 0


def score(args: argparse.Namespace) -> int:
    checklist = catalog.find(args.checklist, args.checklists)
    answers = load_answers_file(args.answers, checklist)
    when = parse_date(args.date) or answers.inspection_date or dt.date.today()
    result = score_checklist(checklist, answers.facts, answers.answers, when)
    if args.json:
        print_json(serialize.result(checklist, result))
    else:
        print_result(checklist, result, answers.facts)
    return 0


def print_result(checklist: Checklist, result: Result, facts: Mapping[str, Any] | None = None) -> None:
    """A score as an inspector reads it: totals, sections, then what failed and why (the
    standard's blanks filled from `facts`, and what the facts showed under each clause)."""
    facts = facts or {}
    print(f"{checklist.title}  ({checklist.id} {checklist.version})")
    if not checklist.complete:
        print(t("score.incomplete_standard", note=checklist.incomplete_note))
    shown = score_line(checklist, result)  # 暂定, and what is still open, until every item is decided
    if result.scored:
        line = [t("score.total", total=num(result.total), max=num(result.max)), t("score.deducted", deducted=num(result.deducted))]
        if result.bonus:
            line.append(t("score.bonus", bonus=num(result.bonus)))
    else:
        line = [t("score.passed", passed=num(result.total), applicable=num(result.max))]
    if shown.provisional:
        line[0] = t("score.provisional") + line[0]
        line.append(words_open(shown, lang()).lstrip(",, "))
    if result.grade:
        line.append(t("score.grade", grade=grade_words(shown, lang())))
    print("  ".join(part for part in line if part))
    print(t("score.counts", **result.counts))
    if result.vetoed:
        print(t("score.vetoed", items=", ".join(result.vetoed)))
    if result.scored:
        rows = [
            [s.id, fill(checklist.item(s.id).text, checklist, facts), num(s.max), num(s.deducted), num(s.score)]
            for s in result.sections
        ]
        print()
        print(table([t("col.id"), t("col.title"), t("col.max"), t("col.lost"), t("col.score")], rows))
    failed = [r for r in result.items.values() if r.state and r.state.value == "fail" and checklist.item(r.id).is_leaf]
    if failed:
        print(f"\n{t('score.failed_items')}:")
        for r in failed:
            item = checklist.item(r.id)
            lost = f"  -{num(r.deducted)}" if result.scored else ""
            print(f"  {STATE_MARKS['fail']} {r.id}  {fill(item.text, checklist, facts)}{lost}")
            for reason in r.reasons:
                label = t("score.override") + ": " if reason.manual else ""
                amount = f"  [{reason.detail}]" if result.scored else ""
                print(f"      {label}{reason.clause}{amount}")
                if reason.finding:
                    print(f"        {t('score.found', finding=reason.finding)}")
            for above in checklist.path_to(r.id)[:-1]:
                if result.items[above.id].capped:
                    above_text = fill(above.text, checklist, facts)
                    print(f"      {t('score.capped_at', item=above_text, points=num(result.items[above.id].max))}")
            if r.capped:
                print(f"      {t('score.capped')}")
    pending = sorted({fact for r in result.items.values() for fact in r.pending})
    if pending:
        labels = [f"{checklist.fact(f).label} ({f})" for f in pending]
        print("\n" + t("score.pending", facts="; ".join(labels)))
    if result.warnings:
        print(f"\n{t('score.warnings')}:")
        for item_id, message in result.warnings:
            print(f"  ! {item_id}: {message}")


def validate(args: argparse.Namespace) -> int:
    bad = count = 0
    for name in args.files:
        try:
            checklist = load_checklist(name)
        except FileProblems as exc:
            bad += 1
            count += len(exc.problems)
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            continue
        print(t("cli.valid", path=name, leaves=checklist.leaf_count))
    if bad:
        print(t("cli.invalid_summary", bad=bad, count=count), file=sys.stderr)
        return 2
    return 0
