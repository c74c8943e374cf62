"""The summary as Word documents (python-docx): the 考评表 and the 整改通知书, as an office prints them.

The 考评表 is what the organisation department files and the inspectors sign: title, header fields
(单位/支部, 检查表, 日期, 地点, 检查人员), a table of 项目 / 内容 / 分值 / 扣分 / 扣分原因 / 备注 with
the section's cell spanning its rows, the total, and lines for signatures and the date. The
整改通知书 is what the branch receives: each thing to put right, what was found, what the standard
requires, and a deadline left blank for the office to fill in.

Page and type follow common office practice: A4, 宋体 for text and 黑体 for titles (Word on Chinese
Windows has both; elsewhere the reader substitutes its own CJK font), the table header repeated on
every page and no row split across two. python-docx is imported only when a .docx is made.
"""

from __future__ import annotations

import io
from typing import Any

from ...texts import Words, words
from .common import (
    SHEET_HEADER, Block, branch_line, cell_text, clean, counts_line, found_words, report_back_line, score_line, status_word,
    facts_block, self_diff_block, self_lines, self_scores_block, sheet_cells, sheet_groups, total_cells,
)
from .model import AttachmentRow, Summary
from .signature import amended_line, date_line, review_lines, signed_lines
from .photos import caption, files_line, split

BODY_FONT, TITLE_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
SHEET_WIDTHS_CM = (2.4, 5.4, 1.2, 1.2, 4.2, 3.0)  # 17.4 cm: A4 less 1.8 cm margins
RECT_HEADER = ("doc.col.number", "doc.notice.col.item", "doc.col.found", "doc.col.requirement", "doc.col.deadline")
RECT_WIDTHS_CM = (1.2, 4.2, 4.6, 4.6, 2.8)  # 整改期限 holds "　　年　月　日" on one line
SELF_SCORE_WIDTHS_CM = (3.4, 1.6, 1.6, 2.0, 2.4, 1.6, 1.6, 1.6, 1.6)  # 自查 / 检查 / 差值
SELF_DIFF_WIDTHS_CM = {  # 类别 编号 检查项 自查 检查 [自查扣分 检查扣分] 自查备注 检查备注
    True: (2.4, 2.0, 3.6, 1.4, 1.4, 1.2, 1.2, 2.1, 2.1),
    False: (2.4, 2.0, 4.6, 1.5, 1.5, 2.7, 2.7),
}
FACT_WIDTHS_CM = (4.9, 2.8, 1.0) * 2  # 项目 填报情况 单位, two facts a row as a printed form has them
SIGN_BLANK = "_" * 16


