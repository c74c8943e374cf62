"""Meeting records (会议记录): a fact that is a list of dates, checked period by period.

A standard says “每月至少召开一次支委会”, “每季度至少一次”, “一年1-2次”, “固定每月8日”,
“一年联系不少于4次”. Comparing one total per inspection period lets 12 meetings in January–June
pass for a whole year; so the dates themselves are a fact (type `dates`), and a `Frequency` rule
counts the records in every calendar month / quarter / half-year / year of the inspected period.

The rules of the check, in one place:
- A period is *whole* when the inspected period covers all of it. A whole period with fewer records
  than `min` fails; any period (whole or not) with more than `max` fails.
- A period that is not whole (the month the inspection falls in, a year not yet over) cannot fail
  for too few records — it is not over — but counts as checked when it already has `min`.
- `day` (固定每月8日) counts only records on that day of the month; a record entered with its month
  only (ticked on the month grid) cannot satisfy it and is named as such.
- When only a total was entered (“共10次”), only totals can be compared: the total against `min` ×
  the whole periods and `max` × all periods touched. The finding says so.
- With no whole period and nothing over `max`, there is nothing to judge yet: the check reports
  `nothing_to_check` and the item is not applicable for this inspection, with the reason.

Nothing here knows about points; `scoring.py` turns a failed check into a deduction.
"""

from __future__ import annotations

import datetime as dt
import re
import dataclasses

from ...quick_dataclass import dataclass

from ..errors import InvalidValue
from ..unknown import UNKNOWN

EVERY = ("month", "quarter", "half", "year")
EVERY_ZH = {"month": "月", "quarter": "季度", "half": "半年", "year": "年度"}
MAX_RECORDS = 1000  # dates in one fact: a year of daily meetings and then some
MAX_TOTAL = 9999


@dataclasses.dataclass(frozen=True, order=True)  # ordered: the standard decorator
class Held:
    """One record: a date, or a month only (day 0) when ticked on the month grid."""

    year: int
    month: int
    day: int = 0

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def zh(self) -> str:
        return f"{self.year}年{self.month}月" + (f"{self.day}日" if self.day else "")


@dataclass(frozen=True)
class DateList:
    """The value of a `dates` fact: the records, or only their total when no dates were listed."""

    held: tuple[Held, ...] = ()
    total_only: int | None = None

    @property
    def total(self) -> int:
        return self.total_only if self.total_only is not None else len(self.held)

    def to_json(self) -> list[str] | dict[str, int]:
        if self.total_only is not None:
            return {"total": self.total_only}
        return [h.iso() for h in self.held]

    def text(self) -> str:
        """As a document prints it: 2026-01-05、2026-02-03(共2次); 共10次(未登记日期)."""
        if self.total_only is not None:
            return f"共{self.total_only}次(未逐次登记日期)"
        if not self.held:
            return "无记录(共0次)"
        return "、".join(h.iso() for h in self.held) + f"(共{len(self.held)}次)"

    def text_en(self) -> str:
        if self.total_only is not None:
            return f"{self.total_only} in all (dates not listed)"
        if not self.held:
            return "none (0)"
        return ", ".join(h.iso() for h in self.held) + f" ({len(self.held)} in all)"


_SPLIT = re.compile(r"[\s,,、;;]+")
# A bare number of up to 4 digits is a total ("10", "共10次"); 6 or 8 digits are a month or a date.
_TOTAL = re.compile(r"^(?:共|total[:=]?)?\s*(\d{1,4})\s*(?:次|times)?$", re.IGNORECASE)
_DATE = re.compile(
    r"^(\d{4})(?:[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?|(\d{2})(\d{2})?)$"
)


def parse_dates(raw: object) -> DateList:
    """Text ("2026-01-05, 2026-02-03", one per line, 20260105, 2026年3月, "共10次"), a JSON list
    of such strings, or {"total": n}, as a `DateList`; ValueError with a short reason."""
    if isinstance(raw, DateList):
        return raw
    if isinstance(raw, dict):
        if set(raw) != {"total"}:
            raise InvalidValue("err.dates.expected_or_total")
        return DateList(total_only=_total(raw["total"]))
    if isinstance(raw, (list, tuple)):
        tokens = [t for t in raw]
    elif isinstance(raw, str):
        text = raw.strip()
        match = _TOTAL.match(text)
        if match:
            return DateList(total_only=_total(match.group(1)))
        tokens = [t for t in _SPLIT.split(text) if t]
    else:
        raise InvalidValue("err.dates.expected")
    if len(tokens) > MAX_RECORDS:
        raise InvalidValue("err.dates.too_many", limit=MAX_RECORDS)
    held = sorted(_held(token) for token in tokens)
    return DateList(tuple(held))


