"""Roll-ups and comparisons as Markdown: readable in a terminal (the default of `inspect-tui report`)
and on a Git forge. Text from sessions and checklists is escaped so that a branch name with `|` or
`*` cannot break a table or turn into markup."""

from __future__ import annotations

from ..analysis.compare import NOT_APPLICABLE, UNCHANGED_PASS, Comparison
from ..analysis.rollup import ChecklistRollup, Rollup
from ...texts import Words, words
from ..text import shown_all
from ..numbers import percent_text, points_text, signed_text
from .report_common import (
    SHOWN, ZH, carried_header, carried_line, carried_rows, category, change_header, change_rows, changed_text, delta_line,
    failed_header, failed_rows,
    item_header, item_row, named, provisional_note, rank_basis, ranking_header, ranking_rows, scope,
    section_header, section_rows, side_line, unfinished_header, unfinished_rows, rect_header, rect_note, rect_rows,
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

def rollup_markdown(rollup: Rollup, w: Words = ZH) -> str:
    lines = [f"# {w('doc.rep.title')}", "", "- " + w("doc.rep.scope", scope=_line(scope(rollup, w))),
             "- " + w("doc.rep.sessions", count=rollup.sessions), f"- {w('doc.rep.method')}", ""]
    for problem in rollup.problems:
        lines.append("- " + w("doc.rep.unreadable", problem=_line(problem)))
    if rollup.problems:
        lines.append("")
    if not rollup.groups:
        lines += [w("doc.rep.no_sessions"), ""]
    for group in rollup.groups:
        lines += _group(group, w)
    if rollup.groups:
        lines += [f"## {w('doc.rep.rect_title')}", "", rect_note(rollup, w), ""]
        if rollup.rectifications:
            lines += _table(rect_header(w), rect_rows(rollup, w), {1, 2, 3, 4, 5, 6})
        else:
            lines += [w("doc.rep.rect_none"), ""]
    return "\n".join(lines)


def _group(group: ChecklistRollup, w: Words) -> list[str]:
    versions = w.join(group.versions)
    lines = ["## " + w("doc.rep.group", title=_line(group.title), id=group.checklist_id, versions=_line(versions)), "",
             w("doc.rep.group_counts", branches=group.branches, inspections=group.inspections), "",
             f"### {w('doc.rep.ranking')}", "", rank_basis(group, w), ""]
    if group.carried:
        lines += [w("reinspect.rollup", carried=group.carried, still=group.still_open), ""]
    if group.provisional:
        lines += [provisional_note(group, w), ""]
    if group.ranking:
        lines += _table(ranking_header(group, w), ranking_rows(group, w), {0, 4})
    else:
        lines += [w("doc.rep.no_ranking"), ""]
    if group.unfinished:
        lines += [f"### {w('doc.rep.unfinished')}", ""]
        lines += _table(unfinished_header(group, w), unfinished_rows(group, w))

    lines += [f"### {w('doc.rep.avg_lost') if group.scored else w('doc.rep.avg_failed')}", ""]
    header = ([w("doc.col.section"), w("doc.self.max"), w("doc.rep.col.avg_lost"), w("doc.rep.col.avg_failed"),
               w("doc.rep.col.branches")] if group.scored
              else [w("doc.col.section"), w("doc.rep.col.avg_failed"), w("doc.rep.col.branches")])
    rows = []
    for s in group.sections:
        body = [points_text(s.max), points_text(s.avg_lost)] if group.scored else []
        rows.append([s.title, *body, points_text(s.avg_failed), str(s.branches)])
    lines += _table(header, rows, set(range(1, len(header))))

    lines += [f"### {w('doc.rep.most_failed')}", ""]
    if not group.failed_items:
        lines += [w("doc.none"), ""]
    else:
        header, rows = failed_header(group, w), failed_rows(group, w, code=Code)
        lines += _table(header, rows, {3, 4, 5} if group.scored else {3, 4})

    lines += [f"### {w('doc.rep.trends')}", ""]
    repeated = [t for t in group.trends if len(t.points) > 1]
    if not repeated:
        lines += [w("doc.rep.no_trends"), ""]
    else:
        rows = []
        for trend in repeated:
            history = " → ".join(
                f"{p.header.date} {points_text(p.scores.total) if group.rank_by == 'total' else percent_text(p.scores.percent)}"
                f"{'' if p.scores.final else w('doc.grade_provisional')}" for p in trend.points
            )
            change = signed_text(trend.change) + ("" if group.rank_by == "total" else w("doc.rep.percentage_points"))
            rows.append([named(trend.branch, trend.unit, w), str(len(trend.points)), history, change])
        history_key = "doc.rep.col.history_score" if group.rank_by == "total" else "doc.rep.col.history_rate"
        lines += _table([w("doc.xlsx.col.branch"), w("doc.rep.col.inspections"), w(history_key), w("doc.rep.change")],
                        rows, {1})
    return lines


# -- comparison -------------------------------------------------------------------------------------

def comparison_markdown(c: Comparison, w: Words = ZH) -> str:
    lines = ["# " + w("doc.rep.cmp_title", branch=_line(named(c.new.header.branch, c.new.header.unit, w))), "",
             "- " + w("doc.rep.old", side=_line(side_line(c.old, w))), "- " + w("doc.rep.new", side=_line(side_line(c.new, w))),
             f"- {delta_line(c, w)}"]
    lines += ["- " + w("doc.rep.note", note=_line(w.say(note))) for note in c.notes]
    counts = c.counts
    lines += ["", " · ".join(w("doc.rep.category_count", category=category(k, w), count=counts[k])
                             for k in (*SHOWN, UNCHANGED_PASS, NOT_APPLICABLE)), ""]
    scored = c.old.scores.scored or c.new.scores.scored
    if c.carried:  # a re-inspection: what became of last time's rectifications
        lines += [f"## {w('reinspect.title')}", "", carried_line(c, w), ""]
        lines += _table(carried_header(w), [[Code(row[0]), *row[1:]] for row in carried_rows(c, w)])
    for kind in SHOWN:
        rows = c.of(kind)
        if not rows:
            continue
        lines += [f"## {w('doc.rep.category_heading', category=category(kind, w), count=len(rows))}", ""]
        table = [[Code(row[0]), *row[1:]] for row in (item_row(r, scored, w) for r in rows)]
        lines += _table(item_header(scored, w), table, {4, 5} if scored else set())
    if c.changes:
        lines += [f"## {w('doc.rep.changes')}", "", w("doc.rep.change_note"), ""]
        both = c.old.scores.scored and c.new.scores.scored
        lines += _table(change_header(both, w), change_rows(c, w), {3, 4, 5} if both else {3})
    changed = c.changed_items
    if changed:
        lines += [f"## {w('doc.rep.changed_items', count=len(changed))}", ""]
        rows = [[Code(r.id), r.text, changed_text(r.changed, w), r.old_text or "—"] for r in changed]
        lines += _table([w("doc.col.id"), w("doc.rep.col.item_new"), w("doc.rep.change"), w("doc.rep.col.old_text")],
                        rows)
    lines += [f"## {w('doc.rep.section_changes')}", ""]
    lines += _table(section_header(scored, w), section_rows(c, scored, w), {1, 2, 3})
    return "\n".join(lines)


def render_rollup(rollup: Rollup, lang: str = "zh") -> bytes:
    return rollup_markdown(shown_all(rollup), words(lang)).encode("utf-8")  # the one escape (core/text.py)


def render_comparison(comparison: Comparison, lang: str = "zh") -> bytes:
    return comparison_markdown(shown_all(comparison), words(lang)).encode("utf-8")
