"""The words of a re-inspection's carried rectifications (复查: the promises of last time, what was
found of them, the confirmation that closes them): core errors, the CLI, the reports and the app.

Parameters are `str.format` fields, the same in both languages (tests/test_texts.py).
"""

from __future__ import annotations

REINSPECT: dict[str, tuple[str, str]] = {
    # -- the core's errors (core/session/reinspect_edits.py) ---------------------------------------
    "err.reinspect.not_carried": ("{item}: 不是上次检查留下的整改事项(只有复查记录带有上次的整改事项)",
                                  "{item}: not a rectification carried from the inspection this one follows"),
    "err.reinspect.already": ("{item}: 已确认整改到位并销号", "{item}: already confirmed and closed"),
    "err.reinspect.not_pass": ("{item}: 复查结果为“{outcome}”,只有复查符合才能确认销号",
                               "{item}: found “{outcome}”; only an item found compliant can be confirmed"),
    "err.reinspect.previous": ("无法在上次检查 {id} 中销号,未作任何修改: {why}",
                               "cannot close it in the earlier inspection {id}, nothing was changed: {why}"),
    # -- outcomes (core/analysis/reinspection.py) ---------------------------------------------------
    "reinspect.outcome.confirmed": ("整改到位(已销号)", "put right (closed)"),
    "reinspect.outcome.to_confirm": ("整改到位(待确认销号)", "put right (awaiting confirmation)"),
    "reinspect.outcome.still_open": ("仍未整改", "still not put right"),
    "reinspect.outcome.pending": ("待复查", "not re-checked yet"),
    # -- the comparison (diff, the app's comparison screen) -----------------------------------------
    "reinspect.title": ("上次整改事项复查", "last time's rectifications, re-checked"),
    "reinspect.counts": ("上次整改事项 {total} 项: 整改到位 {fixed}(已销号 {confirmed},待确认销号 {to_confirm})"
                         " · 仍未整改 {still} · 待复查 {pending}",
                         "{total} rectifications carried: put right {fixed} (closed {confirmed}, awaiting "
                         "confirmation {to_confirm}) · still not put right {still} · not re-checked {pending}"),
    "reinspect.col.finding": ("上次发现问题", "found last time"),
    "reinspect.col.deadline": ("整改期限 · 责任人", "deadline · person"),
    "reinspect.col.report": ("已报整改", "reported"),
    "reinspect.col.outcome": ("复查结果", "re-inspection"),
    "reinspect.doc.col.finding": ("上次发现问题", "Found last time"),
    "reinspect.doc.col.deadline": ("整改期限 · 责任人", "Deadline · person"),
    "reinspect.doc.col.report": ("已报整改", "Reported"),
    "reinspect.doc.col.outcome": ("复查结果", "Re-inspection"),
    "reinspect.no_report": ("未报整改", "not reported"),
    "reinspect.confirmed_by": (",{by} {at} 确认", ", confirmed by {by} {at}"),
    # -- the roll-up report (core/analysis/rollup.py) -----------------------------------------------
    "reinspect.rollup": ("各支部最近一次检查中复查上次整改事项 {carried} 项,其中仍未整改 {still} 项(单独计数)",
                         "the branches' latest inspections re-checked {carried} rectifications of last time; "
                         "{still} still not put right (counted apart)"),
    # -- the CLI (rectify SESSION ITEM --confirm) ---------------------------------------------------
    "reinspect.arg.confirm": ("复查符合,确认销号:在上次检查中将此项整改销号(用于复查记录)",
                              "found compliant: confirm, closing this item's rectification in the earlier inspection"),
    "reinspect.confirm_item": ("--confirm 用于复查记录的一个检查项: rectify 复查记录 检查项 --confirm",
                               "--confirm goes with one item of a re-inspection: rectify SESSION ITEM --confirm"),
    "reinspect.confirm_alone": ("--confirm 不能与其他修改选项同时使用", "--confirm goes alone, without other changes"),
    "reinspect.confirmed": ("{item}: 整改到位,已在上次检查 {id} 中销号(复查确认 {date},{by})",
                            "{item}: put right, closed in the earlier inspection {id} (confirmed {date} by {by})"),
    # -- the app (the inspection screen's detail, the key) ------------------------------------------
    "reinspect.detail": ("上次检查 ({date}): 不符合 · {finding}\n整改期限 {deadline}{person} · {report}\n复查结果: {outcome}",
                         "Last time ({date}): not compliant · {finding}\nDue {deadline}{person} · {report}\n"
                         "Re-inspection: {outcome}"),
    "reinspect.detail.person": (" · 责任人 {name}", " · responsible: {name}"),
    "reinspect.detail.report": ("已报整改: {date} {text}", "reported: {date} {text}"),
    "reinspect.detail.key": (" — 按 X 确认销号", " — press X to confirm it closed"),
    "reinspect.key.confirm": ("确认销号", "Confirm closed"),
    "reinspect.done": ("{item} 已在上次检查中销号(复查确认)", "{item} closed in the earlier inspection (confirmed)"),
}
