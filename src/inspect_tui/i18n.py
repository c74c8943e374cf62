"""Chinese first, English on request (`--lang en` or INSPECT_TUI_LANG=en).

Every user-facing string goes through `t(key, **values)`. The catalogue is a plain dict so that a
missing English form is easy to spot in review and in `tests/test_i18n.py`.
"""

from __future__ import annotations

import os
import re

LANGS = ("zh", "en")
_lang = "zh"

STATE_MARKS = {"pass": "✓", "fail": "✗", "na": "—", "pending": "?", None: "·"}

MESSAGES: dict[str, tuple[str, str]] = {
    # states
    "state.pass": ("符合", "pass"),
    "state.fail": ("不符合", "fail"),
    "state.na": ("不适用", "N/A"),
    "state.none": ("未检查", "unanswered"),
    "state.pending": ("待定", "pending"),
    "detail.pending_on": ("待定:等待基本情况 {facts}", "pending: waiting for the facts {facts}"),
    "detail.findings": ("发现", "Found"),
    "detail.frequency": ("逐期核对:{bound}", "checked period by period: {bound}"),
    # fact types
    "type.integer": ("整数", "integer"),
    "type.number": ("数值", "number"),
    "type.boolean": ("是/否", "yes/no"),
    "type.date": ("日期", "date"),
    "type.choice": ("选项", "choice"),
    "type.text": ("文本", "text"),
    "type.dates": ("日期列表 (会议记录)", "list of dates (meeting records)"),
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
    "cli.internal": ("内部错误({error});设置 INSPECT_TUI_DEBUG=1 可查看详细信息", "internal error ({error}); set INSPECT_TUI_DEBUG=1 for details"),
    "cli.interrupted": ("已中断", "interrupted"),
    "cli.sessions_dir": ("检查记录所在文件夹(默认为用户数据文件夹,或 $INSPECT_TUI_SESSIONS)", "the sessions folder (default: the user data folder, or $INSPECT_TUI_SESSIONS)"),
    "cli.cmd.new": ("新建检查记录,输出其编号", "start a new inspection session and print its id"),
    "cli.cmd.mark": ("记录一个检查项的结果", "record one item's answer"),
    "cli.cmd.fact": ("录入一项基本情况", "enter one of the branch's facts"),
    "cli.cmd.import_answers": ("导入检查结果文件(如支部自查)", "import an answers file (e.g. a self-assessment)"),
    "cli.cmd.list": ("列出检查记录", "list the sessions"),
    "cli.cmd.show": ("显示检查记录及其得分", "show a session and its score"),
    "cli.cmd.log": ("显示检查记录的修改记录", "show a session's audit trail"),
    "cli.cmd.serve": ("在浏览器中使用(仅本机可访问)", "serve the app to a browser on this computer only"),
    "cli.arg.port": ("端口(默认 8000)", "port (default 8000)"),
    "cli.bad_port": ("端口应为 1–65535 的整数: {value}", "a port is a whole number from 1 to 65535: {value}"),
    "serve.missing": ("浏览器模式需要 textual-serve: pip install 'inspect-tui[serve]'", "the browser mode needs textual-serve: pip install 'inspect-tui[serve]'"),
    "serve.listening": ("在浏览器中打开 {url} (仅本机可访问;Ctrl+C 停止)", "open {url} in a browser (this computer only; Ctrl+C stops)"),
    "cli.cmd.open": ("在界面中打开检查记录", "open a session in the app"),
    "cli.cmd.finish": ("标记检查完成", "mark a session finished"),
    "cli.cmd.reopen": ("重新打开已完成的检查", "reopen a finished session"),
    "cli.cmd.delete": ("删除检查记录(移入回收站)", "delete a session (to the trash)"),
    "cli.cmd.restore": ("从回收站恢复检查记录", "restore a session from the trash"),
    "cli.cmd.reinspect": ("对同一支部开始复查", "start a re-inspection of the same branch"),
    "cli.cmd.export": ("导出检查汇总或整改通知书(md、csv、json、xlsx、docx、html)", "export a summary or a rectification notice (md, csv, json, xlsx, docx, html)"),
    "cli.arg.sessions": ("检查记录编号或其唯一前缀(可多个)", "session ids or unambiguous prefixes (one or more)"),
    "cli.arg.format": ("格式: md(默认)、csv、json、xlsx、docx、html;不指定时按 -o 的扩展名", "format: md (default), csv, json, xlsx, docx or html; without it, from the -o file's extension"),
    "cli.arg.what": ("summary 检查汇总(默认)或 rectification 整改通知书", "summary (default) or rectification (the notice of what to put right)"),
    "cli.arg.no_selfcheck": ("检查汇总中不附自查与检查对照(默认附上已附加的自查结果)",
                             "leave the self-assessment comparison out of the summary (included by default when attached)"),
    "cli.arg.output": ("输出文件或文件夹(默认当前文件夹,按支部和日期命名,不覆盖已有文件)", "output file or folder (default: the current folder, named from branch and date, never replacing a file)"),
    "cli.arg.session": ("检查记录编号或其唯一前缀", "session id or an unambiguous prefix"),
    "cli.arg.inspector": ("检查人员姓名", "the inspector's name"),
    "cli.arg.inspectors": ("检查人员姓名(可重复,或用逗号分隔)", "inspector names (repeat, or separate with commas)"),
    "cli.arg.branch": ("被检查的党支部名称", "the branch inspected"),
    "cli.arg.unit": ("所属单位", "the unit it belongs to"),
    "cli.arg.session_date": ("检查日期 YYYY-MM-DD(默认今天)", "inspection date YYYY-MM-DD (default today)"),
    "cli.arg.place": ("检查地点", "where the inspection takes place"),
    "cli.arg.open": ("创建后在界面中打开", "open it in the app once created"),
    "cli.arg.item": ("检查项标识", "item id"),
    "cli.arg.state": ("pass 符合, fail 不符合, na 不适用, clear 清除", "pass, fail, na (not applicable) or clear"),
    "cli.arg.count": ("计数(按个数扣分的条款)", "count, for per-instance rules"),
    "cli.arg.note": ("备注", "note"),
    "cli.arg.override": ("手动扣分的分数(须同时给出 --reason)", "manual deduction in points (needs --reason)"),
    "cli.arg.reason": ("手动扣分的理由", "the reason for a manual deduction"),
    "cli.arg.fact": ("基本情况项标识", "fact id"),
    "cli.arg.value": ("值(是/否、数字、YYYY-MM-DD、选项或文本;空字符串清除)", "value (yes/no, a number, YYYY-MM-DD, a choice or text; empty clears)"),
    "cli.arg.force": ("有未检查项也完成", "finish even with unanswered items"),
    "cli.bad_count": ("计数应为 0 或正整数: {value}", "a count is a whole number, 0 or more: {value}"),
    "cli.arg.confirm_previous": (
        "复查: 确认上次检查的基本情况未变,按上次的值录入(列出基本情况项;不列则确认全部尚未录入的)",
        "re-inspection: confirm last time's facts are unchanged and enter them (the facts named; none named: every one not yet entered)",
    ),
    "session.fact_usage": ("用法: fact SESSION FACT VALUE,或 fact SESSION --confirm-previous [FACT…]",
                           "usage: fact SESSION FACT VALUE, or fact SESSION --confirm-previous [FACT…]"),
    "session.not_reinspection": ("{id} 不是复查,没有上次的基本情况", "{id} is not a re-inspection: there are no facts from last time"),
    "session.confirmed": ("已按上次录入 {count} 项基本情况", "entered {count} facts as last time"),
    "session.locked": ("只读,无法修改", "read-only, cannot change it"),
    "session.bad_state": ("状态应为 pass、fail、na 或 clear: {state}", "state must be pass, fail, na or clear: {state}"),
    "session.imported": ("已导入 {count} 项到 {id}", "imported {count} entries into {id}"),
    "session.folder": ("检查记录文件夹: {folder}", "sessions folder: {folder}"),
    "session.none": ("还没有检查记录。用 inspect-tui new --checklist ID --branch 名称 开始。", "No sessions yet. Start one with inspect-tui new --checklist ID --branch NAME."),
    "session.meta": ("编号 {id} · 日期 {date} · {status} · 检查人员 {inspectors}", "id {id} · date {date} · {status} · inspectors {inspectors}"),
    "session.newer": ("提示: 检查表已有新版本 {version};本次检查按开始时的版本计分。", "note: a newer version {version} of the checklist exists; this session keeps the version it began with."),
    "session.finished": ("{id} 已完成", "{id} finished"),
    "session.reopened": ("{id} 已重新打开", "{id} reopened"),
    "session.deleted": ("已移入回收站: {path}", "moved to the trash: {path}"),
    "session.restored": ("已恢复 {id}", "restored {id}"),
    "status.in_progress": ("进行中", "in progress"),
    "status.finished": ("已完成", "finished"),
    "col.branch": ("支部", "branch"),
    "col.checklist": ("检查表", "checklist"),
    "col.date": ("日期", "date"),
    "col.progress": ("进度", "progress"),
    "col.grade": ("等次", "grade"),
    "col.status": ("状态", "status"),
    "col.updated": ("最后修改", "last change"),
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
    "score.passed": ("符合 {passed} 项 / 适用 {applicable} 项", "passed {passed} / applicable {applicable} items"),
    "score.provisional": ("暂定 ", "provisional "),
    "score.grade": ("等次 {grade}", "grade {grade}"),
    "score.counts": (
        "符合 {pass} · 不符合 {fail} · 不适用 {na} · 未检查 {unanswered}",
        "pass {pass} · fail {fail} · N/A {na} · unanswered {unanswered}",
    ),
    "score.failed_items": ("不符合项", "failed items"),
    "score.found": ("发现: {finding}", "found: {finding}"),
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
    "dialog.ok": ("确定", "OK"),
    "dialog.cancel": ("取消", "Cancel"),
    "dialog.yes": ("是", "Yes"),
    "dialog.no": ("否", "No"),
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
    "key.help": ("帮助", "help"),
    "trial.branch": ("试用(不保存)", "trial (not saved)"),
    "session.read_only": ("只读打开:{holder}", "opened read-only: {holder}"),
    "detail.state": ("状态", "state"),
    "detail.guidance": ("评价内容", "guidance"),
    "detail.rules": ("扣分条款", "deduction rules"),
    "detail.source": ("依据", "source"),
    "detail.deduction": ("扣分 {points}", "deducted {points}"),
    "detail.one_of": ("(择一)", "(one of)"),
    "detail.replaced": ("已由手动扣分替代", "replaced by the manual deduction"),
    "key.palette": ("命令", "commands"),
    "palette.placeholder": ("搜索命令…(如 汇总、导出、跳转、筛选)", "Search for commands…"),
    "detail.when": ("条件:", "when:"),
    "detail.failed_clauses": ("不符合的条款", "clauses not met"),
}


