"""Chinese first, English on request (`--lang en` or INSPECT_TUI_LANG=en).

Every user-facing string goes through `t(key, **values)`. The catalogue is a plain dict so that a
missing English form is easy to spot in review and in `tests/test_i18n.py`.
"""

from __future__ import annotations

import os

LANGS = ("zh", "en")
_lang = "zh"

STATE_MARKS = {"pass": "✓", "fail": "✗", "na": "—", None: "·"}

MESSAGES: dict[str, tuple[str, str]] = {
    # states
    "state.pass": ("符合", "pass"),
    "state.fail": ("不符合", "fail"),
    "state.na": ("不适用", "N/A"),
    "state.none": ("未检查", "unanswered"),
    # fact types
    "type.integer": ("整数", "integer"),
    "type.number": ("数值", "number"),
    "type.boolean": ("是/否", "yes/no"),
    "type.date": ("日期", "date"),
    "type.choice": ("选项", "choice"),
    "type.text": ("文本", "text"),
    # cli
    "cli.description": (
        "党支部规范化/标准化建设现场检查工具。不带子命令时打开界面。",
        "On-site inspections of Party branches against published standards. Without a command it opens the app.",
    ),
    "cli.lang": ("界面语言 (zh 中文, en 英文)", "language of the interface (zh Chinese, en English)"),
    "cli.version": ("显示版本并退出", "show the version and exit"),
    "cli.json": ("以 JSON 输出", "print JSON"),
    "cli.checklists_dir": ("另外查找检查表的文件夹(可重复)", "another folder to look for checklists in (repeatable)"),
    "cli.cmd.checklists": ("列出可用的检查表", "list the available checklists"),
    "cli.cmd.describe": ("显示检查表的结构与基本情况项", "show a checklist's items and facts"),
    "cli.cmd.score": ("按检查结果文件计分", "score an answers file"),
    "cli.cmd.validate": ("校验检查表文件", "validate checklist files"),
    "cli.cmd.view": ("在界面中浏览检查表并试算(不保存)", "browse a checklist in the app and try scoring it (nothing is saved)"),
    "cli.arg.checklist": ("检查表 id 或文件路径", "checklist id or file path"),
    "cli.arg.answers": ("检查结果文件 (YAML 或 JSON)", "answers file (YAML or JSON)"),
    "cli.arg.date": ("检查日期 YYYY-MM-DD(默认今天或文件中的 inspection_date)", "inspection date YYYY-MM-DD (default: the file's inspection_date, else today)"),
    "cli.arg.files": ("检查表文件", "checklist files"),
    "cli.error": ("错误", "error"),
    "cli.see_help": ("运行 inspect-tui --help 查看用法", "run inspect-tui --help for usage"),
    "cli.bad_date": ("日期格式应为 YYYY-MM-DD: {value}", "a date must be YYYY-MM-DD: {value}"),
    "cli.valid": ("{path}: 有效 ({leaves} 个检查项)", "{path}: valid ({leaves} items)"),
    "cli.invalid_summary": ("{bad} 个文件有问题,共 {count} 处", "{bad} file(s) with {count} problem(s)"),
    "cli.no_checklists": ("没有找到检查表", "no checklists found"),
    "cli.interrupted": ("已中断", "interrupted"),
    # tables and reports
    "col.id": ("标识", "id"),
    "col.title": ("名称", "title"),
    "col.version": ("版本", "version"),
    "col.items": ("检查项", "items"),
    "col.max": ("满分", "max"),
    "col.complete": ("完整", "complete"),
    "col.path": ("文件", "file"),
    "col.lost": ("扣分", "lost"),
    "col.score": ("得分", "score"),
    "col.state": ("状态", "state"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unscored": ("不计分", "unscored"),
    "incomplete": ("原文不完整", "incomplete source"),
    "score.total": ("总分 {total} / {max}", "score {total} / {max}"),
    "score.deducted": ("扣分 {deducted}", "deducted {deducted}"),
    "score.bonus": ("加分 {bonus}", "bonus {bonus}"),
    "score.passed": ("符合 {passed} / 适用 {applicable} ({percent}%)", "passed {passed} / applicable {applicable} ({percent}%)"),
    "score.grade": ("等次 {grade}", "grade {grade}"),
    "score.counts": (
        "符合 {pass} · 不符合 {fail} · 不适用 {na} · 未检查 {unanswered}",
        "pass {pass} · fail {fail} · N/A {na} · unanswered {unanswered}",
    ),
    "score.failed_items": ("不符合项", "failed items"),
    "score.pending": ("待录入基本情况: {facts}", "facts still needed: {facts}"),
    "score.warnings": ("提醒", "warnings"),
    "score.vetoed": ("一票否决: {items}", "vetoed by: {items}"),
    "score.capped": ("(扣至本项分值为止)", "(stopped at the item's points)"),
    "score.capped_at": ("(“{item}”扣至其分值 {points} 分为止)", "(\"{item}\" stops at its {points} points)"),
    "score.override": ("手动扣分", "manual deduction"),
    "score.incomplete_standard": ("注意: 本检查表的原文不完整 — {note}", "note: this checklist's source is incomplete — {note}"),
    "describe.facts": ("基本情况", "facts"),
    "describe.sections": ("检查项", "items"),
    "describe.points": ("{points}分", "{points} pts"),
    "describe.computed": ("自动判定", "computed"),
    # app
    "key.quit": ("退出", "quit"),
    "key.pass": ("符合", "pass"),
    "key.fail": ("不符合", "fail"),
    "key.na": ("不适用", "N/A"),
    "key.cycle": ("切换", "cycle"),
    "key.clear": ("清除", "clear"),
    "key.down": ("下一项", "down"),
    "key.up": ("上一项", "up"),
    "key.back": ("返回", "back"),
    "key.open": ("打开", "open"),
    "home.hint": (
        "选择一份检查表,按 Enter 打开浏览并试算。按 Ctrl+Q 退出。",
        "Choose a checklist and press Enter to browse it and try scoring. Ctrl+Q quits.",
    ),
    "home.subtitle": ("检查表", "checklists"),
    "view.not_saved": ("试算,不保存", "trial, not saved"),
    "view.not_leaf": ("请在末级检查项上标记", "mark the sub-items, not the group"),
    "detail.state": ("状态", "state"),
    "detail.guidance": ("评价内容", "guidance"),
    "detail.rules": ("扣分条款", "deduction rules"),
    "detail.source": ("依据", "source"),
    "detail.deduction": ("扣分 {points}", "deducted {points}"),
    "detail.one_of": ("(择一)", "(one of)"),
    "detail.when": ("条件:", "when:"),
}


def set_lang(lang: str | None) -> str:
    """Choose the language; None means $INSPECT_TUI_LANG, else Chinese."""
    global _lang
    chosen = (lang or os.environ.get("INSPECT_TUI_LANG") or "zh").lower()
    _lang = chosen if chosen in LANGS else "zh"
    return _lang


def lang() -> str:
    return _lang


def t(key: str, **values: object) -> str:
    zh, en = MESSAGES[key]
    text = en if _lang == "en" else zh
    return text.format(**values) if values else text


def state_label(state: str | None) -> str:
    return t(f"state.{state or 'none'}")