class _Doc:
    """A python-docx Document with the few helpers a form needs."""

    def __init__(self, title: str, author: str, caption: str, w: Words) -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.Pt, self.Cm, self.w = Pt, Cm, w
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin = section.right_margin = Cm(1.8)
        section.top_margin = section.bottom_margin = Cm(2)
        normal = self.doc.styles["Normal"]
        normal.font.size = Pt(10.5)  # 五号
        self._fonts(normal.element, BODY_FONT, normal)
        props = self.doc.core_properties
        props.title, props.author, props.comments, props.last_modified_by = clean(title), clean(author), "", ""
        self._margins(section, caption)

    def _margins(self, section: Any, caption: str) -> None:
        """Every printed page says whose it is (the page header) and which page of how many (the
        footer), so a page that comes loose from the stack still finds its place."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        section.header_distance = section.footer_distance = self.Cm(1)
        if caption:
            head = section.header.paragraphs[0]
            head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            self.run(head, caption, size=9)
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self.run(foot, self.w("doc.page.before"), size=9)
        self._field(foot, "PAGE")
        self.run(foot, self.w("doc.page.of"), size=9)
        self._field(foot, "NUMPAGES")
        self.run(foot, self.w("doc.page.after"), size=9)

    def _field(self, paragraph: Any, code: str) -> None:
        """A Word field (PAGE, NUMPAGES) that the reader fills in on each page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), f" {code} ")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"  # shown until the reader updates the field
        run.append(text)
        field.append(run)
        paragraph._p.append(field)

    @staticmethod
    def _fonts(element: Any, east_asian: str, holder: Any = None) -> None:
        from docx.oxml.ns import qn

        if holder is not None:
            holder.font.name = LATIN_FONT
        rfonts = element.get_or_add_rPr().get_or_add_rFonts()
        rfonts.set(qn("w:ascii"), LATIN_FONT)
        rfonts.set(qn("w:hAnsi"), LATIN_FONT)
        rfonts.set(qn("w:eastAsia"), east_asian)

    def para(self, text: str = "", size: float | None = None, bold: bool = False, align: str = "left",
             font: str | None = None, indent: bool = False, space_after: float = 4) -> Any:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        p = self.doc.add_paragraph()
        p.alignment = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
                       "right": WD_ALIGN_PARAGRAPH.RIGHT}[align]
        p.paragraph_format.space_after = self.Pt(space_after)
        if indent:
            p.paragraph_format.first_line_indent = self.Pt(21)  # two characters of 五号
        if text:
            self.run(p, text, size, bold, font)
        return p

    def run(self, paragraph: Any, text: str, size: float | None = None, bold: bool = False,
            font: str | None = None) -> Any:
        run = paragraph.add_run(clean(text))  # "\n" becomes a line break
        run.bold = bold
        if size:
            run.font.size = self.Pt(size)
        if font:
            self._fonts(run._element, font)
        return run

    def table(self, header: tuple[str, ...], widths_cm: tuple[float, ...]) -> Any:
        from docx.enum.table import WD_TABLE_ALIGNMENT

        table = self.doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        self.widths = [self.Cm(w) for w in widths_cm]
        for column, w in zip(table.columns, self.widths):
            column.width = w  # the grid LibreOffice lays out by
        row = table.rows[0]
        self._row_flags(row, header=True)
        for cell, text in zip(row.cells, header):
            self.fill(cell, text, bold=True, align="center")
        self._size(row)
        return table

    def add_row(self, table: Any, values: tuple[str, ...], bold: bool = False, numeric: tuple[int, ...] = ()) -> Any:
        row = table.add_row()
        self._row_flags(row)
        for index, (cell, text) in enumerate(zip(row.cells, values)):
            self.fill(cell, text, bold=bold, align="center" if index in numeric else "left")
        self._size(row)
        return row

    def fill(self, cell: Any, text: str, bold: bool = False, align: str = "left", size: float = 9) -> None:
        from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.LEFT
        paragraph.paragraph_format.space_after = self.Pt(0)
        if text:
            self.run(paragraph, text, size, bold)
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER if align == "center" else WD_CELL_VERTICAL_ALIGNMENT.TOP

    def _size(self, row: Any) -> None:
        for cell, w in zip(row.cells, self.widths):
            cell.width = w  # Word reads the width of every cell, not of the column

    @staticmethod
    def _row_flags(row: Any, header: bool = False) -> None:
        """No row split over two pages; the header row repeated at the top of each page."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        tr_pr = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit", "w:tblHeader") if header else ("w:cantSplit",):
            flag = OxmlElement(tag)
            flag.set(qn("w:val"), "true")
            tr_pr.append(flag)

    def signatures(self, summary: Summary, second: str, signed_label: str) -> None:
        """The blank form's lines, or the signers printed with a line each to sign on."""
        w = self.w
        self.para("", space_after=12)
        lines = signed_lines(summary, signed_label, w)
        if lines is None:
            self.para(f"{w('doc.sign.inspector')}{SIGN_BLANK}　　{second}{SIGN_BLANK}", space_after=12)
            self.para(w("doc.sign.date"), align="right")
            return
        for line in lines:
            self.para(line.text + (SIGN_BLANK if line.blank else ""), size=12, space_after=10)
        self.para(date_line(summary, w) or w("doc.sign.date"), align="right", space_after=4)
        for text in review_lines(summary, w):
            self.para(text, space_after=2)
        if amended := amended_line(summary, w):
            self.para(amended, bold=True, align="right")

    def amended(self, summary: Summary) -> None:
        """已修改 under the title: what was signed is not what this prints."""
        if amended := amended_line(summary, self.w):
            self.para(amended, bold=True, align="center", space_after=8)

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def render_summary(summary: Summary, w: Words) -> bytes:
    """The 考评表."""
    h = summary.header
    doc = _Doc(w("doc.sheet.title", title=h.checklist_title), w.join(h.inspectors), _caption(summary, w), w)
    doc.para(w("doc.docx.title", title=h.checklist_title), size=18, bold=True, align="center", font=TITLE_FONT,
             space_after=12)
    doc.amended(summary)
    for line in (
        w("doc.docx.branch", branch=branch_line(summary, w)),
        w("doc.docx.checklist", title=h.checklist_title, version=h.checklist_version),
        w("doc.docx.date_place", date=w.date(h.date), place=h.place or "—"),
        w("doc.docx.inspectors_status", names=w.join(h.inspectors) or "—", status=status_word(h.status, w)),
    ):
        doc.para(line, size=12, space_after=2)
    doc.para(score_line(summary, w), size=12, bold=True, space_after=2)
    doc.para(counts_line(summary, w), space_after=8)
    if summary.scores.vetoed:
        doc.para(w("doc.vetoed", items=w.join(summary.scores.vetoed)), bold=True)
    _facts(doc, summary, w)

    table = doc.table(tuple(w(key) for key in SHEET_HEADER), SHEET_WIDTHS_CM)
    for label, rows in sheet_groups(summary, w):
        first = len(table.rows)
        for row in rows:
            content, points, lost, reasons, remark = sheet_cells(row, summary.scores.scored, w)
            title = "\u3000" * max(0, row.depth - 1) + row.text
            guidance = content[len(title):]  # the 评价内容 below the title, a size smaller
            added = doc.add_row(table, ("", title, points, lost, reasons, remark), numeric=(2, 3))
            if not row.leaf and row.depth:  # a 分项 heading: its text in bold
                for run in added.cells[1].paragraphs[0].runs:
                    run.bold = True
            if guidance:
                doc.run(added.cells[1].paragraphs[0], guidance, size=8)
            if summary.attachments_of(row.id):
                attachments(doc, added.cells[5], summary.attachments_of(row.id), w)
        top = table.cell(first, 0)
        merged = top.merge(table.cell(len(table.rows) - 1, 0)) if len(rows) > 1 else top
        doc.fill(merged, label, bold=True, align="center")
    doc.add_row(table, total_cells(summary, w), bold=True, numeric=(2, 3))

    doc.para("", space_after=2)
    doc.para(w("doc.docx.remark_note"), size=9)
    if not summary.checklist_complete:
        doc.para(w("doc.docx.incomplete", note=summary.checklist_note), size=9)
    if summary.warnings:
        doc.para(w("doc.docx.warnings") + w("doc.docx.warning_sep").join(message for _, message in summary.warnings),
                 size=9)
    _selfcheck(doc, summary, w)
    doc.signatures(summary, w("doc.sign.head"), w("doc.signoff.head"))
    return doc.save()


