"""The signature block of the 考评表 and the 整改通知书, in words every renderer lays out its own way.

Unsigned (still in progress): the blank form as always — lines for the inspectors' and the branch's
signatures and a date to fill in by hand. Signed off (core/session/signoff.py): the names are
printed and only the handwritten signature lines stay blank, with the date of the sign-off; a
session finished by an older build that asked no names says so (never invented). A review
(组长审核) adds its lines; a signed session changed afterwards says 已修改 with the date of the last
change (`amended`), which the renderers also put under the title.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...texts import Words
from .model import Summary


@dataclass(frozen=True)
class SignLine:
    text: str
    blank: bool = True  # a handwritten signature line follows the text


def signed_lines(summary: Summary, second_label: str, w: Words) -> list[SignLine] | None:
    """The printed signers, each followed by a line to sign on; None: not signed off (the blank form)."""
    s = summary.signoff
    if not s.signed:
        return None
    names = w.join(s.signers) if s.names_known else w("doc.signoff.names_unknown")
    second = s.received_by or ("" if s.names_known else w("doc.signoff.names_unknown"))
    return [SignLine(w("doc.signoff.inspectors", names=names)), SignLine(w("doc.signoff.person", label=second_label,
                                                                             name=second))]


def date_line(summary: Summary, w: Words) -> str:
    """The date of the sign-off ("" when unknown: the date is left to be written by hand)."""
    s = summary.signoff
    return w("doc.signoff.date", date=w.date(s.signed_on)) if s.signed and s.signed_on else ""


def review_lines(summary: Summary, w: Words) -> list[str]:
    s = summary.signoff
    if not s.reviewed_by:
        return []
    lines = [w("doc.signoff.reviewed", name=s.reviewed_by, date=w.date(s.reviewed_at[:10]) if s.reviewed_at else "—")]
    if s.review_comment:
        lines.append(w("doc.signoff.comment", comment=s.review_comment))
    return lines


def amended_line(summary: Summary, w: Words) -> str:
    """已修改 with the date of the last change after the sign-off; "" when never amended."""
    s = summary.signoff
    return w("doc.signoff.amended", date=w.date(s.amended_at[:10])) if s.amended_at else ""
