"""The summary as Markdown: readable in a terminal and on a Git forge."""

from __future__ import annotations


from ..numbers import points_text
from .common import (
    FACTS_TITLE, FOUND, SELF_TITLE, STATUS, Block, cell_text, cn_date, facts_block, report_back_line, score_line,
    self_diff_block, self_lines, self_scores_block,
)
from .model import Summary



def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell: no pipes or line breaks breaking the row."""
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def _escaped(text: str) -> str:
    """`text` with every character that would start markup escaped."""
    out = text
    for char in ("\\", "`", "*", "_", "[", "]", "<", ">", "#", "|"):
        out = out.replace(char, "\\" + char)
    return out


def _line(text: str) -> str:
    """Text safe as a Markdown paragraph: characters that would start markup are escaped."""
    return _escaped(text).replace("\n", "  \n")


def _inert_cell(text: str) -> str:
    """Typed text safe in a table cell: no markup (a note's <script> stays text), no broken row."""
    return _escaped(text).replace("\r", "").replace("\n", "<br>")


def render_summary(summary: Summary) -> str:
    h = summary.header
    lines = [f"# {_line(h.checklist_title)} 检查汇总", ""]
    lines += [
        f"- 被检查单位: {_line(h.branch)}" + (f"({_line(h.unit)})" if h.unit else ""),
        f"- 检查表: {h.checklist_id} {_line(h.checklist_version)}",
        f"- 检查日期: {h.date}" + (f" · 地点: {_line(h.place)}" if h.place else ""),
        f"- 检查人员: {_line('、'.join(h.inspectors)) or '—'}",
        f"- 状态: {STATUS.get(h.status, h.status)}",
    ]
    if not h.checklist_complete:
        lines.append(f"- 注意: 检查表原文不完整 — {_line(h.checklist_note)}")
    lines.append("")
    lines.append(f"**{_line(score_line(summary))}**")  # the same sentence as every other format
    c = summary.counts
    lines += ["", f"符合 {c['pass']} · 不符合 {c['fail']} · 不适用 {c['na']} · 未检查 {c['unanswered']}", ""]
    lines += _facts(summary)
    if summary.scored:
        lines += ["## 各大项得分", "", "| 大项 | 满分 | 扣分 | 得分 |", "|---|---:|---:|---:|"]
        for s in summary.sections:
            lines.append(f"| {_cell(s.title)} | {points_text(s.max)} | {points_text(s.deducted)} | {points_text(s.score)} |")
        lines.append("")
    lines += ["## 不符合项", ""]
    if not summary.failed:
        lines += ["无", ""]
    for row in summary.failed:
        where = " › ".join(row.path)
        lost = f"(扣 {points_text(row.deducted)} 分)" if summary.scored else ""
        lines.append(f"### {_line(row.text)}{lost}")
        lines.append("")
        if where:
            lines.append(f"所属: {_line(where)}" + ("  " if row.guidance else ""))  # a line break before 评价内容
        if row.guidance:
            lines.append(f"评价内容: {_line(row.guidance)}")
        for reason in row.reasons:
            label = "手动扣分: " if reason.manual else ""
            amount = f" [{reason.detail}]" if summary.scored else ""
            lines.append(f"- {label}{_line(reason.clause)}{amount}")
            if row.auto and reason.finding and not reason.manual:
                lines.append(f"  - {FOUND}{_line(reason.finding)}")  # nested under its clause
        shown = {reason.finding for reason in row.reasons}
        lines += [f"- {FOUND}{_line(finding)}" for finding in row.findings if finding not in shown]
        if row.note:
            lines.append(f"- 备注: {_line(row.note)}")
        if row.evidence:
            lines.append(f"- 证据: {_line('; '.join(row.evidence))}")
        lines.append("")
    for title, rows in (("不适用项", summary.not_applicable), ("未检查项", summary.unanswered)):
        lines += [f"## {title}", ""]
        lines += [f"- {_line(row.text)}" for row in rows] or ["无"]
        lines.append("")
    if summary.warnings:
        lines += ["## 提醒", ""]
        lines += [f"- {_line(message)}" for _, message in summary.warnings]
        lines.append("")
    lines += _selfcheck(summary)
    return "\n".join(lines)


def _selfcheck(summary: Summary) -> list[str]:
    """自查与检查对照: both scores side by side, then the items where they differ."""
    sc = summary.selfcheck
    if sc is None:
        return []
    lines = [f"## {SELF_TITLE}", "", *(f"{_line(text)}  " for text in self_lines(sc)), ""]
    lines += [*_table(self_scores_block(sc, summary.scored)), "", "### 不一致的检查项", ""]
    lines += _table(self_diff_block(sc, summary.scored)) if sc.differences else ["无"]
    return lines + [""]


def _facts(summary: Summary) -> list[str]:
    """基本情况 as entered, a blank one 未填."""
    if not summary.facts:
        return []
    return [f"## {FACTS_TITLE}", "", *_table(facts_block(summary)), ""]


def _table(block: Block) -> list[str]:
    header, numeric, rows = block
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    return lines + ["| " + " | ".join(_inert_cell(cell_text(v)) for v in row) + " |" for row in rows]


def render_rectification(summary: Summary) -> str:
    h = summary.header
    lines = [f"# 整改通知书: {_line(h.branch)}", "",
             f"根据 {h.date} 对照《{_line(h.checklist_title)}》的检查,以下事项需要整改:", ""]
    lines += _facts(summary)
    if summary.rectification:
        lines += ["## 整改事项", ""]
    if not summary.rectification:
        lines += ["本次检查没有需要整改的事项。", ""]
    for number, row in enumerate(summary.rectification, 1):
        lines += [
            f"{number}. **{_line(row.text)}**",
            f"   - 发现问题: {_line(row.found) or '—'}",
            f"   - 标准要求: {_line(row.requirement)}",
            f"   - 整改期限: {_line(row.deadline) or '________'}",
            "",
        ]
    n = summary.notice
    lines += [_line(report_back_line(summary)), "",
              f"下发单位: {_line(n.issuer) or '____________'}    {cn_date(n.date)}", ""]
    lines += ["检查人员(签名): ____________    日期: ____________", ""]
    return "\n".join(lines)


def render(summary: Summary, what: str = "summary") -> bytes:
    text = render_rectification(summary) if what == "rectification" else render_summary(summary)
    return text.encode("utf-8")
