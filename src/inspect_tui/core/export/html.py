"""The summary as one self-contained HTML page, to open in any browser and print.

- Self-contained: the styles are inline, there are no scripts, fonts, images or links to fetch, so
  the page reads the same on a laptop without network and leaks nothing when opened. A
  Content-Security-Policy forbids loading anything at all, as a second line of defence.
- Every piece of text from the session or the checklist goes through `html.escape` (quotes too):
  a branch called `<script>` is shown, never run.
- A print stylesheet: A4, the table header repeated on each page, rows not split across pages.
"""

from __future__ import annotations

from html import escape

from ...texts import Words, words
from .common import (
    SHEET_HEADER, Block, branch_line, cell_text, clean, counts_line, found_words, num, report_back_line, score_line, status_word,
    facts_block, self_diff_block, self_lines, self_scores_block, sheet_cells, sheet_groups, total_cells,
)
from .model import AttachmentRow, Summary
from .signature import amended_line, date_line, review_lines, signed_lines
from .photos import caption, files_line, split

CSS = """
:root { color-scheme: light; }
body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", SimSun, "宋体", serif;
       font-size: 11pt; line-height: 1.5; color: #111; background: #fff; margin: 0; }
main { max-width: 60em; margin: 2em auto; padding: 0 1.5em; }
h1 { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", SimHei, "黑体", sans-serif;
     font-size: 18pt; text-align: center; margin: 0 0 1em; }
h2 { font-size: 13pt; margin: 1.5em 0 .5em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #555; padding: .25em .4em; vertical-align: top; text-align: left; }
th { background: #e8ecf2; text-align: center; white-space: nowrap; }
table.fixed { table-layout: fixed; }
td.n { text-align: right; white-space: nowrap; }
td.item { font-weight: bold; text-align: center; vertical-align: middle; }
tr.group td.c { font-weight: bold; }
tr.total td { font-weight: bold; background: #f4f4f4; }
.pre { white-space: pre-wrap; overflow-wrap: anywhere; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: 0 0 1em; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; overflow-wrap: anywhere; }
.score { font-size: 13pt; font-weight: bold; }
.notice { font-size: 9.5pt; color: #444; border-left: 3px solid #c90; padding-left: .6em; }
.sign { margin-top: 3em; display: flex; justify-content: space-between; gap: 2em; }
.signed { margin-top: 3em; }
.amended { font-weight: bold; color: #a00; }
.blank { display: inline-block; min-width: 10em; border-bottom: 1px solid #000; }
@page { size: A4; margin: 15mm 12mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; margin: 0; padding: 0; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  th, tr.total td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(text: str) -> str:
    """Escaped text (quotes included, so it is safe in an attribute too)."""
    return escape(clean(text), quote=True)


def _page(title: str, body: list[str], w: Words) -> bytes:
    # the photos are inline (data:), never fetched: only a page that has some allows them
    images = "; img-src data:" if any(PHOTO in part for part in body) else ""
    head = [
        "<!DOCTYPE html>",
        '<html lang="en">' if w.en else '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'{images}\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body><main>",
    ]
    return "\n".join(head + body + ["</main></body>", "</html>", ""]).encode("utf-8")


def _meta(summary: Summary, w: Words) -> list[str]:
    h = summary.header
    fields = [
        (w("doc.meta.branch"), branch_line(summary, w)),
        (w("doc.meta.checklist"), w("doc.meta.checklist_version", title=h.checklist_title, version=h.checklist_version)),
        (w("doc.meta.date"), w.date(h.date)),
        (w("doc.meta.place"), h.place or "—"),
        (w("doc.meta.inspectors"), w.join(h.inspectors) or "—"),
        (w("doc.meta.status"), status_word(h.status, w)),
    ]
    return ['<dl class="meta">', *(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in fields), "</dl>"]


def _cell(text: str, cls: str = "pre", extra: str = "") -> str:
    return f'<td class="{cls}"{extra}>{_e(text)}</td>'


def _sheet(summary: Summary, w: Words) -> list[str]:
    """The 考评表 table: 项目 / 内容 / 分值 / 扣分 / 扣分原因 / 备注, the section cell spanning its rows."""
    out = ['<table class="fixed">', _columns(11, 29, 6, 6, 26, 22),
           "<thead><tr>" + "".join(f"<th>{_e(w(h))}</th>" for h in SHEET_HEADER) + "</tr></thead>", "<tbody>"]
    for label, rows in sheet_groups(summary, w):
        for index, row in enumerate(rows):
            content, points, lost, reasons, remark = sheet_cells(row, summary.scores.scored, w)
            cls = ' class="group"' if not row.leaf and row.depth else ""
            first = _cell(label, "item", f' rowspan="{len(rows)}"') if index == 0 else ""
            out.append(
                f"<tr{cls}>{first}{_cell(content, 'pre c')}{_cell(points, 'n')}{_cell(lost, 'n')}"
                f"{_cell(reasons)}{_remark(remark, summary.attachments_of(row.id), w)}</tr>"
            )
    item, content, points, lost, reasons, remark = total_cells(summary, w)
    out.append(f'<tr class="total">{_cell(item, "item")}{_cell(content)}{_cell(points, "n")}'
               f"{_cell(lost, 'n')}{_cell(reasons)}{_cell(remark)}</tr>")
    out += ["</tbody>", "</table>"]
    return out


PHOTO = '<img src="data:image/jpeg;base64,'


def _remark(text: str, rows: tuple[AttachmentRow, ...], w: Words) -> str:
    """The 备注 cell; with attachments, each photo as a captioned thumbnail (inline, so the page
    stays one self-contained file) and the other files listed."""
    if not rows:
        return _cell(text)
    parts = [f'<div class="pre">{_e(text)}</div>'] if text else []
    return f"<td>{''.join(parts + _figures(rows, w))}</td>"


def _figures(rows: tuple[AttachmentRow, ...], w: Words) -> list[str]:
    """Each photo as a captioned thumbnail, then the other files in a line."""
    import base64

    photos, others = split(rows)
    parts = []
    for row, small in photos:
        parts.append(f'<figure style="margin:.3em 0">{PHOTO}{base64.b64encode(small).decode("ascii")}" '
                     f'style="max-width:100%;height:auto" alt="{_e(row.name)}">'
                     f'<figcaption style="font-size:.85em">{_e(caption(row, w))}</figcaption></figure>')
    if others:
        parts.append(f'<div class="pre">{_e(files_line(others, w))}</div>')
    return parts


def _columns(*percent: int) -> str:
    """Fixed column widths, so the narrow number columns stay narrow and the text ones wrap."""
    return "<colgroup>" + "".join(f'<col style="width:{p}%">' for p in percent) + "</colgroup>"


def _list(title: str, lines: list[str], w: Words) -> list[str]:
    items = [f'<li class="pre">{_e(line)}</li>' for line in lines]
    return [f"<h2>{_e(title)}</h2>", *(["<ul>", *items, "</ul>"] if items else [f"<p>{_e(w('doc.none'))}</p>"])]


def _signature(summary: Summary, second: str, signed_label: str, w: Words) -> list[str]:
    """The blank form's lines, or the signers printed with a line each to sign on (signature.py)."""
    lines = signed_lines(summary, signed_label, w)
    if lines is not None:
        body = ['<div class="signed">']
        body += [f'<p>{_e(line.text)}<span class="blank"></span></p>' for line in lines]
        day = date_line(summary, w)
        body += [f'<p style="text-align:right">{_e(day)}</p>' if day else _blank_date(w)]
        body += [f"<p>{_e(text)}</p>" for text in review_lines(summary, w)]
        if amended := amended_line(summary, w):
            body.append(f'<p class="amended">{_e(amended)}</p>')
        return body + ["</div>"]
    return [
        '<div class="sign">',
        f'<p>{_e(w("doc.sign.inspector"))}<span class="blank"></span></p>',
        f'<p>{_e(second)}<span class="blank"></span></p>',
        "</div>",
        _blank_date(w),
    ]


