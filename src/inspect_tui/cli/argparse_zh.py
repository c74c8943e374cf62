"""argparse's own words (usage:, options, error messages) in Chinese when the language is zh.

argparse translates through `gettext`; it looks its strings up via the module-level name `_`,
so pointing that name at our table is enough and leaves argparse otherwise untouched.
"""

from __future__ import annotations

import argparse
import gettext

from ..i18n import lang

_ZH = {
    "usage: ": "用法: ",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数: %s",
    "unrecognized arguments: %s": "无法识别的参数: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项: %(value)r (可选: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s: %(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "ambiguous option: %(option)s could match %(matches)s": "有歧义的选项: %(option)s 可能是 %(matches)s",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值: %(value)r",
}


def _translate(message: str) -> str:
    if lang() == "zh":
        return _ZH.get(message, message)
    return gettext.gettext(message)


def install() -> None:
    argparse._ = _translate  # type: ignore[attr-defined]
