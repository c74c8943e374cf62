"""The app's words (app/: screens, widgets, the command palette).

Parameters are `str.format` fields, the same in both languages (tests/test_texts.py).
"""

from __future__ import annotations

APP: dict[str, tuple[str, str]] = {
}
