"""The inspection screen's words: its notices, filter names and key labels (registered on import)."""

from ....i18n import register

register({
    "insp.passed_computed": (
        "已跳过 {n} 项由基本情况自动判定(f 录入基本情况)",
        "passed over {n} item(s) decided by the facts (f: facts)",
    ),
    "insp.computed_pending": (
        "本项由基本情况自动判定,不能手动标记;待定:等待 {facts}(f 录入)",
        "decided by the facts, not by a mark; pending: waiting for {facts} (f to enter them)",
    ),
    "insp.marked_pending": (
        "已记下,但本项待定:是否适用要看 {facts}(f 录入)",
        "kept, but pending: whether it applies depends on {facts} (f to enter)",
    ),
    "insp.computed_state": (
        "本项由基本情况自动判定({state}),不能手动标记;需扣分时按 o 手动扣分",
        "decided by the facts ({state}), not by a mark; o enters a manual deduction",
    ),
    "insp.tab_item": ("检查项", "Item"),
    "insp.tab_facts": ("基本情况", "Facts"),
    "insp.tab_hint": ("f 切换", "f switches"),
    "insp.search": ("搜索检查项(Enter 确定,Esc 取消)", "search items (Enter to keep, Esc to clear)"),
    "insp.filter.all": ("全部", "all"),
    "insp.filter.unanswered": ("未检查", "unanswered"),
    "insp.filter.failed": ("不符合", "failed"),
    "insp.filter.notes": ("有备注", "with notes"),
    "insp.filter_now": ("筛选: {name}", "filter: {name}"),
    "insp.none_left": ("没有未检查的项目了", "no unanswered items left"),
    "insp.nothing_to_undo": ("没有可撤销的修改", "nothing to undo"),
    "insp.undone": ("已撤销: {what}", "undone: {what}"),
    "insp.group": ("请在末级检查项上标记", "mark the sub-items, not the group"),
    "insp.save_failed": ("保存失败,修改保留在内存中,将自动重试: {error}", "saving failed; the change is kept in memory and will be retried: {error}"),
    "insp.no_match": ("没有匹配的检查项", "no matching items"),
    "insp.no_count": ("本项没有按个数扣分的条款,无需计数", "this item has no per-instance rule: no count needed"),
    "insp.no_points": ("本项及其上级均无分值,不能手动扣分", "no points here or above to deduct from"),
    "key.mark_pass": ("符合", "pass"),
    "key.mark_fail": ("不符合", "fail"),
    "key.mark_na": ("不适用", "N/A"),
    "key.next_open": ("下一未检", "next open"),
    "key.prev_open": ("上一未检", "prev open"),
    "key.note": ("备注", "note"),
    "key.count": ("计数", "count"),
    "key.evidence": ("证据", "evidence"),
    "key.override": ("手动扣分", "override"),
    "key.facts": ("基本情况", "facts"),
    "key.search": ("搜索", "search"),
    "key.filter": ("筛选", "filter"),
    "key.jump": ("跳转大项", "jump"),
    "key.undo": ("撤销", "undo"),
    "key.summary": ("汇总", "summary"),
})
