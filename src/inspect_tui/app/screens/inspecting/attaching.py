"""Evidence files on the inspection screen: `v` attaches one to the item under the cursor (the
core checks it and copies it into the session's store: core/session/attaching.py), `V` opens one
with the desktop's viewer (app/opener.py), picked from a short list when the item has several.
The item's detail lists them (widgets/answer_panel.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from ....core.errors import SessionError
from ....core.session.attaching import store_of
from ....core.session.attachments import Attachment, AttachmentError
from ....core.session.editing import OpenSession
from ....i18n import say, t
from ....store import StorageError
from ... import opener


def typed_path(text: str) -> str:
    """A path as typed or dropped on the terminal: quotes around it and a leading ~ undone."""
    value = text.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return os.path.expanduser(value)


class Attaching:
    """Part of `InspectionScreen` (see the package's docstring)."""

    opened: OpenSession
    inspector: str

    def action_attach(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        from ..rect_dialogs import Field, FormDialog

        def attempt(values: dict[str, str]) -> str | None:
            path = typed_path(values["path"])
            if not path:
                return t("attach_ui.empty")
            try:
                new, kept = self.opened.attach(item.id, [path], self.inspector)
            except (AttachmentError, SessionError, StorageError) as exc:
                return say(exc)
            self._saving()
            self.show_current()  # the detail lists the new file
            if new:
                self.say(t("attach_ui.added", line=new[0].describe()))
            elif kept:
                self.say(t("attach_ui.already", line=kept[0].describe()))
            return None

        self.app.push_screen(FormDialog(t("attach_ui.title", item=item.text), [Field("path", t("attach_ui.path"))],
                                        attempt))

    def action_open_attachment(self) -> None:
        item = self.leaf_or_warn()
        if item is None:
            return
        files = list(self.opened.session.attachments.get(item.id, []))
        if not files:
            self.say(t("attach_ui.none"))
            return
        if len(files) == 1:
            self.open_attachment(files[0])
            return
        from ..rect_dialogs import PickDialog

        def picked(index: int | None) -> None:
            if index is not None:
                self.open_attachment(files[index])

        self.app.push_screen(PickDialog(t("attach_ui.pick"), [a.describe() for a in files]), picked)

    def open_attachment(self, attachment: Attachment) -> None:
        path = store_of(self.opened).path(attachment.sha256)
        if not path.is_file():
            self.warn(t("attach_ui.missing", name=attachment.name))
            return
        self.say(t("attach_ui.opening", name=attachment.name), timeout=3)
        self.run_worker(lambda: self._open_in_viewer(path, attachment.name), thread=True, group="open-attachment")

    def _open_in_viewer(self, path: Path, name: str) -> None:
        """In a worker: the viewer may take a moment, or hang without a desktop (its timeout)."""
        try:
            opener.open_path(path)
        except opener.NoViewer as exc:
            message = t("attach_ui.no_viewer", name=exc.name, path=path)
        except subprocess.CalledProcessError as exc:
            # xdg-open's 3: "a required tool could not be found" (no desktop): no viewer, really
            message = (t("attach_ui.no_viewer", name=exc.cmd[0], path=path) if exc.returncode == 3 and
                       exc.cmd[0] == "xdg-open" else t("attach_ui.open_failed", name=name, reason=opener.why(exc)))
        except (OSError, subprocess.SubprocessError) as exc:
            message = t("attach_ui.open_failed", name=name, reason=opener.why(exc))
        else:
            return
        # App.notify posts a message: thread-safe, and it never waits for the interface
        self.app.notify(message, severity="warning", markup=False)
