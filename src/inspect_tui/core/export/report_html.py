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
from ..text import shown_all
from .common import clean
from .report_common import (
    CATEGORY_LABELS, CHANGE_NOTE, METHOD, SHOWN, UNFINISHED_TITLE, change_header, change_rows, changed_text,
    delta_line, item_header, item_row, listed, named, num, ranking_header, ranking_rows, unfinished_header,
    unfinished_rows, pct, provisional_note, rank_basis, scope, section_header, section_rows, side_line, signed,
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


def _page(title: str, body: list[str]) -> bytes:
    head = [
        "<!DOCTYPE html>", '<html lang="zh-CN">', "<head>", '<meta charset="utf-8">',
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
    return f'<span class="bar" style="width:{width:.2f}em"></span> {_e(num(value))}'


# -- roll-up ----------------------------------------------------------------------------------------

def rollup_html(rollup: Rollup) -> bytes:
    body = ["<h1>检查汇总报告</h1>", '<ul class="meta">', f"<li>范围: {_e(scope(rollup))}</li>",
            f"<li>检查记录: {rollup.sessions} 份</li>", f'<li class="notice">{_e(METHOD)}</li>', "</ul>"]
    if rollup.problems:
        body += ['<ul class="notice">', *(f"<li>未能读取: {_e(p)}</li>" for p in rollup.problems), "</ul>"]
    if not rollup.groups:
        body.append("<p>没有符合条件的检查记录。</p>")
    for group in rollup.groups:
        body += _group(group)
    return _page("检查汇总报告", body)


def _group(group: ChecklistRollup) -> list[str]:
    out = [f"<h2>{_e(group.title)}({_e(group.checklist_id)} {_e('、'.join(group.versions))})</h2>",
           f"<p>支部 {group.branches} 个 · 检查 {group.inspections} 次</p>",
           "<h3>支部排名</h3>", f"<p>{_e(rank_basis(group))}</p>"]
    if group.provisional:
        out.append(f'<p class="notice">{_e(provisional_note(group))}</p>')
    if group.ranking:
        out += _table(ranking_header(group), ranking_rows(group), {0, 4})
    else:
        out.append("<p>(没有已完成的检查可以排名)</p>")
    if group.unfinished:
        out.append(f"<h3>{_e(UNFINISHED_TITLE)}</h3>")
        out += _table(unfinished_header(group), unfinished_rows(group))

    out.append("<h3>各大项平均扣分</h3>" if group.scored else "<h3>各大项平均不符合项数</h3>")
    measure = [s.avg_lost if group.scored else s.avg_failed for s in group.sections]
    largest = max((m for m in measure if m is not None), default=Decimal(0))
    rows = []
    for s, m in zip(group.sections, measure):
        extra = [num(s.max)] if group.scored else []
        rows.append([s.title, *extra, _bar(m, largest) or _e(num(m)), *([num(s.avg_failed)] if group.scored else []),
                     str(s.branches)])
    header = ["大项", "满分", "平均扣分", "平均不符合项数", "支部数"] if group.scored else ["大项", "平均不符合项数", "支部数"]
    out += _table(header, rows, set(range(1, len(header))) - {2 if group.scored else 1}, {2 if group.scored else 1})

    out.append("<h3>不符合次数最多的检查项</h3>")
    if not group.failed_items:
        out.append("<p>无</p>")
    else:
        header = ["检查项", "编号", "大项", "不符合支部数", "占比"] + (["平均扣分"] if group.scored else []) + ["支部"]
        rows = []
        for f in group.failed_items:
            share = f"{f.count * 100 / group.branches:.0f}%" if group.branches else "—"
            rows.append([f.text, f.id, f.section, str(f.count), share] + ([num(f.avg_lost)] if group.scored else [])
                        + [listed(f.branches)])
        out += _table(header, rows, {3, 4, 5} if group.scored else {3, 4})

    out.append("<h3>各支部历次检查</h3>")
    repeated = [t for t in group.trends if len(t.points) > 1]
    if not repeated:
        out.append("<p>所选范围内各支部均只有一次检查。</p>")
    else:
        rows = []
        for trend in repeated:
            history = " → ".join(
                f"{p.date} {num(p.total) if group.rank_by == 'total' else pct(p.percent)}{'' if p.final else '(暂定)'}" for p in trend.points)
            rows.append([named(trend.branch, trend.unit), str(len(trend.points)), history,
                         signed(trend.change) + ("" if group.rank_by == "total" else " 个百分点")])
        out += _table(["支部", "检查次数", "历次" + ("得分" if group.rank_by == "total" else "得分率"), "变化"], rows, {1, 3})
    return out


# -- comparison -------------------------------------------------------------------------------------

def comparison_html(c: Comparison) -> bytes:
    title = f"复查对比: {named(c.new.branch, c.new.unit)}"
    body = [f"<h1>{_e(title)}</h1>", '<ul class="meta">', f"<li>原检查: {_e(side_line(c.old))}</li>",
            f"<li>本次检查: {_e(side_line(c.new))}</li>", f"<li>{_e(delta_line(c))}</li>"]
    body += [f'<li class="notice">注意: {_e(note)}</li>' for note in c.notes] + ["</ul>"]
    counts = c.counts
    body.append("<p>" + _e(" · ".join(f"{CATEGORY_LABELS[k]} {counts[k]} 项" for k in (*SHOWN, UNCHANGED_PASS, NOT_APPLICABLE))) + "</p>")
    scored = c.old.scored or c.new.scored
    for category in SHOWN:
        rows = c.of(category)
        if rows:
            body.append(f"<h2>{_e(CATEGORY_LABELS[category])}({len(rows)} 项)</h2>")
            body += _table(item_header(scored), [item_row(r, scored) for r in rows], {4, 5} if scored else set())
    if c.changes:
        both = c.old.scored and c.new.scored
        body += ["<h2>得分变化明细</h2>", f"<p>{_e(CHANGE_NOTE)}</p>"]
        body += _table(change_header(both), change_rows(c), {3, 4, 5} if both else {3})
    if c.changed_items:
        body.append(f"<h2>新版内容有变化的检查项({len(c.changed_items)} 项)</h2>")
        body += _table(["编号", "检查项(新版)", "变化", "原文"],
                       [[r.id, r.text, changed_text(r.changed), r.old_text or "—"] for r in c.changed_items])
    body.append("<h2>各大项得分变化</h2>")
    body += _table(section_header(scored), section_rows(c, scored), {1, 2, 3})
    return _page(title, body)


def render_rollup(rollup: Rollup) -> bytes:
    return rollup_html(shown_all(rollup))  # the one escape (core/text.py)


def render_comparison(comparison: Comparison) -> bytes:
    return comparison_html(shown_all(comparison))

__all__ = ["rollup_html", "comparison_html", "render_rollup", "render_comparison"]
