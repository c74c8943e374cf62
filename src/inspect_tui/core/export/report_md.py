"""Roll-ups and comparisons as Markdown: readable in a terminal (the default of `inspect-tui report`)
and on a Git forge. Text from sessions and checklists is escaped so that a branch name with `|` or
`*` cannot break a table or turn into markup."""

from __future__ import annotations

from ..analysis.compare import NOT_APPLICABLE, UNCHANGED_PASS, Comparison
from ..analysis.rollup import ChecklistRollup, Rollup
from ..text import shown_all
from .report_common import (
    CATEGORY_LABELS, CHANGE_NOTE, METHOD, SHOWN, UNFINISHED_TITLE, change_header, change_rows, changed_text,
    delta_line, item_header, item_row, listed, named, num, ranking_header, ranking_rows, unfinished_header,
    unfinished_rows, pct, provisional_note, rank_basis, scope, section_header, section_rows, side_line, signed,
)


MARKUP = ("\\", "`", "*", "_", "[", "]", "<", ">", "#", "|")


def _escape(text: str) -> str:
    for char in MARKUP:  # the backslash first, so the escapes added are not escaped again
        text = text.replace(char, "\\" + char)
    return text.replace("\r", "")


class Code(str):
    """An item id, shown as a code span: ids match [A-Za-z0-9][A-Za-z0-9_.-]*, so no backtick can end it."""


def _cell(text: str) -> str:
    """Text safe inside a table cell: no pipe or line break can end the cell or the row, no markup."""
    if isinstance(text, Code):
        return f"`{text}`"
    return _escape(text).replace("\n", "<br>")


def _line(text: str) -> str:
    """Text safe as a paragraph: characters that would start markup are escaped."""
    return _escape(text).replace("\n", " ")


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
    if group.provisional:
        lines += [provisional_note(group), ""]
    if group.ranking:
        lines += _table(ranking_header(group), ranking_rows(group), {0, 4})
    else:
        lines += ["(没有已完成的检查可以排名)", ""]
    if group.unfinished:
        lines += [f"### {UNFINISHED_TITLE}", ""]
        lines += _table(unfinished_header(group), unfinished_rows(group))

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
        header = ["检查项", "编号", "大项", "不符合支部数", "占比"] + (["平均扣分"] if group.scored else []) + ["支部"]
        rows = []
        for f in group.failed_items:
            share = f"{f.count * 100 / group.branches:.0f}%" if group.branches else "—"
            rows.append([f.text, Code(f.id), f.section, str(f.count), share]
                        + ([num(f.avg_lost)] if group.scored else []) + [listed(f.branches)])
        lines += _table(header, rows, {3, 4, 5} if group.scored else {3, 4})

    lines += ["### 各支部历次检查", ""]
    repeated = [t for t in group.trends if len(t.points) > 1]
    if not repeated:
        lines += ["所选范围内各支部均只有一次检查。", ""]
    else:
        rows = []
        for trend in repeated:
            history = " → ".join(
                f"{p.date} {num(p.total) if group.rank_by == 'total' else pct(p.percent)}{'' if p.final else '(暂定)'}" for p in trend.points
            )
            change = signed(trend.change) + ("" if group.rank_by == "total" else " 个百分点")
            rows.append([named(trend.branch, trend.unit), str(len(trend.points)), history, change])
        lines += _table(["支部", "检查次数", "历次" + ("得分" if group.rank_by == "total" else "得分率"), "变化"], rows, {1})
    return lines


# -- comparison -------------------------------------------------------------------------------------

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
        table = [[Code(row[0]), *row[1:]] for row in (item_row(r, scored) for r in rows)]
        lines += _table(item_header(scored), table, {4, 5} if scored else set())
    if c.changes:
        lines += ["## 得分变化明细", "", CHANGE_NOTE, ""]
        both = c.old.scored and c.new.scored
        lines += _table(change_header(both), change_rows(c), {3, 4, 5} if both else {3})
    changed = c.changed_items
    if changed:
        lines += [f"## 新版内容有变化的检查项({len(changed)} 项)", ""]
        rows = [[Code(r.id), r.text, changed_text(r.changed), r.old_text or "—"] for r in changed]
        lines += _table(["编号", "检查项(新版)", "变化", "原文"], rows)
    lines += ["## 各大项得分变化", ""]
    lines += _table(section_header(scored), section_rows(c, scored), {1, 2, 3})
    return "\n".join(lines)


def render_rollup(rollup: Rollup) -> bytes:
    return rollup_markdown(shown_all(rollup)).encode("utf-8")  # the one escape (core/text.py)


def render_comparison(comparison: Comparison) -> bytes:
    return comparison_markdown(shown_all(comparison)).encode("utf-8")
