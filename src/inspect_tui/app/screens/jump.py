"""Jump to a section (大项) or one of its 小项 by picking it from a list."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from ...core.checklist.model import Checklist
from ...core.analysis.item_results import Result
from ...i18n import register, t
from ..render import num

register({"jump.title": ("跳转到大项或小项(Enter 确定,Esc 取消)", "Jump to a section or item (Enter, Esc to cancel)")})


class JumpDialog(ModalScreen["str | None"]):
    DEFAULT_CSS = """
    JumpDialog { align: center middle; }
    JumpDialog > Vertical { width: 80%; max-width: 100; height: 80%; border: thick $primary; background: $surface; padding: 0 1; }
    JumpDialog OptionList { height: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", t("dialog.cancel"), id="jump.cancel")]

    def __init__(self, checklist: Checklist, result: Result) -> None:
        super().__init__()
        self.checklist = checklist
        self.result = result

    def compose(self) -> ComposeResult:
        options = []
        for section in self.checklist.sections:
            for depth, item in [(0, section)] + [(1, child) for child in section.items]:
                r = self.result.items[item.id]
                label = Text("  " * depth + item.text, style="bold" if depth == 0 else "")
                label.append(f"  {r.answered}/{r.leaves}", style="dim")
                if r.deducted:
                    label.append(f"  -{num(r.deducted)}", style="red")
                options.append(Option(label, id=item.id))
        with Vertical():
            yield Label(t("jump.title"))
            yield OptionList(*options)

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
