"""The home screen's words (检查记录): its status line, empty state, questions and notices.

Apart from the screen so that home.py reads as behaviour; imported by it, so the keys exist
whenever the screen does. The rows' own words are in widgets/sessions_table.py.
"""

from rich.text import Text

from ...i18n import register, t

register({
    "home.title": ("检查记录", "Inspections"),
    "home.key.new": ("新建", "new"),
    "home.key.reinspect": ("复查", "re-inspect"),
    "home.key.delete": ("删除", "delete"),
    "home.key.compare": ("对比", "compare"),
    "home.key.report": ("统计", "report"),
    "home.compare.none": ("“{branch}”没有更早的检查可以对比", "\"{branch}\" has no earlier inspection to compare with"),
    "home.compare.failed": ("无法对比: {error}", "cannot compare: {error}"),
    "home.key.filter": ("筛选", "filter"),
    "home.key.clear_filter": ("清除筛选", "clear filter"),
    "home.loading": ("正在读取检查记录…", "Reading the sessions…"),
    "home.count": ("共 {count} 条检查记录", "{count} session(s)"),
    "home.filtered": ("筛选“{text}”: {shown} / {count} 条(Esc 清除)", "filter \"{text}\": {shown} of {count} (Esc clears)"),
    "home.no_match": ("没有符合“{text}”的检查记录(Esc 清除筛选)", "nothing matches \"{text}\" (Esc clears the filter)"),
    "home.filter_placeholder": ("筛选: 支部、单位、检查表、日期…(Enter 回到列表,Esc 清除)", "filter: branch, unit, checklist, date… (Enter: back to the list, Esc: clear)"),
    "home.quarantined": (
        "{count} 个检查记录文件无法读取,已移至 {folder}",
        "{count} session file(s) could not be read and were moved to {folder}",
    ),
    "home.quarantined_short": ("⚠ {count} 个文件已隔离", "⚠ {count} file(s) quarantined"),
    "home.list_failed": ("无法读取检查记录: {error}", "could not read the sessions: {error}"),
    "home.empty.title": ("还没有检查记录", "No inspections yet"),
    "home.empty.new": (
        "按 n 新建检查: 选择检查表,填写支部名称、检查人员和日期,然后逐项检查。",
        "Press n to start an inspection: choose the checklist, enter the branch, the inspectors and the date, then check item by item.",
    ),
    "home.empty.try": (
        "想先熟悉一份检查表? 在终端运行 inspect-tui view jiguan (试用,不保存)。",
        "To try a checklist first, run inspect-tui view jiguan in a terminal (a trial, nothing is saved).",
    ),
    "home.empty.list": (
        "可用的检查表: inspect-tui checklists",
        "The available checklists: inspect-tui checklists",
    ),
    "home.empty.where": ("检查记录保存在: {folder}", "Sessions are kept in: {folder}"),
    "home.empty.keys": ("F1 查看按键说明,Ctrl+Q 退出。", "F1 lists the keys, Ctrl+Q quits."),
    "home.reinspect.ask": (
        "复查“{branch}”?将新建一次检查。\n检查表: {checklist} {version}\n{previous}",
        "Re-inspect \"{branch}\"? A new inspection is started.\nchecklist: {checklist} {version}\n{previous}",
    ),
    "home.reinspect.version": ("检查表已更新: {old} → {new}", "the checklist changed: {old} → {new}"),
    "home.reinspect.yes": ("开始复查", "Re-inspect"),
    "home.reinspect.started": ("已开始复查。{previous}", "Re-inspection started. {previous}"),
    "home.reinspect.no_checklist": (
        "找不到检查表 {id},无法复查: {problem}",
        "cannot re-inspect: no checklist {id} ({problem})",
    ),
    "home.delete.ask": (
        "删除这条检查记录?\n{branch} · {date} · {checklist} · {status}\n将移入回收站,可用 inspect-tui restore {id} 恢复。",
        "Delete this inspection?\n{branch} · {date} · {checklist} · {status}\nIt goes to the trash; inspect-tui restore {id} brings it back.",
    ),
    "home.delete.yes": ("删除", "Delete"),
    "home.deleted": (
        "已移入回收站: {path}(可用 inspect-tui restore {id} 恢复)",
        "moved to the trash: {path} (inspect-tui restore {id} brings it back)",
    ),
})


def empty_text(folder: str) -> Text:
    """What the home screen says before the first inspection: how to start, where it is kept."""
    return Text.assemble(
        (t("home.empty.title"), "bold"), "\n\n",
        "• ", t("home.empty.new"), "\n",
        "• ", t("home.empty.try"), "\n",
        "• ", t("home.empty.list"), "\n\n",
        t("home.empty.where", folder=folder), "\n",
        (t("home.empty.keys"), "dim"),
    )