def attachments(doc: _Doc, cell: Any, rows: tuple[AttachmentRow, ...], w: Words,
                width_cm: float = SHEET_WIDTHS_CM[5] - 0.3) -> None:
    """In a cell (the 备注 beside the finding, the ledger's 佐证材料) or the document's body (`cell`
    the document): each photo as a thumbnail with its caption, the other files listed."""
    photos, others = split(rows)
    for row, small in photos:
        picture = cell.add_paragraph()
        picture.paragraph_format.space_after = doc.Pt(0)
        picture.add_run().add_picture(io.BytesIO(small), width=doc.Cm(width_cm))
        doc.run(cell.add_paragraph(), caption(row, w), size=8)
    if others:
        doc.run(cell.add_paragraph(), files_line(others, w), size=8)


def _evidence(doc: _Doc, summary: Summary, w: Words) -> None:
    """整改佐证材料 after the notice's table: each rectification's evidence of the fix, by its number."""
    numbered = [(n, row) for n, row in enumerate(summary.rectification, 1) if summary.evidence_of(row.id)]
    if not numbered:
        return
    doc.para("", space_after=4)
    doc.para(w("ledger.evidence.title"), size=12, bold=True, font=TITLE_FONT, space_after=4)
    for number, row in numbered:
        doc.para(w("ledger.evidence.item", number=number, item=row.text), bold=True, space_after=2)
        attachments(doc, doc.doc, summary.evidence_of(row.id), w, width_cm=6)


