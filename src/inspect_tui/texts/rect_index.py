"""Overdue at a glance (issue 14): the roll-up's 整改率 per unit and the home screen's
rectification counts and overdue filter."""

from __future__ import annotations

RECT_INDEX: dict[str, tuple[str, str]] = {
    # the roll-up reports (core/export/report_*)
    "doc.rep.rect_title": ("各单位整改情况", "Rectifications by unit"),
    "doc.rep.rect_note": ("统计口径: 所选范围内每次检查的整改事项;整改率 = 已销号 ÷ 全部整改事项;逾期 = 截至 {today} "
                          "已过整改期限仍未销号(期限内已报整改、待核查的不计)。",
                          "How it is counted: the rectifications of every inspection in the selection; rectified "
                          "rate = closed ÷ all rectifications; overdue = past the deadline on {today} and not closed "
                          "(one reported by the deadline and awaiting verification is not)."),
    "doc.rep.rect_none": ("所选范围内没有整改事项。", "No rectifications in the selection."),
    "doc.rep.rect_no_unit": ("(未填单位)", "(no unit)"),
    "doc.rep.col.rect_inspections": ("检查次数", "Inspections"),
    "doc.rep.col.rect_total": ("整改事项", "Rectifications"),
    "doc.rep.col.rect_closed": ("已销号", "Closed"),
    "doc.rep.col.rect_rate": ("整改率", "Rectified"),
    "doc.rep.col.rect_open": ("未销号", "Open"),
    "doc.rep.col.rect_overdue": ("逾期", "Overdue"),
    "doc.rep.rect_rate": ("{percent}({closed}/{total})", "{percent} ({closed}/{total})"),
    "doc.rep.sheet.rect": ("整改情况", "Rectifications"),
    "doc.rep.info.rect_today": ("逾期计算日", "Overdue counted on"),
    # the home screen (app/widgets/sessions_table.py, app/screens/home.py), the palette
    "home.col.rect": ("整改", "Rect."),
    "home.rect.cell": ("{open}·{overdue}逾期", "{open}·{overdue} late"),
    "home.detail.rect": ("整改 {open} 项未销号", "{open} rectifications open"),
    "home.detail.rect_overdue": ("整改 {open} 项未销号,{overdue} 项逾期", "{open} rectifications open, {overdue} overdue"),
    "home.rect.filter_word": ("逾期", "overdue"),
    "home.key.overdue": ("逾期", "Overdue"),
    "cmd.filter_overdue": ("只看有逾期整改的检查记录", "Show only sessions with overdue rectifications"),
}
