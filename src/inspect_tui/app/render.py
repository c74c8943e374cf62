"""Rich renderables for the core's objects, shared by the screens.

Checklist text is data from a file: it is always put into `Text` objects, never parsed as markup,
so a clause that happens to contain `[b]` shows as written, and through `text.shown` (`_s` below),
so a control character that slipped past the gate shows as \x1b instead of acting on the terminal.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from rich.text import Text

from ..core.checklist.blanks import fill
from ..core.checklist.model import Checklist, Item, OneOf, Rule
from ..core.numbers import points_text as num
from ..core.analysis.item_results import Result
from ..core.text import shown as _s
from ..i18n import state_label, t


def rule_text(rule: Rule | OneOf, checklist: Checklist) -> list[str]:
    """A rule in words, one line per case: the clause and its condition said, never the formula."""
    if isinstance(rule, OneOf):
        return [f"{t('detail.one_of')} " + line for case in rule.cases for line in rule_text(case, checklist)]
    parts = [_s(rule.clause)]
    if rule.when is not None:
        from ..core.analysis.explain import words
        from ..i18n import lang

        facts = {fact.id: fact for fact in checklist.facts}
        parts.append(f"  [{t('detail.when')} {words(rule.when, facts, lang=lang())}]")
    if rule.frequency is not None:
        from ..core.checklist.records import bound_text

        parts.append(f"  [{t('detail.frequency', bound=bound_text(rule.frequency))}]")
    return ["".join(parts)]


def item_detail(checklist: Checklist, item: Item, result: Result, facts: Mapping[str, Any] | None = None) -> Text:
    """What the standard says about `item` (its blanks filled from `facts`), and its result."""
    r = result.items[item.id]
    facts = facts or {}
    text = Text()
    crumbs = " › ".join(_s(fill(i.text, checklist, facts), multiline=False) for i in checklist.path_to(item.id)[:-1])
    if crumbs:
        text.append(crumbs + "\n", style="dim")
    text.append(_s(fill(item.text, checklist, facts)) + "\n", style="bold")
    text.append(f"{item.id}", style="dim")
    if item.points is not None:
        text.append("  " + t("describe.points", points=num(item.points)))
    if item.computed:
        text.append("  [" + t("describe.computed") + "]", style="cyan")
    text.append("\n\n")
    text.append(t("detail.state") + ": ", style="bold")
    if r.state is None and r.pending:
        labels = "、".join(_s(checklist.fact(f).label) for f in r.pending)
        text.append(t("detail.pending_on", facts=labels) + "\n", style="yellow")
    else:
        text.append(state_label(r.state.value if r.state else None) + "\n")
    if item.guidance:
        text.append("\n" + t("detail.guidance") + "\n", style="bold")
        text.append(_s(fill(item.guidance, checklist, facts)) + "\n")
    if item.rules:
        text.append("\n" + t("detail.rules") + "\n", style="bold")
        for rule in item.rules:
            for line in rule_text(rule, checklist):
                text.append(f"• {line}\n")
    if item.source:
        text.append("\n" + t("detail.source") + ": ", style="bold")
        text.append(_s(item.source) + "\n")
    if r.deducted or r.reasons:
        heading = t("detail.deduction", points=num(r.deducted)) if result.scored else t("detail.failed_clauses")
        text.append("\n" + heading + "\n", style="bold red")
        for reason in r.reasons:
            if reason.manual:
                text.append(f"• {t('score.override')}: {_s(reason.clause)}  [{_s(reason.detail)}]\n")
            elif r.overridden:
                text.append(f"• {_s(reason.clause)}  ({t('detail.replaced')})\n", style="dim strike")
            elif result.scored:
                text.append(f"• {_s(reason.clause)}  [{_s(reason.detail)}]\n")
            else:
                text.append(f"• {_s(reason.clause)}\n")
    if r.findings:
        text.append("\n" + t("detail.findings") + "\n", style="bold")
        for finding in r.findings:
            text.append(f"• {_s(finding)}\n")
    if r.pending and r.state is not None:  # 待定 says it on the state line
        labels = ", ".join(_s(checklist.fact(f).label) for f in r.pending)
        text.append("\n" + t("score.pending", facts=labels) + "\n", style="yellow")
    for warning in r.warnings:
        text.append(f"\n! {_s(warning)}\n", style="yellow bold")
    return text


def change_style(change: Decimal | None) -> str:
    """A score going up is green, down red, no change (or none to speak of) plain."""
    if not change:
        return ""
    return "green" if change > 0 else "red"
