"""Command palette (Ctrl+P): the common actions, found by Chinese or English text.

The commands offered follow the screen: on an inspection, export, finish, summary, the filters
and a jump to every section; everywhere, the themes and help.
"""

from __future__ import annotations

from functools import partial
from typing import Callable

from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from textual.app import App

    from .screens.inspection import InspectionScreen

from ..i18n import t
from .screens.base import InspectAppInterface


class InspectCommands(Provider):
    def commands(self) -> list[tuple[str, Callable[[], object]]]:
        app = self.app
        screen = self.screen
        found: list[tuple[str, Callable[[], object]]] = []
        from .screens.home import HomeScreen
        from .screens.inspection import InspectionScreen
        from .screens.summary import SummaryScreen

        if isinstance(screen, HomeScreen):
            found += [
                (t("cmd.new"), screen.action_new),
                (t("cmd.reinspect"), screen.action_reinspect),
                (t("cmd.delete"), screen.action_delete),
                (t("cmd.filter_sessions"), screen.action_filter),
                (t("cmd.filter_overdue"), screen.action_overdue),
                (t("cmd.compare"), screen.action_compare),
                (t("cmd.report"), screen.action_report),
                (t("cmd.sync"), screen.action_sync),
            ]

        if isinstance(screen, InspectionScreen):
            found += [
                (t("cmd.summary"), screen.action_summary),
                (t("cmd.export"), partial(_via_summary, screen, "action_export")),
                (t("cmd.finish"), partial(_via_summary, screen, "action_finish")),
                (t("cmd.report"), partial(_report, app)),
                (t("cmd.next_open"), screen.action_next_open),
                (t("cmd.facts"), screen.action_facts),
                (t("cmd.rectifications"), screen.action_rectifications),
            ]
            if screen.previous_session is not None:
                found.append((t("cmd.compare_previous"), screen.action_compare))
            for kind in ("all", "unanswered", "failed", "notes"):
                found.append((t("cmd.filter", name=t("insp.filter." + kind)), partial(screen.set_filter, kind)))
            for section in screen.checklist.sections:
                found.append((t("cmd.jump", name=section.text), partial(screen.go_to, section.id)))
        if isinstance(screen, SummaryScreen):
            found += [(t("cmd.export"), screen.action_export), (t("cmd.finish"), screen.action_finish)]
            for fmt, name in (("docx", "Word"), ("xlsx", "Excel"), ("md", "Markdown"), ("html", "HTML")):
                found.append((t("cmd.export_fmt", name=name), partial(screen.export, fmt, "summary")))
            found.append((t("cmd.export_rect"), partial(screen.export, "docx", "rectification")))
        found += [
            (t("cmd.theme_dark"), partial(setattr, app, "theme", "textual-dark")),
            (t("cmd.theme_light"), partial(setattr, app, "theme", "textual-light")),
        ]
        if isinstance(app, InspectAppInterface):  # always so here; the check types `app` (screens/base.py)
            found.append((t("cmd.help"), app.action_help))
        return found

    async def discover(self) -> Hits:
        for name, action in self.commands():
            yield DiscoveryHit(name, action)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action in self.commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), action, text=name)


def _via_summary(screen: "InspectionScreen", action: str) -> None:
    """Export or finish from an inspection: through its summary, where the inspector sees the score."""
    from .screens.summary import SummaryScreen

    screen.action_summary()
    app = screen.app

    def then() -> None:
        if isinstance(app.screen, SummaryScreen):
            getattr(app.screen, action)()

    app.call_after_refresh(then)


def _report(app: "App[object]") -> None:
    from .screens.report import ReportScreen

    app.push_screen(ReportScreen())

