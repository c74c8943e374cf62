"""Roll-ups and comparisons as Excel workbooks, for an office that sorts, filters and pastes on.

- One table per sheet, its header in row 1 and frozen, an auto-filter over it; every sheet of a
  roll-up carries the checklist id, so several standards in one workbook stay apart when filtered.
- Numbers are numbers (4 stays an int, 71.43 a float with a number format), never text.
- Text is text: openpyxl would store "=…" as a formula, so such a cell is forced to a string — a
  branch name typed as "=HYPERLINK(…)" is shown, never evaluated. Characters XML cannot hold are
  dropped (`common.clean`).
- openpyxl is imported inside the functions, so nobody who does not export a workbook pays for it.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any, Sequence

from ..analysis.compare import Comparison
from ..analysis.rollup import Rollup
from ..text import shown_all
from .common import clean, number, width
from .xlsx import PORTRAIT_WIDTH, page_setup
from .report_common import CATEGORY_LABELS, CHANGE_NOTE, METHOD, change_label, grade_text, score_text, STATES, STATUS, changed_text, named, provisional_note, scope

Cell = Any


def _percent(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 2)


class _Book:
    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill

        self.book = Workbook()
        self.book.remove(self.book.active)
        self.bold = Font(bold=True)
        self.fill = PatternFill("solid", fgColor="E8ECF2")
        self.wrap = Alignment(vertical="top", wrap_text=True)

    def sheet(self, title: str, header: Sequence[str], rows: list[list[Cell]], formats: dict[int, str] | None = None) -> Any:
        from openpyxl.utils import get_column_letter

        ws = self.book.create_sheet(title)
        widths = [width(h) + 2 for h in header]
        for col, text in enumerate(header, 1):
            cell = ws.cell(row=1, column=col, value=text)
            cell.font, cell.fill = self.bold, self.fill
        for r, row in enumerate(rows, 2):
            for col, value in enumerate(row, 1):
                if isinstance(value, str):
                    value = clean(value)
                cell = ws.cell(row=r, column=col, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # "=…" from a session is text, not a formula
                    cell.alignment = self.wrap
                    widths[col - 1] = max(widths[col - 1], min(60, max(width(line) for line in value.split("\n")) + 2))
                elif formats and col - 1 in formats and value is not None:
                    cell.number_format = formats[col - 1]
        for col, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(col)].width = w
        ws.freeze_panes = "A2"
        if rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        page_setup(ws, sum(widths) > PORTRAIT_WIDTH, title)  # A4, one page wide, as the exports
        return ws

    def info(self, title: str, lines: list[tuple[str, str]]) -> None:
        ws = self.book.create_sheet(title)
        for r, (key, value) in enumerate(lines, 1):
            ws.cell(row=r, column=1, value=key).font = self.bold
            cell = ws.cell(row=r, column=2, value=clean(value))
            cell.data_type = "s"
        ws.column_dimensions["A"].width = 12
        ws.column_dimensions["B"].width = 100
        page_setup(ws, False, title)
        ws.print_title_rows = None  # no header row to repeat: key, value lines

    def save(self) -> bytes:
        out = io.BytesIO()
        self.book.save(out)
        return out.getvalue()


# -- roll-up ----------------------------------------------------------------------------------------

UNFINISHED = "未完成"
RANKING = ("检查表", "名次", "支部", "所属单位", "得分", "满分", "得分率(%)", "等次", "检查日期", "状态",
           "已检查项", "检查项总数", "检查次数", "检查记录编号", "得分说明")
FAILED = ("检查表", "编号", "检查项", "大项", "不符合支部数", "占支部比例(%)", "平均扣分", "支部")
SECTIONS = ("检查表", "编号", "大项", "满分", "平均扣分", "平均不符合项数", "支部数")
TRENDS = ("检查表", "支部", "所属单位", "检查日期", "得分", "满分", "得分率(%)", "等次", "状态", "检查记录编号")


def rollup_xlsx(rollup: Rollup) -> bytes:
    """排名 (ranking), 不符合项 (items failed most often), 各大项 (per section), 历次检查 (every
    inspection of every branch, by date), and 说明 (what was selected and how it was counted)."""
    book = _Book()
    ranking, failed, sections, trends = [], [], [], []
    for g in rollup.groups:
        # the unfinished after the ranked, 名次 "未完成": their scores are 暂定 (得分说明 says how much is open)
        for r in (*g.ranking, *g.unfinished):
            ranking.append([g.checklist_id, r.rank or UNFINISHED, r.branch, r.unit, number(r.total), number(r.max),
                            _percent(r.percent), grade_text(r) if r.grade else "", r.date, STATUS.get(r.status, r.status),
                            r.answered, r.leaves, r.inspections, r.session_id, score_text(r)])
        for f in g.failed_items:
            share = round(f.count * 100 / g.branches, 2) if g.branches else None
            failed.append([g.checklist_id, f.id, f.text, f.section, f.count, share, number(f.avg_lost), "、".join(f.branches)])
        for s in g.sections:
            sections.append([g.checklist_id, s.id, s.title, number(s.max), number(s.avg_lost), number(s.avg_failed), s.branches])
        for t in g.trends:
            for p in t.points:
                trends.append([g.checklist_id, t.branch, t.unit, p.date, number(p.total), number(p.max), _percent(p.percent),
                               p.grade, STATUS.get(p.status, p.status), p.session_id])
    book.sheet("排名", RANKING, ranking, {6: "0.00"})
    book.sheet("不符合项", FAILED, failed, {5: "0.00", 6: "0.##"})
    book.sheet("各大项", SECTIONS, sections, {4: "0.##", 5: "0.##"})
    book.sheet("历次检查", TRENDS, trends, {6: "0.00"})
    info = [("报告", "检查汇总报告"), ("范围", scope(rollup)), ("检查记录", f"{rollup.sessions} 份"), ("统计口径", METHOD)]
    info += [(f"{g.checklist_id}", f"{g.title}(版本 {'、'.join(g.versions)});"
              + ("计分" if g.scored else "不计分,得分为符合项数、满分为适用项数") + f";排名依据 {'得分' if g.rank_by == 'total' else '得分率'}")
             for g in rollup.groups]
    info += [(g.checklist_id, provisional_note(g)) for g in rollup.groups if g.provisional]
    info += [("未能读取", p) for p in rollup.problems]
    book.info("说明", info)
    return book.save()


# -- comparison -------------------------------------------------------------------------------------

ITEMS = ("编号", "检查项", "大项", "对比结果", "原结果", "现结果", "原扣分", "现扣分", "新版变化", "原文", "同文检查项",
         "原备注", "现备注")
SCORE_CHANGES = ("编号", "检查项", "原结果", "现结果", "原扣分", "现扣分", "得分变化")
SECTION_CHANGES = ("编号", "大项", "原满分", "原扣分", "原得分", "现满分", "现扣分", "现得分", "得分变化")


def comparison_xlsx(c: Comparison) -> bytes:
    """对比 (every leaf item with its category), 各大项 (section scores, old and new), 说明."""
    book = _Book()
    rows = [[r.id, r.text, r.section, CATEGORY_LABELS[r.category],
             STATES[r.old_state] if r.category != "added" else "", STATES[r.new_state] if r.category != "removed" else "",
             number(r.old_deducted), number(r.new_deducted), changed_text(r.changed), r.old_text, r.same_text_as,
             r.old_note, r.new_note] for r in c.items]
    book.sheet("对比", ITEMS, rows)
    rows = []
    for s in c.sections:
        old = [number(s.old.max), number(s.old.deducted), number(s.old.score)] if s.old else [None, None, None]
        new = [number(s.new.max), number(s.new.deducted), number(s.new.score)] if s.new else [None, None, None]
        rows.append([s.id, s.title, *old, *new, number(s.delta)])
    book.sheet("各大项", SECTION_CHANGES, rows)
    rows = [[line.id, change_label(line), STATES[line.old_state] if line.in_old else "",
             STATES[line.new_state] if line.in_new else "", number(line.old_deducted), number(line.new_deducted),
             number(line.points)] for line in c.changes]
    book.sheet("得分变化明细", SCORE_CHANGES, rows)
    info = [("支部", named(c.new.branch, c.new.unit)),
            ("原检查", f"{c.old.date} {c.old.id} {c.old.checklist_id} {c.old.checklist_version}"),
            ("本次检查", f"{c.new.date} {c.new.id} {c.new.checklist_id} {c.new.checklist_version}")]
    info += [("注意", note) for note in c.notes]
    info.append(("得分变化明细", CHANGE_NOTE))
    book.info("说明", info)
    return book.save()


def render_rollup(rollup: Rollup) -> bytes:
    return rollup_xlsx(shown_all(rollup))  # the one escape (core/text.py)


def render_comparison(comparison: Comparison) -> bytes:
    return comparison_xlsx(shown_all(comparison))
