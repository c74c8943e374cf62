"""The screen's title line: Textual's `Header` drawn by one widget.

Textual's Header is four widgets (the header, its icon, its title and the clock's space). Every
widget on a screen is styled when the screen opens and visited on every frame and every wait for
the screen to settle; on the inspection screen, where a key has a budget of a few milliseconds and
opening one of a few tens, one widget drawing the same line does the same job: the palette icon on
the left (a click opens the command palette, as Header's), "title — subtitle" centred between the
icon's eight cells and the clock's ten, cut with an ellipsis when it does not fit.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

ICON_CELLS = 8  # as Header: the icon with a cell of padding each side, in eight cells
CLOCK_CELLS = 10  # as Header: the clock's place on the right, kept so the title is centred alike


class TitleBar(Widget):
    """One line: ⭘ (the command palette), the screen's title and subtitle, centred."""

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    ICON = "⭘"

    def on_mount(self) -> None:
        for owner in (self.app, self.screen):
            self.watch(owner, "title", self._retitle, init=False)
            self.watch(owner, "sub_title", self._retitle, init=False)

    def _retitle(self) -> None:
        self.refresh()

    def _content(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        return app.format_title(title, sub_title)

    def render(self) -> Content:
        width = self.size.width
        middle = max(0, width - ICON_CELLS - CLOCK_CELLS)
        icon = Content(f" {self.ICON}").pad_right(ICON_CELLS - 2)
        title = self._content().truncate(middle, ellipsis=True).center(middle)
        return Content.assemble(icon, title, " " * CLOCK_CELLS)

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_CELLS and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
