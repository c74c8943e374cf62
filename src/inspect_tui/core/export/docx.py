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

from .common import (
    DATE_BLANK, FACTS_TITLE, SELF_TITLE, SHEET_HEADER, STATUS, Block, branch_line, cell_text, clean, cn_date, counts_line,
    report_back_line, score_line, facts_block, self_diff_block, self_lines, self_scores_block, sheet_cells, sheet_groups, total_cells,
)
from .model import Summary

BODY_FONT, TITLE_FONT, LATIN_FONT = "宋体", "黑体", "Times New Roman"
SHEET_WIDTHS_CM = (2.4, 5.4, 1.2, 1.2, 4.2, 3.0)  # 17.4 cm: A4 less 1.8 cm margins
RECT_HEADER = ("序号", "检查项目", "发现问题", "标准要求", "整改期限")
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

    def __init__(self, title: str, author: str, caption: str = "") -> None:
        from docx import Document
        from docx.shared import Cm, Pt

        self.Pt, self.Cm = Pt, Cm
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
        self.run(foot, "第 ", size=9)
        self._field(foot, "PAGE")
        self.run(foot, " 页 共 ", size=9)
        self._field(foot, "NUMPAGES")
        self.run(foot, " 页", size=9)

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

    def signatures(self, second: str) -> None:
        self.para("", space_after=12)
        self.para(f"检查人员(签名):{SIGN_BLANK}　　{second}:{SIGN_BLANK}", space_after=12)
        self.para("日期:　　　　年　　月　　日", align="right")

    def save(self) -> bytes:
        out = io.BytesIO()
        self.doc.save(out)
        return out.getvalue()


def render_summary(summary: Summary) -> bytes:
    """The 考评表."""
    h = summary.header
    doc = _Doc(f"{h.checklist_title} 考评表", "、".join(h.inspectors), _caption(summary))
    doc.para(f"{h.checklist_title}\n考评表", size=18, bold=True, align="center", font=TITLE_FONT, space_after=12)
    for line in (
        f"单位/支部:{branch_line(summary)}",
        f"检查表:{h.checklist_title}({h.checklist_version})",
        f"检查日期:{cn_date(h.date)}　　　检查地点:{h.place or '—'}",
        f"检查人员:{'、'.join(h.inspectors) or '—'}　　　状态:{STATUS.get(h.status, h.status)}",
    ):
        doc.para(line, size=12, space_after=2)
    doc.para(score_line(summary), size=12, bold=True, space_after=2)
    doc.para(counts_line(summary), space_after=8)
    if summary.vetoed:
        doc.para(f"一票否决: {'、'.join(summary.vetoed)}", bold=True)
    _facts(doc, summary)

    table = doc.table(SHEET_HEADER, SHEET_WIDTHS_CM)
    for label, rows in sheet_groups(summary):
        first = len(table.rows)
        for row in rows:
            content, points, lost, reasons, remark = sheet_cells(row, summary.scored)
            title = "\u3000" * max(0, row.depth - 1) + row.text
            guidance = content[len(title):]  # the 评价内容 below the title, a size smaller
            added = doc.add_row(table, ("", title, points, lost, reasons, remark), numeric=(2, 3))
            if not row.leaf and row.depth:  # a 分项 heading: its text in bold
                for run in added.cells[1].paragraphs[0].runs:
                    run.bold = True
            if guidance:
                doc.run(added.cells[1].paragraphs[0], guidance, size=8)
        top = table.cell(first, 0)
        merged = top.merge(table.cell(len(table.rows) - 1, 0)) if len(rows) > 1 else top
        doc.fill(merged, label, bold=True, align="center")
    doc.add_row(table, total_cells(summary), bold=True, numeric=(2, 3))

    doc.para("", space_after=2)
    doc.para("备注栏注明不符合、不适用及未检查的项目;未注明者为符合。", size=9)
    if not h.checklist_complete:
        doc.para(f"说明:检查表原文不完整。{h.checklist_note}", size=9)
    if summary.warnings:
        doc.para("提醒:" + ";".join(message for _, message in summary.warnings), size=9)
    _selfcheck(doc, summary)
    doc.signatures("被检查单位负责人(签名)")
    return doc.save()


def _selfcheck(doc: _Doc, summary: Summary) -> None:
    """自查与检查对照, after the score sheet: both scores side by side, then the items that differ."""
    sc = summary.selfcheck
    if sc is None:
        return
    doc.para("", space_after=2)
    doc.para(SELF_TITLE, size=12, bold=True, font=TITLE_FONT, space_after=4)
    doc.para("\n".join(self_lines(sc)), space_after=4)
    _block(doc, self_scores_block(sc, summary.scored), SELF_SCORE_WIDTHS_CM)
    doc.para("", space_after=2)
    doc.para("不一致的检查项", bold=True, space_after=4)
    if sc.differences:
        _block(doc, self_diff_block(sc, summary.scored), SELF_DIFF_WIDTHS_CM[summary.scored])
    else:
        doc.para("无")


def _caption(summary: Summary) -> str:
    """The page header: which branch, which day."""
    return f"{branch_line(summary)}　{cn_date(summary.header.date)}"


def _facts(doc: _Doc, summary: Summary) -> None:
    """基本情况 as entered (未填 where blank), before the findings that rest on them."""
    if not summary.facts:
        return
    doc.para(FACTS_TITLE, size=12, bold=True, font=TITLE_FONT, space_after=4)
    header, _, rows = facts_block(summary)
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


def render_rectification(summary: Summary) -> bytes:
    """The 整改通知书: what the branch must put right, with a deadline to fill in."""
    h = summary.header
    doc = _Doc(f"整改通知书 {h.branch}", "、".join(h.inspectors), _caption(summary))
    doc.para("整改通知书", size=18, bold=True, align="center", font=TITLE_FONT, space_after=12)
    doc.para(f"{h.branch}:", size=12)
    doc.para(
        f"{cn_date(h.date)},检查组对照《{h.checklist_title}》对你支部进行了检查。现将检查发现的问题通知如下,"
        "请认真对照整改。",
        size=12, indent=True, space_after=8,
    )
    _facts(doc, summary)
    if not summary.rectification:
        doc.para("本次检查没有需要整改的事项。", size=12, indent=True)
    else:
        doc.para("整改事项", size=12, bold=True, font=TITLE_FONT, space_after=4)
        table = doc.table(RECT_HEADER, RECT_WIDTHS_CM)
        for number, row in enumerate(summary.rectification, 1):
            where = " › ".join(row.path)
            item = f"{row.text}\n({where})" if where else row.text
            deadline = cn_date(row.deadline) if row.deadline else DATE_BLANK
            doc.add_row(table, (str(number), item, row.found or "—", row.requirement, deadline), numeric=(0,))
    doc.para("", space_after=4)
    doc.para(report_back_line(summary), size=12, indent=True, space_after=8)
    doc.para(summary.notice.issuer or f"{SIGN_BLANK}(盖章)", size=12, align="right", space_after=2)
    doc.para(cn_date(summary.notice.date), size=12, align="right")
    doc.signatures("被检查单位签收人")
    return doc.save()


def render(summary: Summary, what: str = "summary") -> bytes:
    return render_rectification(summary) if what == "rectification" else render_summary(summary)