def register(messages: dict[str, tuple[str, str]]) -> None:
    """Add a module's own strings (each key once: a clash is a bug, so it fails loudly)."""
    clash = set(messages) & set(MESSAGES)
    if clash and any(MESSAGES[k] != messages[k] for k in clash):
        raise KeyError(f"message keys defined twice: {sorted(clash)}")
    MESSAGES.update(messages)


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


def label(text: str) -> str:
    """A key's label in the current language. Bindings are made when a screen's module is imported,
    in the language of that moment; the footer and the help screen say them through this, so a label
    follows --lang (or a test's set_lang) whenever the module was imported."""
    global _english, _english_from
    if _lang != "en":
        return text
    if _english_from != len(MESSAGES):  # built once, and again after a module registers more
        # One Chinese label may stand for several messages: key labels ("key.…") first, then by
        # message key, so the choice never depends on which modules happen to be imported.
        ordered = sorted(MESSAGES.items(), key=lambda item: (not item[0].startswith("key."), item[0]))
        _english = {}
        for _key, (zh, en) in ordered:
            _english.setdefault(zh, en)
        _english_from = len(MESSAGES)
    return _english.get(text, text)


_english: dict[str, str] = {}  # Chinese label → English
_english_from = 0  # how many messages it was built from


_BILINGUAL = re.compile(r"^(?P<zh>.*[\u4e00-\u9fff][^()]*?) \((?P<en>[^()]*[A-Za-z][^()]*)\)$", re.S)


def localize(message: str) -> str:
    """The core's one-line messages read "中文 (English)": keep the part for the current language."""
    match = _BILINGUAL.match(message.strip())
    if not match:
        return message
    if _lang != "en":
        return match["zh"]
    # "3f9a: 检查已完成 (finished)": the name before the Chinese belongs to both languages
    head = re.match(r"^([^\u4e00-\u9fff]*: )", match["zh"])
    return (head.group(1) if head else "") + match["en"]


def state_label(state: str | None) -> str:
    return t(f"state.{state or 'none'}")