def _selfcheck(doc: _Doc, summary: Summary, w: Words) -> None:
    """自查与检查对照, after the score sheet: both scores side by side, then the items that differ."""
    sc = summary.selfcheck
    if sc is None:
        return
    doc.para("", space_after=2)
    doc.para(w("doc.self.title"), size=12, bold=True, font=TITLE_FONT, space_after=4)
    doc.para("\n".join(self_lines(sc, w)), space_after=4)
    _block(doc, self_scores_block(sc, summary.scores.scored, w), SELF_SCORE_WIDTHS_CM)
    doc.para("", space_after=2)
    doc.para(w("doc.self.differences"), bold=True, space_after=4)
    if sc.differences:
        _block(doc, self_diff_block(sc, summary.scores.scored, w), SELF_DIFF_WIDTHS_CM[summary.scores.scored])
    else:
        doc.para(w("doc.none"))


def _caption(summary: Summary, w: Words) -> str:
    """The page header: which branch, which day."""
    return f"{branch_line(summary, w)}　{w.date(summary.header.date)}"


def _facts(doc: _Doc, summary: Summary, w: Words) -> None:
    """基本情况 as entered (未填 where blank), before the findings that rest on them."""
    if not summary.facts:
        return
    doc.para(w("doc.facts.title"), size=12, bold=True, font=TITLE_FONT, space_after=4)
    header, _, rows = facts_block(summary, w)
    table = doc.table(header * 2, FACT_WIDTHS_CM)
    for index in range(0, len(rows), 2):
        pair = rows[index:index + 2]
        cells = [cell_text(v) for row in pair for v in row]
        doc.add_row(table, tuple(cells + [""] * (6 - len(cells))), numeric=(2, 5))
    doc.para("", space_after=4)


def _block(doc: _Doc, block: Block, widths_cm: tuple[float, ...]) -> None:
    header, numeric, rows = block
    table = doc.table(header, widths_cm)
    centred = tuple(index for index, flag in enumerate(numeric) if flag)
    for row in rows:
        doc.add_row(table, tuple(cell_text(v) for v in row), numeric=centred)


def render_rectification(summary: Summary, w: Words) -> bytes:
    """The 整改通知书: what the branch must put right, with a deadline to fill in."""
    h = summary.header
    doc = _Doc(w("doc.docx.notice_title", branch=h.branch), w.join(h.inspectors), _caption(summary, w), w)
    doc.para(w("doc.notice.title"), size=18, bold=True, align="center", font=TITLE_FONT, space_after=12)
    doc.amended(summary)
    doc.para(w("doc.notice.to", branch=h.branch), size=12)
    doc.para(w("doc.notice.intro", date=w.date(h.date), title=h.checklist_title), size=12, indent=True, space_after=8)
    _facts(doc, summary, w)
    if not summary.rectification:
        doc.para(w("doc.notice.nothing"), size=12, indent=True)
    else:
        doc.para(w("doc.notice.items"), size=12, bold=True, font=TITLE_FONT, space_after=4)
        table = doc.table(tuple(w(key) for key in RECT_HEADER), RECT_WIDTHS_CM)
        for number, row in enumerate(summary.rectification, 1):
            where = " › ".join(row.path)
            item = w("doc.notice.item_within", item=row.text, where=where) if where else row.text
            deadline = w.date(row.deadline) if row.deadline else w("doc.notice.deadline_blank")
            doc.add_row(table, (str(number), item, found_words(row.found, w) or "—", row.requirement, deadline),
                        numeric=(0,))
        _evidence(doc, summary, w)
    doc.para("", space_after=4)
    doc.para(report_back_line(summary, w), size=12, indent=True, space_after=8)
    doc.para(summary.notice.issuer or f"{SIGN_BLANK}{w('doc.notice.seal')}", size=12, align="right", space_after=2)
    doc.para(w.date(summary.notice.date), size=12, align="right")
    doc.signatures(summary, w("doc.sign.receiver"), w("doc.sign.receiver"))
    return doc.save()


def render(summary: Summary, what: str = "summary", lang: str = "zh") -> bytes:
    w = words(lang)
    return render_rectification(summary, w) if what == "rectification" else render_summary(summary, w)
