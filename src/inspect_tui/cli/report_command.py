"""`inspect-tui diff`, `report` and `selfcheck`: comparisons, roll-ups and self-assessments.

`register(command)` declares the three commands on the main parser. This module is imported every
time the parser is built (the help text needs its strings), so it imports nothing heavy at the top:
the core, the renderers and openpyxl are imported by the handlers, when one of them runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import TYPE_CHECKING, Any, Callable

from .. import i18n_reports  # noqa: F401  (the words diff and selfcheck print)
from ..i18n import lang, register as register_messages, t
from .common import UsageError

if TYPE_CHECKING:
    import datetime as dt

register_messages({
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
})

FORMATS = ("md", "html", "json", "xlsx")
BINARY = ("xlsx",)  # a terminal is no place for these: -o is required


def register(command: Callable[..., argparse.ArgumentParser]) -> None:
    """Declare diff, report and selfcheck on the main parser (`command` from cli/main.py)."""
    p = command("diff", "report_command:diff", "diff.cmd")
    p.add_argument("old", metavar="OLD", help=t("diff.arg.old"))
    p.add_argument("new", metavar="NEW", help=t("diff.arg.new"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))
    p.add_argument("--format", choices=("text", *FORMATS), default="text", help=t("diff.arg.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("report.arg.output"))
    p.add_argument("--force", action="store_true", help=t("diff.arg.force"))

    p = command("report", "report_command:report", "report.cmd")
    p.add_argument("names", nargs="*", metavar="SESSION", help=t("report.arg.sessions"))  # not "sessions": --sessions DIR
    p.add_argument("--checklist", dest="checklist_id", metavar="ID", help=t("report.arg.checklist"))
    p.add_argument("--since", metavar="YYYY-MM-DD", help=t("report.arg.since"))
    p.add_argument("--unit", metavar="UNIT", help=t("report.arg.unit"))
    p.add_argument("--format", choices=FORMATS, default="md", help=t("report.arg.format"))
    p.add_argument("-o", "--output", metavar="PATH", help=t("report.arg.output"))
    p.add_argument("--force", action="store_true", help=t("report.arg.force"))

    p = command("selfcheck", "report_command:selfcheck", "selfcheck.cmd")
    p.add_argument("session", metavar="SESSION", help=t("cli.arg.session"))
    p.add_argument("file", nargs="?", metavar="FILE", help=t("selfcheck.arg.file"))
    p.add_argument("--show", action="store_true", help=t("selfcheck.arg.show"))
    p.add_argument("--json", action="store_true", help=t("cli.json"))
    p.add_argument("--inspector", metavar="NAME", help=t("cli.arg.inspector"))


# -- handlers -------------------------------------------------------------------------------------

def _repository(args: argparse.Namespace) -> Any:
    from ..core import paths
    from ..core.session.repository import SessionRepository

    return SessionRepository(paths.sessions_dir(args.sessions))


def _since(text: str | None) -> "dt.date | None":
    import datetime as dt

    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(t("cli.bad_date", value=text)) from None


def _emit(data: bytes, fmt: str, output: str | None, default_name: str, force: bool = False) -> None:
    """Print `data`, or write it to `output`: an existing folder (a new, unused name in it), or a
    file whose folder exists (an existing one replaced only with `force`); see cli/targets.py."""
    from pathlib import Path

    from ..core.export import safe_filename, write_unused
    from .targets import check_folder, write_file

    if output is None:
        if fmt in BINARY:
            raise UsageError(t("report.needs_output", fmt=fmt))
        sys.stdout.write(data.decode("utf-8"))
        if not data.endswith(b"\n"):
            sys.stdout.write("\n")
        return
    target = Path(output)
    try:
        if target.is_dir() or output.endswith(("/", os.sep)):
            check_folder(target)
            target = write_unused(target / f"{safe_filename(default_name)}.{fmt}", data)
        else:
            write_file(target, data, force)
    except OSError as exc:
        from ..store import StorageError
        from ..store.durable import os_reason

        raise StorageError(target, f"could not write ({os_reason(exc)})") from None
    print(t("report.written", path=target))


def diff(args: argparse.Namespace) -> int:
    from ..core.analysis.compare import compare

    repo = _repository(args)
    opened = []
    try:
        for name in (args.old, args.new):
            opened.append(repo.open(name, write=False))
        if not args.force:
            _same_branch_and_standard(opened[0].session, opened[1].session)
        comparison = compare(opened[0].session, opened[1].session)
    finally:
        for session in opened:
            session.close()
    fmt = "json" if args.json else args.format
    if fmt == "text" and args.output is None:
        from .report_text import print_comparison

        print_comparison(comparison)
        return 0
    fmt = "md" if fmt == "text" else fmt
    data = _module(fmt).render_comparison(comparison, lang())  # --lang: the report's own words
    _emit(data, fmt, args.output, t("diff.file_name", branch=comparison.new.header.branch, date=comparison.new.header.date), args.force)
    return 0


def _same_branch_and_standard(old: Any, new: Any) -> None:
    """A comparison of two branches, or of two standards, lines up items that have nothing to do
    with each other (a 121-line diff of noise): refused unless --force."""
    from ..core.text import shown

    for what, a, b in (("diff.branch", old.branch.name, new.branch.name), ("diff.checklist", old.checklist_id, new.checklist_id)):
        if a != b:
            raise UsageError(t("diff.not_same", what=t(what), old=shown(a, multiline=False), new=shown(b, multiline=False)))


def report(args: argparse.Namespace) -> int:
    import datetime as dt
    from dataclasses import replace

    from ..core.analysis.rollup import rollup
    from ..core.session.reader import RepositoryReader
    from ..core.session.model import Summary

    repo = _repository(args)
    since = _since(args.since)
    reader = RepositoryReader(repo)
    listed: list[Summary] = reader.summaries()
    if args.names:
        wanted = {repo.resolve(name) for name in args.names}
        listed = [s for s in listed if s.id in wanted]
    _check_filter(args.checklist_id, {s.header.checklist_id for s in listed}, "report.no_checklist", "id")
    _check_filter(args.unit, {s.header.unit for s in listed if s.header.unit}, "report.no_unit", "unit")
    result = rollup(listed, reader.load, checklist=args.checklist_id, since=since, unit=args.unit)
    result = replace(result, problems=tuple(reader.problems))  # damaged files, named in the report too
    for line in result.problems:
        print(line, file=sys.stderr)
    data = _module(args.format).render_rollup(result, lang())
    _emit(data, args.format, args.output, t("report.file_name", date=dt.date.today().isoformat()), args.force)
    return 0


def _check_filter(value: str | None, present: set[str], key: str, name: str) -> None:
    """A filter naming nothing stored is almost always a typo: say so rather than print an empty report."""
    if value is None or not present:
        return
    if value.strip() not in present:
        raise UsageError(t(key, **{name: value, "known": t("report.list_sep").join(sorted(present)) or t("report.none")}))


def _module(fmt: str) -> Any:
    from importlib import import_module

    return import_module(f"inspect_tui.core.export.report_{fmt}")


def selfcheck(args: argparse.Namespace) -> int:
    from ..core.analysis import selfcheck as core
    from ..core.session import selfcheck_file
    from ..core.session.repository import SessionError, default_inspector

    if args.file is None and not args.show:
        raise UsageError(t("selfcheck.need_file"))
    repo = _repository(args)
    opened = repo.open(args.session, write=False)
    try:
        session = opened.session
    finally:
        opened.close()
    if args.file is not None:
        attached, replaced = selfcheck_file.attach(repo, session, args.file, args.inspector or default_inspector())
        line = t("selfcheck.attached", id=session.id, path=selfcheck_file.path_for(repo, session.id))
        if replaced is not None:
            line += " " + t("selfcheck.replaced", when=replaced.attached_at, name=replaced.source_name)
        print(line)
        if not args.show:
            comparison = core.compare_selfcheck(session, attached)
            from .report_text import selfcheck_headline

            print(selfcheck_headline(comparison))
            return 0
    try:
        stored = selfcheck_file.load(repo, session)
    except core.SelfCheckError as exc:
        raise SessionError(str(exc)) from None
    if stored is None:
        raise SessionError(t("selfcheck.none", id=session.id))
    comparison = core.compare_selfcheck(session, stored)
    if args.json:
        from ..core.export.report_json import render_selfcheck

        sys.stdout.write(render_selfcheck(comparison).decode("utf-8"))
        return 0
    from .report_text import print_selfcheck

    print_selfcheck(comparison)
    return 0
