"""The summary (汇总): points lost per section, what failed and why, what is left; finish and export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static

from ...core.session.editing import OpenSession
from ...core.session.signoff import SignOff, signoff_of
from ...core.errors import SessionError
from ...core.analysis.item_results import Result
from ...i18n import lang, say, t
from ...core.analysis.score_line import score_line, words
from ...core.numbers import signed_text
from ...i18n_reports import change_unit, score_words, state_word
from ..render import num
from ..widgets.key_footer import KeyFooter
from ..widgets.title_bar import TitleBar
from .base import AppScreen

if TYPE_CHECKING:
    from ...core.analysis.selfcheck import SelfCheck, SelfComparison
    from .finish_dialog import SignOffAnswer

def selfcheck_table(c: "SelfComparison") -> Table:
    """Both scores side by side, then each item where the branch and the inspectors differ."""
    body = Table.grid(expand=True)
    body.add_column()
    body.add_row(Text("\n" + t("sum.selfcheck"), style="bold underline"))
    scores = Table(box=None, padding=(0, 2, 0, 0), show_header=False)
    scores.add_column(no_wrap=True)
    scores.add_column(no_wrap=True)
    scores.add_column(style="dim", overflow="fold")
    for label, side, remark in ((t("selfcheck.self"), c.self_scores, t("selfcheck.source", name=c.source_name, when=c.attached_at)),
                                (t("selfcheck.inspection"), c.inspection, "")):
        scores.add_row(label, score_words(side.total, side.max, side.percent, side.grade), remark)
    body.add_row(scores)
    delta = "—" if c.delta is None else signed_text(c.delta) + change_unit(c.scored)
    body.add_row(Text(f"{t('selfcheck.delta')}: {delta} · " + t("selfcheck.agree", agree=c.agreeing, differ=len(c.differences))))
    if c.differences:
        table = Table(expand=True, box=None, padding=(0, 1))
        table.add_column(t("selfcheck.col.kind"), overflow="fold")
        table.add_column(t("diff.col.item"), ratio=3, overflow="fold")
        table.add_column(t("selfcheck.self"), no_wrap=True)
        table.add_column(t("selfcheck.inspection"), no_wrap=True)
        if c.scored:
            table.add_column(t("selfcheck.col.self_lost"), justify="right", no_wrap=True)
            table.add_column(t("selfcheck.col.lost"), justify="right", no_wrap=True)
        for d in c.differences:
            row = [Text(t("selfcheck.kind." + d.kind), style="red" if d.kind == "claimed_pass" else ""), Text(d.text),
                   state_word(d.self_state) if d.self_state else t("sum.self_blank"), state_word(d.inspection_state)]
            row += [num(d.self_deducted), num(d.inspection_deducted)] if c.scored else []
            table.add_row(*row)
        body.add_row(table)
    return body


def signoff_lines(s: SignOff) -> list[tuple[str, str]]:
    """The sign-off as the summary says it: who signed and received, when; the review; 已修改."""
    if not s.signed:
        return []
    lines = [(t("signoff.sum.signed", names="、".join(s.signers), receiver=s.received_by or "—", when=s.signed_at[:16].replace("T", " "))
              if s.names_known else t("signoff.sum.unknown"), "green")]
    if s.reviewed_by:
        comment = f" · {s.review_comment}" if s.review_comment else ""
        lines.append((t("signoff.sum.reviewed", name=s.reviewed_by, when=s.reviewed_at[:10], comment=comment), ""))
    if s.amended_at:
        lines.append((t("signoff.sum.amended", when=s.amended_at[:16].replace("T", " ")), "bold yellow"))
    return lines


class SummaryScreen(AppScreen[None]):
    # The workers report with messages: post_message never waits, where call_from_thread blocks
    # the worker on the event loop (and deadlocks when that loop is waiting for the worker).

    @dataclass
    class SelfCheckRead(Message):
        comparison: "SelfComparison | None"
        problem: str = ""  # the attached file cannot be read

    @dataclass
    class Exported(Message):
        path: Path | None
        problem: str = ""

    BINDINGS = [
        Binding("f", "finish", t("key.finish"), id="summary.finish"),
        Binding("r", "reopen", t("key.reopen"), id="summary.reopen"),
        Binding("x", "export", t("key.export"), id="summary.export"),
        Binding("escape,s", "back", t("key.back"), id="summary.back"),
    ]

    def __init__(self, opened: OpenSession, inspector: str) -> None:
        super().__init__()
        self.opened = opened
        self.inspector = inspector
        self.selfcheck: SelfComparison | None = None  # the branch's self-assessment, if attached

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="summary"):
            yield Static(id="summary-body")
            yield Static(id="summary-selfcheck")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.title = self.opened.session.branch.name
        self.sub_title = t("sum.title")
        self.redraw()
        self.load_selfcheck()

    def redraw(self) -> None:
        result = self.opened.result
        self.query_one("#summary-body", Static).update(self.render_summary(result))
        self.draw_selfcheck()
        status = t("status." + self.opened.session.status)
        self.sub_title = f"{t('sum.title')} · {status}"

    def render_summary(self, result: Result) -> Table:
        checklist = self.opened.checklist
        body = Table.grid(padding=(0, 0))
        body.add_column()
        head = Text(f"{checklist.title} {checklist.version}\n", style="bold")
        line = score_line(checklist, result)
        # the one wording of a score (core/analysis/score_line.py): 暂定 and the points still open until done
        head.append(t("sum.score"), style="bold")
        head.append(words(line, lang()), style="bold" if line.final else "bold yellow")
        if result.scored and result.deducted:
            head.append("  " + t("sum.lost", lost=num(result.deducted)))
        head.append("\n" + t("score.counts", **result.counts), style="dim")
        for line, style in signoff_lines(signoff_of(self.opened.session)):
            head.append("\n" + line, style=style)
        body.add_row(head)

        if result.scored:
            sections = Table(title=t("sum.sections"), title_justify="left", expand=True)
            for column in (t("col.title"), t("col.max"), t("col.lost"), t("col.score")):
                sections.add_column(column, justify="left" if column == t("col.title") else "right")
            for s in result.sections:
                sections.add_row(Text(checklist.item(s.id).text), num(s.max), num(s.deducted), num(s.score))
            body.add_row(sections)

        failed = Text()
        leaves = [leaf for leaf in checklist.leaves()]
        for leaf in leaves:
            r = result.items[leaf.id]
            if r.state is None or r.state.value != "fail":
                continue
            path = " › ".join(i.text for i in checklist.path_to(leaf.id)[:-1])
            failed.append(f"✗ {leaf.text}", style="bold red")
            if result.scored:
                failed.append(f"  -{num(r.deducted)}", style="red")
            failed.append(f"\n  {path}\n", style="dim")
            for reason in r.reasons:
                label = t("score.override") + ": " if reason.manual else ""
                amount = f"  [{reason.detail}]" if result.scored else ""
                failed.append(f"  • {label}{reason.clause}{amount}\n")
                if reason.finding:  # what the facts showed, in words and numbers
                    failed.append(f"    {t('score.found', finding=reason.finding)}\n")
            note = self.opened.session.answers.get(leaf.id)
            if note and note.note:
                failed.append("  " + t("sum.note") + note.note.replace("\n", "\n    ") + "\n", style="italic")
        body.add_row(Text("\n" + t("sum.failed"), style="bold underline"))
        body.add_row(failed if failed.plain else Text(t("sum.none"), style="dim"))

        for key, wanted in (("sum.unanswered", None), ("sum.na", "na")):
            listed = Text()
            for leaf in leaves:
                item = result.items[leaf.id]
                state = item.state
                if (state.value if state else None) == wanted:
                    listed.append(f"{'·' if wanted is None else '—'} {leaf.text}")
                    if wanted is None and item.pending:  # 待定: it waits for facts, not for a mark
                        facts = "、".join(checklist.fact(f).label for f in item.pending)
                        listed.append(f"  ({t('sum.pending', facts=facts)})", style="yellow")
                    listed.append("\n")
            body.add_row(Text("\n" + t(key), style="bold underline"))
            body.add_row(listed if listed.plain else Text(t("sum.none"), style="dim"))

        if result.warnings:
            warnings = Text()
            for item_id, message in result.warnings:
                warnings.append(f"! {checklist.item(item_id).text}: {message}\n", style="yellow")
            body.add_row(Text("\n" + t("sum.warnings"), style="bold underline"))
            body.add_row(warnings)
        return body

    # -- the self-assessment ------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="selfcheck")
    def load_selfcheck(self) -> None:
        """Read the attached self-assessment (a file beside the session) and compare; disk work."""
        from ...core.analysis import selfcheck as core
        from ...core.session import selfcheck_file

        session = self.opened.session
        try:
            attached = selfcheck_file.load(self.opened.repo, session)
        except core.SelfCheckError as exc:
            self.post_message(self.SelfCheckRead(None, t("sum.selfcheck_damaged", error=say(exc))))
            return
        if attached is not None:
            self.post_message(self.SelfCheckRead(core.compare_selfcheck(session, attached)))

    def on_summary_screen_self_check_read(self, message: "SummaryScreen.SelfCheckRead") -> None:
        if message.comparison is None:
            self.warn(message.problem, timeout=10)
            return
        self.selfcheck = message.comparison
        self.draw_selfcheck()

    def attached_selfcheck(self) -> "SelfCheck | None":
        """For the summary export: read here, in the export's worker, so an export made before the
        screen's own reading finished still has it. A damaged one was said on opening; the
        inspection's findings still go out."""
        from ...core.analysis import selfcheck as core
        from ...core.session import selfcheck_file

        try:
            return selfcheck_file.load(self.opened.repo, self.opened.session)
        except core.SelfCheckError:
            return None

    def draw_selfcheck(self) -> None:
        block = self.query_one("#summary-selfcheck", Static)
        c = self.selfcheck
        block.display = c is not None
        if c is None:
            return
        block.update(selfcheck_table(c))

    def action_finish(self) -> None:
        """Unanswered items asked about first, then the sign-off dialog (finish_dialog.py)."""
        unanswered = self.opened.result.counts["unanswered"]

        def go(confirmed: bool | None) -> None:
            if confirmed:
                from .finish_dialog import FinishDialog

                s = self.opened.session
                self.app.push_screen(FinishDialog(s.branch.name, s.notice_days, s.issuer, s.received_by), self.sign_off)

        if unanswered:
            from .dialogs import ConfirmDialog

            self.app.push_screen(ConfirmDialog(t("sum.finish_confirm", count=unanswered)), go)
        else:
            go(True)

    def sign_off(self, answer: "SignOffAnswer | None") -> None:
        if answer is None:
            return
        try:
            self.opened.finish(self.inspector, force=True, notice_days=answer.notice_days, issuer=answer.issuer,
                               inspectors=answer.inspectors, received_by=answer.received_by)
        except SessionError as exc:
            self.refused(exc)
            return
        from ...core import settings

        settings.remember_inspectors(answer.inspectors)  # offered next time (user config, not the session)
        self.say(t("sum.finished"))
        self.redraw()

    def action_reopen(self) -> None:
        """Ask for the reason first (the core refuses a reopening without one)."""
        if not self.opened.session.finished:
            self.refused(SessionError("err.session.not_finished", id=self.opened.session.id))
            return
        from .finish_dialog import ReopenDialog

        def go(reason: str | None) -> None:
            if reason is None:
                return
            try:
                self.opened.reopen(self.inspector, reason)
            except SessionError as exc:
                self.refused(exc)
                return
            self.say(t("sum.reopened"))
            self.redraw()

        self.app.push_screen(ReopenDialog(), go)

    def action_export(self) -> None:
        """Ask for a format (and summary or rectification list), then write it in a worker."""
        from ...core.export import FORMATS
        from .export_dialog import ExportDialog

        def chosen(choice: "tuple[str, str] | None") -> None:
            if choice is not None:
                self.say(t("sum.exporting"), timeout=3)
                self.export(*choice)

        self.app.push_screen(ExportDialog(tuple(FORMATS)), chosen)

    @work(thread=True, exclusive=True, group="export")
    def export(self, fmt: str, what: str = "summary") -> None:
        """Write the file in the exports folder (core.paths.exports_dir), never over an existing
        file (write_unused adds -2, -3 …), then show where it went."""
        from ...core import paths
        from ...core.export import export_session

        try:
            folder = paths.ready_exports_dir(self.inspect_app.exports_option)
            path = export_session(self.opened.session, fmt, folder, what, selfcheck=self.attached_selfcheck(),
                                  lang=lang())  # the document in the app's language
        except Exception as exc:  # a full disk, a library missing: say so, the session is untouched
            self.post_message(self.Exported(None, t("sum.export_failed", error=say(exc))))
            return
        self.post_message(self.Exported(path))

    def on_summary_screen_exported(self, message: "SummaryScreen.Exported") -> None:
        if message.path is None:
            self.fail(message.problem)
            return
        from .exported_dialog import ExportedDialog

        self.app.push_screen(ExportedDialog(message.path))

    def action_back(self) -> None:
        self.app.pop_screen()
