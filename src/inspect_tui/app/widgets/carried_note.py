"""A carried rectification in the item's detail (a re-inspection): what was promised last time and
what this visit finds of it ("上次检查 (日期): 不符合 … 整改期限 … 已报整改: …").

Drawn from the core's `Outcome` (core/analysis/reinspection.py); the text comes from the session
file, so it is shown as plain text (rich.Text, no markup read).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text

from ...core.analysis.reinspection import STILL_OPEN, TO_CONFIRM
from ...i18n import t

STYLES = {TO_CONFIRM: "green", STILL_OPEN: "red"}


def carried_text(found: Any) -> Text:
    """The promise and the outcome, as lines to append to the detail."""
    k = found.carried
    person = t("reinspect.detail.person", name=k.person) if k.person else ""
    report = (t("reinspect.detail.report", date=k.report_date, text=" ".join(k.report.split()))
              if k.report else t("reinspect.no_report"))
    outcome = t("reinspect.outcome." + found.outcome)
    if found.confirmation is not None:
        outcome += t("reinspect.confirmed_by", by=found.confirmation.by, at=found.confirmation.at)
    if found.outcome == TO_CONFIRM:
        outcome += t("reinspect.detail.key")
    words = t("reinspect.detail", date=k.date, finding=" ".join(k.finding.split()) or "—", deadline=k.deadline, person=person,
              report=report, outcome="\0")
    head, _, tail = words.partition("\0")
    text = Text("\n")
    text.append(head, style="bold")
    text.append(outcome, style=STYLES.get(found.outcome, "dim"))
    text.append(tail + "\n")
    return text
