"""Roll-ups and comparisons as one self-contained HTML page each, to open in any browser and print.

Self-contained: styles inline; no scripts, fonts, images or links; a Content-Security-Policy that
forbids loading anything, as a second line of defence. Every piece of text that comes from a
session or a checklist (a branch called `<script>`, a unit called `A&B`) goes through
`html.escape`, quotes included; the only values written unescaped are numbers computed here.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from ..analysis.compare import NOT_APPLICABLE, UNCHANGED_PASS, Comparison
from ..analysis.rollup import ChecklistRollup, Rollup
from ...texts import Words, words
from ..text import shown_all
from .common import clean
from ..numbers import percent_text, points_text, signed_text
from .report_common import (
    SHOWN, ZH, carried_header, carried_line, carried_rows, category, change_header, change_rows, changed_text, delta_line,
    failed_header, failed_rows,
    item_header, item_row, named, provisional_note, rank_basis, ranking_header, ranking_rows, scope,
    section_header, section_rows, side_line, unfinished_header, unfinished_rows, rect_header, rect_note, rect_rows,
)

CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       font-size: 10.5pt; line-height: 1.5; color: #111; background: #fff; margin: 0; }
main { max-width: 72em; margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 18pt; text-align: center; margin: 0 0 .8em; }
h2 { font-size: 14pt; margin: 1.8em 0 .4em; border-bottom: 2px solid #333; }
h3 { font-size: 12pt; margin: 1.2em 0 .4em; }
table { border-collapse: collapse; width: 100%; margin-bottom: .8em; }
th, td { border: 1px solid #777; padding: .2em .4em; vertical-align: top; text-align: left; overflow-wrap: anywhere; }
th { background: #e8ecf2; text-align: center; }
td.n { text-align: right; white-space: nowrap; }
.bar { display: inline-block; height: .8em; background: #b44; vertical-align: middle; }
.meta li { margin: .1em 0; }
.notice { color: #444; border-left: 3px solid #c90; padding-left: .6em; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  main { max-width: none; margin: 0; padding: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  th, .bar { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(text: str) -> str:
    return escape(clean(str(text)), quote=True)


def _page(title: str, body: list[str], w: Words) -> bytes:
    head = [
        "<!DOCTYPE html>", '<html lang="en">' if w.en else '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>", f"<style>{CSS}</style>", "</head>", "<body><main>",
    ]
    return "\n".join(head + body + ["</main></body>", "</html>", ""]).encode("utf-8")


def _table(header: list[str], rows: list[list[str]], numeric: frozenset[int] | set[int] = frozenset(),
           raw: frozenset[int] | set[int] = frozenset()) -> list[str]:
    """A table; every cell escaped except the columns in `raw`, which hold markup built here."""
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr></thead>", "<tbody>"]
    for row in rows:
        cells = []
        for index, value in enumerate(row):
            cls = ' class="n"' if index in numeric else ""
            cells.append(f"<td{cls}>{value if index in raw else _e(value)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    return out + ["</tbody>", "</table>"]


def _bar(value: Decimal | None, largest: Decimal) -> str:
    """A bar as wide as `value` is of `largest` (0–10em); built from numbers only."""
    if value is None or largest <= 0:
        return ""
    width = float(value / largest * 10)
    return f'<span class="bar" style="width:{width:.2f}em"></span> {_e(points_text(value))}'


# -- roll-up ----------------------------------------------------------------------------------------

def rollup_html(rollup: Rollup, w: Words = ZH) -> bytes:
    body = [f"<h1>{_e(w('doc.rep.title'))}</h1>", '<ul class="meta">', f"<li>{_e(w('doc.rep.scope', scope=scope(rollup, w)))}</li>",
            f"<li>{_e(w('doc.rep.sessions', count=rollup.sessions))}</li>", f'<li class="notice">{_e(w("doc.rep.method"))}</li>',
            "</ul>"]
    if rollup.problems:
        body += ['<ul class="notice">', *(f"<li>{_e(w('doc.rep.unreadable', problem=p))}</li>" for p in rollup.problems),
                 "</ul>"]
    if not rollup.groups:
        body.append(f"<p>{_e(w('doc.rep.no_sessions'))}</p>")
    for group in rollup.groups:
        body += _group(group, w)
    if rollup.groups:
        body += [f"<h2>{_e(w('doc.rep.rect_title'))}</h2>", f"<p>{_e(rect_note(rollup, w))}</p>"]
        if rollup.rectifications:
            body += _table(rect_header(w), rect_rows(rollup, w), {1, 2, 3, 4, 5, 6})
        else:
            body.append(f"<p>{_e(w('doc.rep.rect_none'))}</p>")
    return _page(w("doc.rep.title"), body, w)


def _group(group: ChecklistRollup, w: Words) -> list[str]:
    title = w("doc.rep.group", title=group.title, id=group.checklist_id, versions=w.join(group.versions))
    out = [f"<h2>{_e(title)}</h2>",
           f"<p>{_e(w('doc.rep.group_counts', branches=group.branches, inspections=group.inspections))}</p>",
           f"<h3>{_e(w('doc.rep.ranking'))}</h3>", f"<p>{_e(rank_basis(group, w))}</p>"]
    if group.carried:
        out.append(f'<p class="notice">{_e(w("reinspect.rollup", carried=group.carried, still=group.still_open))}</p>')
    if group.provisional:
        out.append(f'<p class="notice">{_e(provisional_note(group, w))}</p>')
    if group.ranking:
        out += _table(ranking_header(group, w), ranking_rows(group, w), {0, 4})
    else:
        out.append(f"<p>{_e(w('doc.rep.no_ranking'))}</p>")
    if group.unfinished:
        out.append(f"<h3>{_e(w('doc.rep.unfinished'))}</h3>")
        out += _table(unfinished_header(group, w), unfinished_rows(group, w))

    out.append(f"<h3>{_e(w('doc.rep.avg_lost') if group.scored else w('doc.rep.avg_failed'))}</h3>")
    measure = [s.avg_lost if group.scored else s.avg_failed for s in group.sections]
    largest = max((m for m in measure if m is not None), default=Decimal(0))
    rows = []
    for s, m in zip(group.sections, measure):
        extra = [points_text(s.max)] if group.scored else []
        rows.append([s.title, *extra, _bar(m, largest) or _e(points_text(m)), *([points_text(s.avg_failed)] if group.scored else []),
                     str(s.branches)])
    header = ([w("doc.col.section"), w("doc.self.max"), w("doc.rep.col.avg_lost"), w("doc.rep.col.avg_failed"),
               w("doc.rep.col.branches")] if group.scored
              else [w("doc.col.section"), w("doc.rep.col.avg_failed"), w("doc.rep.col.branches")])
    out += _table(header, rows, set(range(1, len(header))) - {2 if group.scored else 1}, {2 if group.scored else 1})

    out.append(f"<h3>{_e(w('doc.rep.most_failed'))}</h3>")
    if not group.failed_items:
        out.append(f"<p>{_e(w('doc.none'))}</p>")
    else:
        header, rows = failed_header(group, w), failed_rows(group, w)
        out += _table(header, rows, {3, 4, 5} if group.scored else {3, 4})

    out.append(f"<h3>{_e(w('doc.rep.trends'))}</h3>")
    repeated = [t for t in group.trends if len(t.points) > 1]
    if not repeated:
        out.append(f"<p>{_e(w('doc.rep.no_trends'))}</p>")
    else:
        rows = []
        for trend in repeated:
            history = " → ".join(
                f"{p.header.date} {points_text(p.scores.total) if group.rank_by == 'total' else percent_text(p.scores.percent)}"
                f"{'' if p.scores.final else w('doc.grade_provisional')}" for p in trend.points)
            rows.append([named(trend.branch, trend.unit, w), str(len(trend.points)), history,
                         signed_text(trend.change) + ("" if group.rank_by == "total" else w("doc.rep.percentage_points"))])
        history_key = "doc.rep.col.history_score" if group.rank_by == "total" else "doc.rep.col.history_rate"
        out += _table([w("doc.xlsx.col.branch"), w("doc.rep.col.inspections"), w(history_key), w("doc.rep.change")],
                      rows, {1, 3})
    return out


# -- comparison -------------------------------------------------------------------------------------

def comparison_html(c: Comparison, w: Words = ZH) -> bytes:
    title = w("doc.rep.cmp_title", branch=named(c.new.header.branch, c.new.header.unit, w))
    body = [f"<h1>{_e(title)}</h1>", '<ul class="meta">', f"<li>{_e(w('doc.rep.old', side=side_line(c.old, w)))}</li>",
            f"<li>{_e(w('doc.rep.new', side=side_line(c.new, w)))}</li>", f"<li>{_e(delta_line(c, w))}</li>"]
    body += [f'<li class="notice">{_e(w("doc.rep.note", note=w.say(note)))}</li>' for note in c.notes] + ["</ul>"]
    counts = c.counts
    body.append("<p>" + _e(" · ".join(w("doc.rep.category_count", category=category(k, w), count=counts[k])
                                      for k in (*SHOWN, UNCHANGED_PASS, NOT_APPLICABLE))) + "</p>")
    scored = c.old.scores.scored or c.new.scores.scored
    if c.carried:  # a re-inspection: what became of last time's rectifications
        body += [f"<h2>{_e(w('reinspect.title'))}</h2>", f"<p>{_e(carried_line(c, w))}</p>"]
        body += _table(carried_header(w), carried_rows(c, w))
    for kind in SHOWN:
        rows = c.of(kind)
        if rows:
            body.append(f"<h2>{_e(w('doc.rep.category_heading', category=category(kind, w), count=len(rows)))}</h2>")
            body += _table(item_header(scored, w), [item_row(r, scored, w) for r in rows], {4, 5} if scored else set())
    if c.changes:
        both = c.old.scores.scored and c.new.scores.scored
        body += [f"<h2>{_e(w('doc.rep.changes'))}</h2>", f"<p>{_e(w('doc.rep.change_note'))}</p>"]
        body += _table(change_header(both, w), change_rows(c, w), {3, 4, 5} if both else {3})
    if c.changed_items:
        body.append(f"<h2>{_e(w('doc.rep.changed_items', count=len(c.changed_items)))}</h2>")
        body += _table([w("doc.col.id"), w("doc.rep.col.item_new"), w("doc.rep.change"), w("doc.rep.col.old_text")],
                       [[r.id, r.text, changed_text(r.changed, w), r.old_text or "—"] for r in c.changed_items])
    body.append(f"<h2>{_e(w('doc.rep.section_changes'))}</h2>")
    body += _table(section_header(scored, w), section_rows(c, scored, w), {1, 2, 3})
    return _page(title, body, w)


def render_rollup(rollup: Rollup, lang: str = "zh") -> bytes:
    return rollup_html(shown_all(rollup), words(lang))  # the one escape (core/text.py)


def render_comparison(comparison: Comparison, lang: str = "zh") -> bytes:
    return comparison_html(shown_all(comparison), words(lang))

__all__ = ["rollup_html", "comparison_html", "render_rollup", "render_comparison"]
