"""Terminal text for `inspect-tui diff` and `inspect-tui selfcheck --show`, in the interface's language.

The files (Markdown, HTML, Excel) are documents in Chinese; what is printed to a terminal follows
`--lang`, so every label here goes through `t()`. Tables line up with Chinese text (text.table).
"""

from __future__ import annotations

from ..core.analysis.compare import Comparison, ItemChange
from ..core.analysis.results import Scores, ScoredSession
from ..core.export.report_common import SHOWN as LISTED, named  # the categories listed item by item
from ..core.analysis.selfcheck import SelfComparison
from ..i18n import t
from ..i18n_reports import change_unit as _unit, comparison_notes as _notes, state_word as _state
from ..i18n_reports import change_cells, change_remark, change_states, delta_words, score_words, section_cells, shown_categories
from ..i18n_reports import carried_cells, carried_header, carried_line, side_words
from ..core.numbers import points_text as num
from .text import table
from ..core.numbers import signed_text



def _side(side: ScoredSession) -> str:
    return (f"{side.header.date} · {side.header.id} · {side.header.checklist_id} {side.header.checklist_version} · "
            f"{side_words(side)} · {t('status.' + side.header.status)}")


def print_comparison(c: Comparison) -> None:
    print(named(c.new.header.branch, c.new.header.unit))
    print(f"{t('diff.old')}: {_side(c.old)}")
    print(f"{t('diff.new')}: {_side(c.new)}")
    label, figure = delta_words(c)
    print(f"{label}: {figure}")
    for note in _notes(c):
        print(f"{t('diff.note')}: {note}")
    counts = c.counts
    print(" · ".join(f"{t('diff.cat.' + k)} {counts[k]}" for k in shown_categories(c)))
    if c.carried:
        print(carried_line(c))
    scored = c.old.scores.scored or c.new.scores.scored
    if c.carried:
        print()
        print(t("reinspect.title"))
        print(table(carried_header(), carried_cells(c)))
    for category in LISTED:
        rows = c.of(category)
        if not rows:
            continue
        print()
        print(f"{t('diff.cat.' + category)} ({len(rows)})")
        header = [t("col.id"), t("diff.col.item"), t("diff.col.states")]
        header += [t("diff.col.lost_old"), t("diff.col.lost_new")] if scored else []
        print(table(header + [t("diff.col.remark")], [_row(r, scored) for r in rows]))
    if c.changes:
        print()
        print(t("diff.changes"))
        print(table(*change_cells(c)))
    print()
    print(t("diff.sections"))
    rows = [[s.title, *section_cells(s, scored)] for s in c.sections]
    print(table([t("diff.col.section"), t("diff.col.old"), t("diff.col.new"), t("diff.col.change")], rows))


def _row(r: ItemChange, scored: bool) -> list[str]:
    row = [r.id, r.text, change_states(r)]
    row += [num(r.old_deducted), num(r.new_deducted)] if scored else []
    return row + [change_remark(r)]


# -- self-assessment --------------------------------------------------------------------------------

def _scores(scores: Scores, scored: bool) -> str:
    return score_words(scores.total, scores.max, scores.percent, scores.grade)


def selfcheck_headline(c: SelfComparison) -> str:
    """自查 26 / 28 · 检查 20 / 28 · 差值 +6 · 不一致 4 项 — one line, after attaching."""
    return (f"{t('selfcheck.self')} {_scores(c.self_scores, c.scored)} · {t('selfcheck.inspection')} "
            f"{_scores(c.inspection, c.scored)} · {t('selfcheck.delta')} {signed_text(c.delta)} · "
            f"{t('selfcheck.agree', agree=c.agreeing, differ=len(c.differences))}")


def print_selfcheck(c: SelfComparison) -> None:
    branch = f"{c.header.branch}({c.header.unit})" if c.header.unit else c.header.branch
    print(f"{branch} · {c.header.id} · {c.header.checklist_id} {c.header.checklist_version}")
    source = t("selfcheck.source", name=c.source_name, when=c.attached_at)
    print(table(["", t("col.score"), ""], [
        [t("selfcheck.self"), _scores(c.self_scores, c.scored), source],
        [t("selfcheck.inspection"), _scores(c.inspection, c.scored), ""],
    ]))
    print(f"{t('selfcheck.delta')}: {signed_text(c.delta)}{_unit(c.scored) if c.delta is not None else ''}")
    print(t("selfcheck.agree", agree=c.agreeing, differ=len(c.differences)))
    if not c.differences:
        return
    header = [t("selfcheck.col.kind"), t("col.id"), t("diff.col.item"), t("selfcheck.self"), t("selfcheck.inspection")]
    header += [t("selfcheck.col.self_lost"), t("selfcheck.col.lost")] if c.scored else []
    rows = []
    for d in c.differences:
        row = [t("selfcheck.kind." + d.kind), d.id, d.text, _state(d.self_state), _state(d.inspection_state)]
        row += [num(d.self_deducted), num(d.inspection_deducted)] if c.scored else []
        rows.append(row)
    print()
    print(table(header, rows))