def _total(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise InvalidValue("err.dates.total_whole")
    text = str(value).strip()
    if not text.isdigit() or len(text) > 4 or int(text) > MAX_TOTAL:
        raise InvalidValue("err.dates.total_range")
    return int(text)


def _held(token: object) -> Held:
    if isinstance(token, dt.date):
        return Held(token.year, token.month, token.day)
    if not isinstance(token, str) or len(token) > 20:
        raise InvalidValue("err.dates.bad_date", token=str(token)[:20])
    match = _DATE.match(token.strip())
    if not match:
        raise InvalidValue("err.dates.bad_date", token=token)
    year = int(match.group(1))
    if match.group(4) is not None:  # 20260105 or 202601
        month, day = int(match.group(4)), int(match.group(5) or 0)
    else:
        month, day = int(match.group(2) or 0), int(match.group(3) or 0)
    if not month:
        raise InvalidValue("err.dates.no_month", token=token)
    try:
        dt.date(year, month, day or 1)
    except ValueError:
        raise InvalidValue("err.dates.no_such_day", token=token) from None
    if not 1900 <= year <= 2200:
        raise InvalidValue("err.dates.year_range", token=token)
    return Held(year, month, day)


@dataclass(frozen=True)
class Frequency:
    """A rule's “每月至少一次”: how many records each calendar period of the inspection needs."""

    records: str  # a fact of type `dates`
    every: str  # month | quarter | half | year
    min: int = 1
    max: int | None = None
    day: int | None = None  # 固定每月8日
    what: str = ""  # the noun the findings use: 支委会
    start: str = "period_start"  # the inspected period, two date facts
    end: str = "period_end"

    @property
    def names(self) -> set[str]:
        return {self.records, self.start, self.end}


@dataclass(frozen=True)
class Period:
    first: dt.date
    last: dt.date
    every: str

    def zh(self) -> str:
        y, m = self.first.year, self.first.month
        if self.every == "month":
            return f"{y}年{m}月"
        if self.every == "quarter":
            return f"{y}年第{(m - 1) // 3 + 1}季度"
        if self.every == "half":
            return f"{y}年{'上' if m == 1 else '下'}半年"
        return f"{y}年"


@dataclass(frozen=True)
class Check:
    """What a frequency check found. `failed` is True/False, UNKNOWN (a fact missing) or None
    (nothing to judge in this period yet)."""

    failed: object
    finding: str = ""
    missing: frozenset[str] = frozenset()
    failing: int = 0  # how many periods failed (for a per-period deduction)
    totals_only: bool = False


def periods(first: dt.date, last: dt.date, every: str) -> list[Period]:
    """Calendar periods that overlap [first, last], in order."""
    step = {"month": 1, "quarter": 3, "half": 6, "year": 12}[every]
    month0 = (first.month - 1) // step * step + 1
    year, month = first.year, month0
    out: list[Period] = []
    while dt.date(year, month, 1) <= last and len(out) < 2400:
        nyear, nmonth = (year + (month - 1 + step) // 12, (month - 1 + step) % 12 + 1)
        out.append(Period(dt.date(year, month, 1), dt.date(nyear, nmonth, 1) - dt.timedelta(days=1), every))
        year, month = nyear, nmonth
    return out


def check(freq: Frequency, env: dict) -> Check:
    """Check the records in `env[freq.records]` against `freq` over the inspected period."""
    start, end, records = env.get(freq.start, UNKNOWN), env.get(freq.end, UNKNOWN), env.get(freq.records, UNKNOWN)
    missing = frozenset(name for name, value in ((freq.start, start), (freq.end, end), (freq.records, records)) if value is UNKNOWN)
    if missing:
        return Check(UNKNOWN, missing=missing)
    assert isinstance(start, dt.date) and isinstance(end, dt.date) and isinstance(records, DateList)
    if end < start:
        return Check(None, finding=f"检查期间起止日期颠倒({start} 至 {end}),无法判定")
    what = freq.what or "记录"
    spans = periods(start, end, freq.every)
    whole = [p for p in spans if start <= p.first and p.last <= end]
    unit = EVERY_ZH[freq.every]
    if records.total_only is not None:
        return _totals(freq, records.total_only, len(whole), len(spans), unit, what)
    too_few: list[Period] = []
    too_many: list[tuple[Period, int]] = []
    checked = 0
    undated: list[Held] = []
    for period in spans:
        inside = [h for h in records.held if _within(h, period)]
        if freq.day is not None:
            undated += [h for h in inside if not h.day]
            inside = [h for h in inside if h.day == freq.day]
        count = len(inside)
        if freq.max is not None and count > freq.max:
            too_many.append((period, count))
            continue
        if period in whole:
            checked += 1
            if count < freq.min:
                too_few.append(period)
        elif count >= freq.min:
            checked += 1
    bound = bound_text(freq)
    if too_few or too_many:
        parts = []
        if too_few:
            on_day = f"{freq.day}日的" if freq.day else ""
            have = "无" if freq.min == 1 else f"不足{freq.min}次"
            parts.append(f"{_names(too_few)}{have}{on_day}{what}记录")
        for period, count in too_many:
            parts.append(f"{period.zh()}{what} {count} 次,超过{bound}")
        if undated:
            parts.append(f"另有 {len(undated)} 条记录只填了月份,无法核对是否在{freq.day}日")
        return Check(True, "；".join(parts), failing=len(too_few) + len(too_many))
    if not checked:
        reason = f"检查期间({start} 至 {end})不含完整的{unit},{what}记录尚不能判定"
        return Check(None, reason)
    return Check(False, f"{what}记录 {records.total} 次,检查期间 {checked} 个{unit}均符合{bound}")


def _totals(freq: Frequency, total: int, whole: int, touched: int, unit: str, what: str) -> Check:
    prefix = f"仅填报了总次数(共{total}次),只能比较总数:"
    if freq.max is not None and total > freq.max * touched:
        return Check(True, f"{prefix}检查期间涉及 {touched} 个{unit},最多应为 {freq.max * touched} 次", failing=1, totals_only=True)
    if whole and total < freq.min * whole:
        return Check(True, f"{prefix}检查期间含 {whole} 个完整的{unit},应至少 {freq.min * whole} 次", failing=1, totals_only=True)
    if not whole:
        return Check(None, f"{prefix}检查期间不含完整的{unit},尚不能判定", totals_only=True)
    return Check(False, f"{prefix}检查期间含 {whole} 个完整的{unit},总数不少于 {freq.min * whole} 次(未核对每个{unit})", totals_only=True)


def _within(held: Held, period: Period) -> bool:
    first = dt.date(held.year, held.month, held.day or 1)
    last = dt.date(held.year, held.month, held.day) if held.day else _month_end(held.year, held.month)
    return period.first <= first and last <= period.last


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


def bound_text(freq: Frequency) -> str:
    """“每月至少1次”, “每年1-2次”, “每月8日至少1次”: the bound in the standard's words."""
    unit = EVERY_ZH[freq.every]
    per = "每月" if freq.every == "month" else ("每年" if freq.every == "year" else f"每{unit}")
    day = f"{freq.day}日" if freq.day else ""
    if freq.max is not None and freq.max != freq.min:
        return f"{per}{day}{freq.min}-{freq.max}次"
    if freq.max is not None:
        return f"{per}{day}{freq.min}次"
    return f"{per}{day}至少{freq.min}次"


def _names(spans: list[Period]) -> str:
    """2026年3月、5月 / 2026年7月—12月: consecutive months run together, the year said once."""
    if spans[0].every != "month":
        return "、".join(p.zh() for p in spans)
    runs: list[list[Period]] = []
    for period in spans:
        if runs and _next_month(runs[-1][-1]) == period.first:
            runs[-1].append(period)
        else:
            runs.append([period])
    out: list[str] = []
    year = None
    for run in runs:
        a, b = run[0].first, run[-1].first
        head = f"{a.year}年{a.month}月" if a.year != year else f"{a.month}月"
        year = a.year
        if len(run) == 1:
            out.append(head)
        elif len(run) == 2:
            tail = f"{b.month}月" if b.year == a.year else f"{b.year}年{b.month}月"
            out.append(f"{head}、{tail}")
        else:
            tail = f"{b.month}月" if b.year == a.year else f"{b.year}年{b.month}月"
            out.append(f"{head}—{tail}")
        year = b.year
    return "、".join(out)


def _next_month(period: Period) -> dt.date:
    return period.last + dt.timedelta(days=1)