def _amended(summary: Summary, w: Words) -> list[str]:
    amended = amended_line(summary, w)
    return [f'<p class="amended">{_e(amended)}</p>'] if amended else []


def _blank_date(w: Words) -> str:
    if w.en:
        day = '<p style="text-align:right">Date: <span class="blank" style="min-width:8em"></span></p>'
    else:
        day = ('<p style="text-align:right">日期:<span class="blank" style="min-width:4em"></span>年'
               '<span class="blank" style="min-width:2em"></span>月<span class="blank" style="min-width:2em"></span>日</p>')
    return day


def render_summary(summary: Summary, w: Words) -> bytes:
    h = summary.header
    title = w("doc.sheet.title", title=h.checklist_title)
    body = [f"<h1>{_e(title)}</h1>", *_amended(summary, w), *_meta(summary, w)]
    body += [f'<p class="score">{_e(score_line(summary, w))}</p>', f"<p>{_e(counts_line(summary, w))}</p>"]
    if summary.scores.vetoed:
        body.append(f"<p class=\"score\">{_e(w('doc.vetoed', items=w.join(summary.scores.vetoed)))}</p>")
    if not summary.checklist_complete:
        body.append(f'<p class="notice pre">{_e(w("doc.incomplete", note=summary.checklist_note))}</p>')
    body += _facts(summary, w)
    if summary.scores.scored:
        body += [f"<h2>{_e(w('doc.sections'))}</h2>", "<table>",
                 "<thead><tr>" + "".join(f"<th>{_e(w(k))}</th>" for k in SECTION_HEADER) + "</tr></thead><tbody>"]
        for s in summary.sections:
            body.append(f"<tr>{_cell(s.title)}{_cell(num(s.max), 'n')}{_cell(num(s.deducted), 'n')}"
                        f"{_cell(num(s.score), 'n')}</tr>")
        body += ["</tbody></table>"]
    body += [f"<h2>{_e(w('doc.sheet.details'))}</h2>", *_sheet(summary, w)]
    body += _list(w("doc.na_items"), [row.text for row in summary.not_applicable], w)
    body += _list(w("doc.unanswered_items"), [row.text for row in summary.unanswered], w)
    if summary.warnings:
        body += _list(w("doc.warnings"), [message for _, message in summary.warnings], w)
    body += _selfcheck(summary, w)
    body += _signature(summary, w("doc.sign.head"), w("doc.signoff.head"), w)
    return _page(f"{title} · {h.branch} · {h.date}", body, w)


