"""The home screen's words (检查记录): its status line, empty state, questions and notices.

Apart from the screen so that home.py reads as behaviour; imported by it, so the keys exist
whenever the screen does. The rows' own words are in widgets/sessions_table.py.
"""

import datetime as dt

from rich.text import Text

from ...i18n import t

def empty_text(folder: str) -> Text:
    """What the home screen says before the first inspection: how to start, where it is kept."""
    return Text.assemble(
        (t("home.empty.title"), "bold"), "\n\n",
        "• ", t("home.empty.new"), "\n",
        "• ", t("home.empty.try"), "\n",
        "• ", t("home.empty.list"), "\n\n",
        t("home.empty.where", folder=folder), "\n",
        (t("home.empty.keys"), "dim"),
    )


def today() -> dt.date:
    """The day the home screen counts rectifications overdue on (a test fixes it)."""
    return dt.date.today()
