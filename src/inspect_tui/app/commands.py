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

from ..i18n import register, t
from .screens.base import InspectAppInterface

register({
    "cmd.summary": ("查看汇总", "Show the summary"),
    "cmd.export": ("导出……(选择格式)", "Export… (choose a format)"),
    "cmd.export_fmt": ("导出检查汇总: {name}", "Export the summary: {name}"),
    "cmd.export_rect": ("导出整改通知书 (Word)", "Export the rectification notice (Word)"),
    "cmd.finish": ("完成检查", "Finish the inspection"),
    "cmd.filter": ("筛选: {name}", "Filter: {name}"),
    "cmd.jump": ("跳转到: {name}", "Jump to: {name}"),
    "cmd.facts": ("录入基本情况", "Enter the facts"),
    "cmd.theme_dark": ("切换主题: 深色", "Theme: dark"),
    "cmd.theme_light": ("切换主题: 浅色", "Theme: light"),
    "cmd.help": ("帮助: 按键说明", "Help: keys"),
    "cmd.next_open": ("下一个未检查项", "Next unanswered item"),
    "cmd.new": ("新建检查", "New inspection"),
    "cmd.reinspect": ("复查所选支部", "Re-inspect the selected branch"),
    "cmd.delete": ("删除所选检查记录(移入回收站)", "Delete the selected session (to the trash)"),
    "cmd.filter_sessions": ("筛选检查记录", "Filter the sessions"),
    "cmd.compare": ("对比所选支部的上次检查(复查对比)", "Compare the selected session with the last one"),
    "cmd.compare_previous": ("对比上次检查(复查对比)", "Compare with last time's inspection"),
    "cmd.report": ("统计: 支部排名、各大项扣分图、常见问题", "Report: ranking, points lost per section, most failed items"),
})


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
                (t("cmd.compare"), screen.action_compare),
                (t("cmd.report"), screen.action_report),
            ]

        if isinstance(screen, InspectionScreen):
            found += [
                (t("cmd.summary"), screen.action_summary),
                (t("cmd.export"), partial(_via_summary, screen, "action_export")),
                (t("cmd.finish"), partial(_via_summary, screen, "action_finish")),
                (t("cmd.report"), partial(_report, app)),
                (t("cmd.next_open"), screen.action_next_open),
                (t("cmd.facts"), screen.action_facts),
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