SECTION_HEADER = ("doc.col.section", "doc.self.max", "doc.col.deducted", "doc.col.score")


def _selfcheck(summary: Summary, w: Words) -> list[str]:
    """自查与检查对照: both scores side by side, then the items on which they differ."""
    sc = summary.selfcheck
    if sc is None:
        return []
    out = [f"<h2>{_e(w('doc.self.title'))}</h2>", *(f'<p class="pre">{_e(line)}</p>' for line in self_lines(sc, w))]
    out += _table(self_scores_block(sc, summary.scores.scored, w))
    out.append(f"<h3>{_e(w('doc.self.differences'))}</h3>")
    return out + (_table(self_diff_block(sc, summary.scores.scored, w)) if sc.differences else [f"<p>{_e(w('doc.none'))}</p>"])


def _facts(summary: Summary, w: Words) -> list[str]:
    """基本情况 as entered, a blank one 未填: two facts a row, as a printed form has them."""
    if not summary.facts:
        return []
    header, _, rows = facts_block(summary, w)
    out = [f"<h2>{_e(w('doc.facts.title'))}</h2>", '<table class="fixed">', _columns(28, 16, 6, 28, 16, 6),
           "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header * 2) + "</tr></thead>", "<tbody>"]
    for index in range(0, len(rows), 2):
        cells = [cell_text(v) for row in rows[index:index + 2] for v in row]
        out.append("<tr>" + "".join(_cell(c) for c in cells + [""] * (6 - len(cells))) + "</tr>")
    return out + ["</tbody>", "</table>"]


def _table(block: Block) -> list[str]:
    header, numeric, rows = block
    out = ["<table>", "<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr></thead>", "<tbody>"]
    for row in rows:
        out.append("<tr>" + "".join(_cell(cell_text(v), "n" if n else "pre") for v, n in zip(row, numeric)) + "</tr>")
    return out + ["</tbody>", "</table>"]


RECT_HEADER = ("doc.col.number", "doc.notice.col.item", "doc.col.found", "doc.col.requirement", "doc.col.deadline")


def render_rectification(summary: Summary, w: Words) -> bytes:
    h = summary.header
    body = [f"<h1>{_e(w('doc.notice.title'))}</h1>", *_amended(summary, w), f"<p>{_e(w('doc.notice.to', branch=h.branch))}</p>"]
    body.append(f"<p>{_e(w('doc.notice.intro', date=w.date(h.date), title=h.checklist_title))}</p>")
    body += _facts(summary, w)
    if summary.rectification:
        body.append(f"<h2>{_e(w('doc.notice.items'))}</h2>")
    if not summary.rectification:
        body.append(f"<p>{_e(w('doc.notice.nothing'))}</p>")
    else:
        body += ['<table class="fixed">', _columns(6, 26, 26, 28, 14),
                 "<thead><tr>" + "".join(f"<th>{_e(w(k))}</th>" for k in RECT_HEADER) + "</tr></thead>", "<tbody>"]
        for number, row in enumerate(summary.rectification, 1):
            where = " › ".join(row.path)
            item = w("doc.notice.item_within", item=row.text, where=where) if where else row.text
            deadline = w.date(row.deadline) if row.deadline else w("doc.notice.deadline_blank")
            body.append(f"<tr>{_cell(str(number), 'n')}{_cell(item)}{_cell(found_words(row.found, w) or '—')}"
                        f"{_cell(row.requirement)}{_cell(deadline)}</tr>")
        body += ["</tbody>", "</table>"]
        numbered = [(n, row) for n, row in enumerate(summary.rectification, 1) if summary.evidence_of(row.id)]
        if numbered:  # the branch's evidence of the fix, by the rectification's number
            body.append(f"<h2>{_e(w('ledger.evidence.title'))}</h2>")
            for number, row in numbered:
                body.append(f"<p><b>{_e(w('ledger.evidence.item', number=number, item=row.text))}</b></p>")
                body += _figures(summary.evidence_of(row.id), w)
    body.append(f"<p>{_e(report_back_line(summary, w))}</p>")
    issuer = _e(summary.notice.issuer) if summary.notice.issuer else f'<span class="blank"></span>{_e(w("doc.notice.seal"))}'
    body.append(f'<p style="text-align:right">{issuer}<br>{_e(w.date(summary.notice.date))}</p>')
    body += _signature(summary, w("doc.sign.receiver"), w("doc.sign.receiver"), w)
    return _page(f"{w('doc.notice.title')} · {h.branch} · {h.date}", body, w)


def render(summary: Summary, what: str = "summary", lang: str = "zh") -> bytes:
    w = words(lang)
    return render_rectification(summary, w) if what == "rectification" else render_summary(summary, w)
