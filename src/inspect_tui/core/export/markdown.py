"""The summary as Markdown: readable in a terminal and on a Git forge."""

from __future__ import annotations


from ...texts import Words, words
from ..numbers import points_text
from .common import (
    ZH, Block, cell_text, found_words, facts_block, report_back_line, score_line, self_diff_block, self_lines, self_scores_block, status_word,
)
from .model import Summary
from .signature import amended_line, date_line, review_lines, signed_lines


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


def render_summary(summary: Summary, w: Words = ZH) -> str:
    h = summary.header
    lines = [w("doc.md.title", title=_line(h.checklist_title)), "", *_amended(summary, w)]
    lines += [
        w("doc.md.branch", branch=_line(h.branch)) + (w("doc.md.unit", unit=_line(h.unit)) if h.unit else ""),
        w("doc.md.checklist", id=h.checklist_id, version=_line(h.checklist_version)),
        w("doc.md.date", date=h.date) + (w("doc.md.place", place=_line(h.place)) if h.place else ""),
        w("doc.md.inspectors", names=_line(w.join(h.inspectors)) or "—"),
        w("doc.md.status", status=status_word(h.status, w)),
    ]
    if not summary.checklist_complete:
        lines.append(w("doc.md.incomplete", note=_line(summary.checklist_note)))
    lines.append("")
    lines.append(f"**{_line(score_line(summary, w))}**")  # the same sentence as every other format
    c = summary.scores.counts
    lines += ["", w("doc.md.counts", passed=c["pass"], failed=c["fail"], na=c["na"], unanswered=c["unanswered"]), ""]
    lines += _facts(summary, w)
    if summary.scores.scored:
        lines += [w("doc.md.sections"), "", w("doc.md.sections_header"), "|---|---:|---:|---:|"]
        for s in summary.sections:
            lines.append(f"| {_cell(s.title)} | {points_text(s.max)} | {points_text(s.deducted)} | {points_text(s.score)} |")
        lines.append("")
    lines += [w("doc.md.failed"), ""]
    if not summary.failed:
        lines += [w("doc.none"), ""]
    for row in summary.failed:
        where = " › ".join(row.path)
        lost = w("doc.md.lost", points=points_text(row.deducted)) if summary.scores.scored else ""
        lines.append(f"### {_line(row.text)}{lost}")
        lines.append("")
        if where:
            lines.append(w("doc.md.within", where=_line(where)) + ("  " if row.guidance else ""))  # a line break before 评价内容
        if row.guidance:
            lines.append(w("doc.md.guidance", guidance=_line(row.guidance)))
        for reason in row.reasons:
            label = w("doc.manual_prefix") if reason.manual else ""
            amount = f" [{reason.detail}]" if summary.scores.scored else ""
            lines.append(f"- {label}{_line(reason.clause)}{amount}")
            if row.auto and reason.finding and not reason.manual:
                lines.append(f"  - {w('doc.found_prefix')}{_line(reason.finding)}")  # nested under its clause
        shown = {reason.finding for reason in row.reasons}
        lines += [f"- {w('doc.found_prefix')}{_line(finding)}" for finding in row.findings if finding not in shown]
        if row.note:
            lines.append(w("doc.md.note", note=_line(row.note)))
        if row.evidence:
            lines.append(f"- {w('doc.evidence_prefix')}{_line('; '.join(row.evidence))}")
        lines.append("")
    for title, rows in ((w("doc.na_items"), summary.not_applicable), (w("doc.unanswered_items"), summary.unanswered)):
        lines += [f"## {title}", ""]
        lines += [f"- {_line(row.text)}" for row in rows] or [w("doc.none")]
        lines.append("")
    if summary.warnings:
        lines += [f"## {w('doc.warnings')}", ""]
        lines += [f"- {_line(message)}" for _, message in summary.warnings]
        lines.append("")
    lines += _selfcheck(summary, w)
    if summary.signoff.signed:  # the sheet as filed: who signed (a sheet in progress has no block)
        lines += [f"## {w('doc.signoff.heading')}", "", *_signature(summary, w("doc.signoff.head"), w)]
    return "\n".join(lines)


def _selfcheck(summary: Summary, w: Words) -> list[str]:
    """自查与检查对照: both scores side by side, then the items where they differ."""
    sc = summary.selfcheck
    if sc is None:
        return []
    lines = [f"## {w('doc.self.title')}", "", *(f"{_line(text)}  " for text in self_lines(sc, w)), ""]
    lines += [*_table(self_scores_block(sc, summary.scores.scored, w)), "", f"### {w('doc.self.differences')}", ""]
    lines += _table(self_diff_block(sc, summary.scores.scored, w)) if sc.differences else [w("doc.none")]
    return lines + [""]


def _facts(summary: Summary, w: Words) -> list[str]:
    """基本情况 as entered, a blank one 未填."""
    if not summary.facts:
        return []
    return [f"## {w('doc.facts.title')}", "", *_table(facts_block(summary, w)), ""]


def _table(block: Block) -> list[str]:
    header, numeric, rows = block
    lines = ["| " + " | ".join(_cell(h) for h in header) + " |",
             "|" + "|".join("---:" if n else "---" for n in numeric) + "|"]
    return lines + ["| " + " | ".join(_inert_cell(cell_text(v)) for v in row) + " |" for row in rows]


def render_rectification(summary: Summary, w: Words = ZH) -> str:
    h = summary.header
    lines = [w("doc.md.notice_title", branch=_line(h.branch)), "", *_amended(summary, w),
             w("doc.md.notice_intro", date=h.date, title=_line(h.checklist_title)), ""]
    lines += _facts(summary, w)
    if summary.rectification:
        lines += [f"## {w('doc.notice.items')}", ""]
    if not summary.rectification:
        lines += [w("doc.notice.nothing"), ""]
    for number, row in enumerate(summary.rectification, 1):
        lines += [
            f"{number}. **{_line(row.text)}**",
            w("doc.md.notice_found", found=_line(found_words(row.found, w)) or "—"),
            w("doc.md.notice_requirement", requirement=_line(row.requirement)),
            w("doc.md.notice_deadline", deadline=_line(row.deadline) or "________"),
            "",
        ]
    n = summary.notice
    lines += [_line(report_back_line(summary, w)), "",
              w("doc.md.issuer", issuer=_line(n.issuer) or "____________", date=w.date(n.date)), ""]
    lines += _signature(summary, w("doc.sign.receiver"), w)
    return "\n".join(lines)


def _signature(summary: Summary, signed_label: str, w: Words) -> list[str]:
    """The blank signature line, or the signers printed with a line each to sign on (signature.py)."""
    signed = signed_lines(summary, signed_label, w)
    if signed is None:
        return [w("doc.md.signature"), ""]
    lines = [_line(line.text) + ("____________" if line.blank else "") + "  " for line in signed]
    day = date_line(summary, w)
    lines.append((_line(day) if day else w("doc.signoff.date_blank")) + "  ")
    lines += [_line(text) + "  " for text in review_lines(summary, w)]
    if amended := amended_line(summary, w):
        lines.append(f"**{_line(amended)}**")
    return lines + [""]


def _amended(summary: Summary, w: Words) -> list[str]:
    amended = amended_line(summary, w)
    return [f"**{_line(amended)}**", ""] if amended else []


def render(summary: Summary, what: str = "summary", lang: str = "zh") -> bytes:
    w = words(lang)
    text = render_rectification(summary, w) if what == "rectification" else render_summary(summary, w)
    return text.encode("utf-8")
