"""The command line's words (cli/): help, messages, errors of the arguments.

Parameters are `str.format` fields, the same in both languages (tests/test_texts.py).
"""

from __future__ import annotations

CLI: dict[str, tuple[str, str]] = {
    # -- cli.main ------------------------------------------------------------------------------------
    "cli.exports_dir": ("导出文件所在文件夹(默认为“文档”文件夹下的 inspect-tui,或 $INSPECT_TUI_EXPORTS)",
                        "the exports folder (default: inspect-tui in your documents folder, or $INSPECT_TUI_EXPORTS)"),
    "cli.arg.force_output": ("覆盖已存在的输出文件", "replace an output file that already exists"),
    "cli.bad_argv": ("参数含有无效编码(不是 UTF-8 文字): {arg}", "an argument is not valid text (not UTF-8): {arg}"),
    # -- cli.targets ---------------------------------------------------------------------------------
    "targets.exists": ("已存在 {path},加 --force 覆盖", "{path} already exists; add --force to replace it"),
    "targets.no_folder": ("文件夹不存在: {path}(不会自动创建)", "no such folder: {path}; it is not created for you"),
    "targets.not_folder": ("{path} 是文件,不是文件夹", "{path} is a file, not a folder"),
    # -- cli.commands --------------------------------------------------------------------------------
    "col.standing": ("说明", "status"),
    "catalog.replaces": ("代替内置的 {name}", "used instead of the bundled {name}"),
    "catalog.used_instead": ("未使用,由 {path} 代替", "not used: {path} is used instead"),
    "cli.warning": ("警告", "warning"),
    # -- cli.export_command --------------------------------------------------------------------------
    "export_cmd.bad_format": ("未知格式 {format}(可用: {known})", "unknown format {format} (known: {known})"),
    "export_cmd.need_folder": (
        "导出多个检查记录时 -o 应为文件夹(或 --format xlsx 时的一个 .xlsx 文件): {path}",
        "with several sessions, -o must be a folder (or, with --format xlsx, one .xlsx file): {path}",
    ),
    "export_cmd.cannot_write": ("无法写入 {path}: {reason}", "cannot write {path}: {reason}"),
    "export_cmd.disk_error": ("写入 {path} 失败: {reason}", "writing {path} failed: {reason}"),
    "export_cmd.replaced": ("已覆盖原有文件: {path}", "replaced the existing file: {path}"),
    # -- cli.serve -----------------------------------------------------------------------------------
    "serve.port_in_use": ("端口 {port} 已被占用,请用 --port 换一个", "port {port} is in use; choose another with --port"),
    "serve.port_denied": ("不能使用端口 {port}: {reason}", "cannot use port {port}: {reason}"),
    # -- cli.report_command --------------------------------------------------------------------------
    "report.cmd": ("汇总多个检查记录: 支部排名、常见不符合项、各大项平均扣分、历次检查变化",
                   "roll up many sessions: branch ranking, most failed items, points lost per section, trends"),
    "report.arg.sessions": ("只汇总这些检查记录(编号或唯一前缀;默认全部)", "only these sessions (ids or prefixes; default all)"),
    "report.arg.checklist": ("只汇总使用此检查表的记录", "only sessions of this checklist id"),
    "report.arg.since": ("只汇总此日期(含)以后的检查 YYYY-MM-DD", "only inspections on or after this date YYYY-MM-DD"),
    "report.arg.unit": ("只汇总此所属单位的支部", "only branches of this unit"),
    "report.arg.format": ("输出格式(默认 md)", "output format (default md)"),
    "report.arg.output": ("写入文件或文件夹(xlsx 必须指定)", "write to this file or folder (required for xlsx)"),
    "report.needs_output": ("{fmt} 格式需要用 -o 指定输出文件", "the {fmt} format needs -o FILE"),
    "report.written": ("已写入 {path}", "written to {path}"),
    "report.no_checklist": ("没有使用检查表 {id} 的检查记录(现有: {known})", "no session uses checklist {id} (in use: {known})"),
    "report.no_unit": ("没有所属单位为 {unit} 的检查记录(现有: {known})", "no session of unit {unit} (units: {known})"),
    "report.none": ("无", "none"),
    "report.list_sep": ("、", ", "),
    "report.file_name": ("检查汇总报告_{date}", "report_{date}"),
    "diff.file_name": ("复查对比_{branch}_{date}", "comparison_{branch}_{date}"),
    "diff.cmd": ("对比同一支部的两次检查: 已整改、仍不符合、新发现不符合、未检查,及各大项得分变化",
                 "compare two inspections of a branch: fixed, still failing, newly failing, not checked, and the score per section"),
    "diff.arg.old": ("原检查记录(编号或唯一前缀)", "the earlier session (id or prefix)"),
    "diff.arg.new": ("本次检查记录(编号或唯一前缀)", "the later session (id or prefix)"),
    "diff.arg.format": ("输出格式(默认为终端文本)", "output format (default: text for the terminal)"),
    "diff.arg.force": ("不同支部或不同检查表也对比;覆盖已存在的 -o 文件",
                       "compare even different branches or standards; replace an existing -o file"),
    "diff.not_same": ("{what}不同({old} / {new}),对比没有意义;确需对比请加 --force",
                      "different {what} ({old} / {new}): the comparison would mean nothing; add --force to compare anyway"),
    "diff.branch": ("支部", "branches"),
    "diff.checklist": ("检查表", "standards"),
    "report.arg.force": ("覆盖已存在的 -o 文件", "replace an existing -o file"),
    "selfcheck.cmd": ("附加支部自查结果,或对照显示自查与检查(--show)",
                      "attach a branch's self-assessment, or show it beside the inspection (--show)"),
    "selfcheck.arg.file": ("自查结果文件 (YAML 或 JSON,格式同检查结果文件)", "the self-assessment answers file (YAML or JSON, as an answers file)"),
    "selfcheck.arg.show": ("对照显示自查与检查的得分及不一致的检查项", "show both scores side by side and the items where they differ"),
    "selfcheck.need_file": ("请给出自查结果文件,或用 --show 查看", "give a self-assessment file, or --show to see the one attached"),
    "selfcheck.attached": ("已将自查结果附加到 {id}: {path}", "self-assessment attached to {id}: {path}"),
    "selfcheck.replaced": ("(替换了 {when} 附加的 {name})", "(replacing {name}, attached {when})"),
    "selfcheck.none": ("{id} 没有附加自查结果(用 inspect-tui selfcheck {id} FILE 附加)",
                       "{id} has no self-assessment attached (attach one with inspect-tui selfcheck {id} FILE)"),
    # -- cli.bundle_command --------------------------------------------------------------------------
    "bundle.cmd.bundle": ("把检查记录打包成一个文件,带到另一台电脑导入", "write sessions to one bundle file, to import on another laptop"),
    "bundle.cmd.import": (
        "导入检查记录包:新的检查记录直接加入,已有的按修改记录合并",
        "import bundles: new sessions are added, known ones merged from their audit trails",
    ),
    "bundle.arg.sessions": ("检查记录编号或其唯一前缀(可多个)", "session ids or unambiguous prefixes"),
    "bundle.arg.output": ("要写入的检查记录包文件", "the bundle file to write"),
    "bundle.arg.all": ("打包全部检查记录", "bundle every session"),
    "bundle.arg.files": ("检查记录包文件", "bundle files"),
    "bundle.need_sessions": ("请指定要打包的检查记录,或使用 --all", "name the sessions to bundle, or use --all"),
    "bundle.not_both": ("指定检查记录与 --all 只能二选一", "name sessions or use --all, not both"),
    "bundle.wrote_session": ("  {id}  {branch}  {status}  {entries} 条修改记录", "  {id}  {branch}  {status}  {entries} audit entries"),
    "bundle.wrote": ("已将 {count} 个检查记录写入 {path}", "wrote {count} session(s) to {path}"),
    "bundle.nothing_imported": ("{error};未导入任何内容", "{error}; nothing was imported"),
    "bundle.file": ("{path}:", "{path}:"),
    "bundle.added": ("  {id}  {branch}: 已新增", "  {id}  {branch}: added"),
    "bundle.merged": ("  {id}  {branch}: 已合并 ({changes} 处修改,{conflicts} 处冲突)", "  {id}  {branch}: merged ({changes} changes, {conflicts} conflicts)"),
    "bundle.unchanged": ("  {id}  {branch}: 无变化", "  {id}  {branch}: unchanged"),
    "bundle.refused": ("  {id}  {branch}: 未导入 — {reason}", "  {id}  {branch}: refused — {reason}"),
    "bundle.conflict": (
        "    冲突 {field}: 采用{kept_side}的 {kept} ({kept_by} {kept_at}),未采用{lost_side}的 {lost} ({lost_by} {lost_at},仍在修改记录中)",
        "    conflict {field}: kept {kept_side}'s {kept} ({kept_by} {kept_at}), not {lost_side}'s {lost} ({lost_by} {lost_at}, still in the audit trail)",
    ),
    "bundle.item_conflict": (
        "    冲突 {item}: 两边改了同一检查项的不同字段,均已保留 — {local_side}的 {local} ({local_by} {local_at}),"
        "{bundle_side}的 {bundle} ({bundle_by} {bundle_at});合并后的结果两边都未见过,请复核",
        "    conflict {item}: same item, different fields, both kept — {local_side}'s {local} ({local_by} {local_at}), "
        "{bundle_side}'s {bundle} ({bundle_by} {bundle_at}); neither laptop has seen the combination, review it",
    ),
    "bundle.selfcheck.added": ("    自查结果: 已加入 {name} ({by} {at} 附加)", "    self-assessment: added {name} (attached by {by} {at})"),
    "bundle.selfcheck.replaced": (
        "    自查结果: 本机的 {other_name} ({other_by} {other_at} 附加) 已被检查记录包中较晚附加的 {name} ({by} {at}) 替换",
        "    self-assessment: this laptop's {other_name} (attached by {other_by} {other_at}) replaced by the bundle's, attached later: {name} ({by} {at})",
    ),
    "bundle.selfcheck.kept": (
        "    自查结果: 保留本机较晚附加的 {name} ({by} {at});检查记录包中的 {other_name} ({other_by} {other_at} 附加) 未采用",
        "    self-assessment: kept this laptop's, attached later: {name} ({by} {at}); the bundle's {other_name} (attached by {other_by} {other_at}) not taken",
    ),
    "bundle.side.local": ("本机", "this laptop"),
    "bundle.side.bundle": ("检查记录包", "the bundle"),
    "bundle.finished": (
        "    注意: {sides}上此检查已完成;合并后状态: {status};合并进来的修改已计入结果,请复核",
        "    note: finished on {sides}; status after the merge: {status}; the merged changes count in its result, review them",
    ),
    "bundle.none": ("{folder} 中没有检查记录", "no sessions in {folder}"),
    "bundle.and": ("和", " and "),
    "bundle.summary": (
        "新增 {added},合并 {merged},无变化 {unchanged},未导入 {refused}",
        "added {added}, merged {merged}, unchanged {unchanged}, refused {refused}",
    ),
}
