"""Roll-ups and comparisons as Markdown: readable in a terminal (the default of `inspect-tui report`)
and on a Git forge. Text from sessions and checklists is escaped so that a branch name with `|` or
`*` cannot break a table or turn into markup."""

from __future__ import annotations

from ..compare import ADDED, FIXED, NEWLY_FAILING, NOT_APPLICABLE, NOT_CHECKED, REMOVED, STILL_FAILING, UNCHANGED_PASS, Comparison, ItemChange
from ..rollup import ChecklistRollup, Rollup
from .report_common import (
    CATEGORY_LABELS, METHOD, STATUS, changed_text, delta_line, listed, named, num, pct, rank_basis, rate_label,
    scope, score_label, score_text, side_line, signed, state,
)


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipe or line break can end the cell or the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _line(text: str) -> str:
    """Text safe as a paragraph: characters that would start markup are escaped."""
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "#", "|"):
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "").replace("\n", " ")


def _table(header: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset()) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" if i in numeric else "---" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out + [""]


# -- roll-up ----------------------------------------------------------------------------------------

def rollup_markdown(rollup: Rollup) -> str:
    lines = ["# 检查汇总报告", "", f"- 范围: {_line(scope(rollup))}", f"- 检查记录: {rollup.sessions} 份",
             f"- {METHOD}", ""]
    for problem in rollup.problems:
        lines.append(f"- 未能读取: {_line(problem)}")
    if rollup.problems:
        lines.append("")
    if not rollup.groups:
        lines += ["没有符合条件的检查记录。", ""]
    for group in rollup.groups:
        lines += _group(group)
    return "\n".join(lines)


def _group(group: ChecklistRollup) -> list[str]:
    versions = "、".join(group.versions)
    lines = [f"## {_line(group.title)}({group.checklist_id} {_line(versions)})", "",
             f"支部 {group.branches} 个 · 检查 {group.inspections} 次", "", "### 支部排名", "", rank_basis(group), ""]
    header = ["名次", "支部", "所属单位", score_label(group.scored), rate_label(group.scored)]
    header += ["等次"] if group.graded else []
    header += ["检查日期", "状态", "检查进度"]
    rows = []
    for r in group.ranking:
        row = [str(r.rank), r.branch, r.unit, score_text(r), pct(r.percent)]
        row += [r.grade or "—"] if group.graded else []
        row += [r.date, STATUS.get(r.status, r.status), f"{r.answered}/{r.leaves}"]
        rows.append(row)
    lines += _table(header, rows, {0, 4})

    lines += ["### 各大项平均扣分" if group.scored else "### 各大项平均不符合项数", ""]
    header = ["大项", "满分", "平均扣分", "平均不符合项数", "支部数"] if group.scored else ["大项", "平均不符合项数", "支部数"]
    rows = []
    for s in group.sections:
        body = [num(s.max), num(s.avg_lost)] if group.scored else []
        rows.append([s.title, *body, num(s.avg_failed), str(s.branches)])
    lines += _table(header, rows, set(range(1, len(header))))

    lines += ["### 不符合次数最多的检查项", ""]
    if not group.failed_items:
        lines += ["无", ""]
    else:
        header = ["检查项", "大项", "不符合支部数", "占比"] + (["平均扣分"] if group.scored else []) + ["支部"]
        rows = []
        for f in group.failed_items:
            share = f"{f.count * 100 / group.branches:.0f}%" if group.branches else "—"
            rows.append([f"{f.text}({f.id})", f.section, str(f.count), share]
                        + ([num(f.avg_lost)] if group.scored else []) + [listed(f.branches)])
        lines += _table(header, rows, {2, 3, 4} if group.scored else {2, 3})

    lines += ["### 各支部历次检查", ""]
    repeated = [t for t in group.trends if len(t.points) > 1]
    if not repeated:
        lines += ["所选范围内各支部均只有一次检查。", ""]
    else:
        rows = []
        for trend in repeated:
            history = " → ".join(
                f"{p.date} {num(p.total) if group.rank_by == 'total' else pct(p.percent)}" for p in trend.points
            )
            change = signed(trend.change) + ("" if group.rank_by == "total" else " 个百分点")
            rows.append([named(trend.branch, trend.unit), str(len(trend.points)), history, change])
        lines += _table(["支部", "检查次数", "历次" + ("得分" if group.rank_by == "total" else "得分率"), "变化"], rows, {1})
    return lines


# -- comparison -------------------------------------------------------------------------------------

SHOWN = (FIXED, STILL_FAILING, NEWLY_FAILING, NOT_CHECKED, REMOVED, ADDED)


def comparison_markdown(c: Comparison) -> str:
    lines = [f"# 复查对比: {_line(named(c.new.branch, c.new.unit))}", "",
             f"- 原检查: {_line(side_line(c.old))}", f"- 本次检查: {_line(side_line(c.new))}",
             f"- {delta_line(c)}"]
    lines += [f"- 注意: {_line(note)}" for note in c.notes]
    counts = c.counts
    lines += ["", " · ".join(f"{CATEGORY_LABELS[k]} {counts[k]} 项" for k in (*SHOWN, UNCHANGED_PASS, NOT_APPLICABLE)), ""]
    scored = c.old.scored or c.new.scored
    for category in SHOWN:
        rows = c.of(category)
        if not rows:
            continue
        lines += [f"## {CATEGORY_LABELS[category]}({len(rows)} 项)", ""]
        lines += _table(_item_header(scored), [_item_row(r, scored) for r in rows], {4, 5} if scored else set())
    changed = c.changed_items
    if changed:
        lines += [f"## 新版内容有变化的检查项({len(changed)} 项)", ""]
        rows = [[r.id, r.text, changed_text(r.changed), r.old_text or "—"] for r in changed]
        lines += _table(["编号", "检查项(新版)", "变化", "原文"], rows)
    lines += ["## 各大项得分变化", ""]
    rows = []
    for s in c.sections:
        old = "—" if s.old is None else (f"{num(s.old.score)} / {num(s.old.max)}" if scored else f"不符合 {s.old.counts['fail']} 项")
        new = "—" if s.new is None else (f"{num(s.new.score)} / {num(s.new.max)}" if scored else f"不符合 {s.new.counts['fail']} 项")
        rows.append([s.title, old, new, signed(s.delta) if scored else "—"])
    lines += _table(["大项", "原得分" if scored else "原结果", "现得分" if scored else "现结果", "变化"], rows, {3})
    return "\n".join(lines)


def _item_header(scored: bool) -> list[str]:
    return ["编号", "检查项", "大项", "原结果 → 现结果"] + (["原扣分", "现扣分"] if scored else []) + ["备注"]


def _item_row(r: ItemChange, scored: bool) -> list[str]:
    states = f"{state(r.old_state, r.category != ADDED)} → {state(r.new_state, r.category != REMOVED)}"
    remarks = []
    if r.changed:
        remarks.append(f"新版{changed_text(r.changed)}有变化")
    if r.same_text_as:
        remarks.append(f"与 {r.same_text_as} 内容相同(可能是改了编号)")
    if r.old_note:
        remarks.append(f"原: {r.old_note}")
    if r.new_note:
        remarks.append(f"现: {r.new_note}")
    return [r.id, r.text, r.section, states] + ([num(r.old_deducted), num(r.new_deducted)] if scored else []) + ["; ".join(remarks)]


def render_rollup(rollup: Rollup) -> bytes:
    return rollup_markdown(rollup).encode("utf-8")


def render_comparison(comparison: Comparison) -> bytes:
    return comparison_markdown(comparison).encode("utf-8")
