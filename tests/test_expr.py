"""The tiny expression language of checklists (`when`, `count`, `applies_when`, warnings).

Checklists are data that anyone may edit, so the language must (1) compute exactly, (2) follow
three-valued logic for facts not yet entered, and (3) refuse at compile time anything that is not
on its whitelist — nothing in a checklist is ever run as Python.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_tui.core.checklist.expr import MAX_LENGTH, ExprError, compile_expr
from inspect_tui.core.checklist.expr_tree import BOOL, DATE, NUM, STR, add_months, months_between
from inspect_tui.core.unknown import UNKNOWN

NAMES = {
    "members": NUM,
    "rate": NUM,
    "flag": BOOL,
    "other_flag": BOOL,
    "has_secretary": BOOL,
    "term_end": DATE,
    "org_type": STR,
    "not_a_list": NUM,
}


def ev(text: str, env: dict | None = None, names: dict | None = None):
    """Compile `text` against NAMES and evaluate it in `env`."""
    return compile_expr(text, NAMES if names is None else names).evaluate(env or {})


def rejected(text: str, names: dict | None = None) -> ExprError:
    with pytest.raises(ExprError) as caught:
        compile_expr(text, NAMES if names is None else names)
    return caught.value


# --- arithmetic, comparison, booleans ---------------------------------------------------------


def test_decimal_arithmetic_is_exact():
    assert ev("0.1 + 0.2 == 0.3") is True
    assert ev("0.1 + 0.2") == Decimal("0.3")
    assert isinstance(ev("0.1 + 0.2"), Decimal)
    assert ev("1.1 * 3") == Decimal("3.3")
    assert ev("0.3 - 0.1 == 0.2") is True
    assert ev("10 / 4") == Decimal("2.5")
    assert ev("7 // 2") == Decimal(3)
    assert ev("-members + 1", {"members": Decimal(5)}) == Decimal(-4)


def test_arithmetic_over_facts_and_precedence():
    env = {"members": Decimal(12), "rate": Decimal("92.5")}
    assert ev("members * 2 + 1", env) == Decimal(25)
    assert ev("members * (2 + 1)", env) == Decimal(36)
    assert ev("rate - 90 == 2.5", env) is True
    # a fact given as a plain int or float still compares as a Decimal
    assert ev("rate == 92.5", {"rate": 92.5}) is True
    assert ev("members == 12", {"members": 12}) is True


def test_division_by_zero_is_unknown_not_a_crash():
    assert ev("members / 0", {"members": Decimal(3)}) is UNKNOWN
    assert ev("members // 0", {"members": Decimal(3)}) is UNKNOWN


@pytest.mark.parametrize(
    "text,expected",
    [
        ("1 < 2", True),
        ("2 <= 2", True),
        ("3 > 4", False),
        ("3 >= 4", False),
        ("3 != 3", False),
        ("1 < 2 < 3 < 4", True),
        ("1 < 3 < 2", False),
        ("3 > 2 > 2", False),
        ("2 == 2.0", True),
        ("true and not false", True),
        ("true or false and false", True),  # `and` binds tighter than `or`
        ("(true or false) and false", False),
        ("True and False", False),  # Python's spelling is accepted too
    ],
)
def test_comparisons_and_booleans(text, expected):
    assert ev(text) is expected


@pytest.mark.parametrize("members,expected", [(1, False), (2, True), (9, True), (10, False)])
def test_chained_comparison_over_a_fact(members, expected):
    assert ev("1 < members < 10", {"members": Decimal(members)}) is expected


def test_in_and_not_in_lists_with_chinese_text():
    env = {"org_type": "党支部"}
    assert ev('org_type == "党支部"', env) is True
    assert ev('org_type != "党委"', env) is True
    assert ev('org_type in ["党委", "党总支"]', env) is False
    assert ev('org_type not in ["党委", "党总支"]', env) is True
    assert ev('org_type in ["党委", "党总支", "党支部"]', env) is True
    assert ev('org_type == "党委"', {"org_type": "党委"}) is True
    assert ev("members in [1, 2, 3]", {"members": Decimal(2)}) is True
    assert ev("members in [1, 2, 3]", {"members": Decimal("2.5")}) is False


def test_dates_compare_and_inspection_date_is_a_builtin_name():
    env = {"term_end": dt.date(2024, 3, 31), "inspection_date": dt.date(2024, 6, 1)}
    assert ev('term_end < date("2024-04-01")', env) is True
    assert ev("term_end < inspection_date", env) is True
    assert ev('term_end == date("2024-03-31")', env) is True


# --- three-valued logic ---------------------------------------------------------------------


def test_missing_fact_is_unknown():
    assert ev("members") is UNKNOWN
    assert ev("members", {"members": None}) is UNKNOWN  # None also means "not entered"
    assert ev("members > 3") is UNKNOWN
    assert ev("members + 1") is UNKNOWN
    assert ev("-members") is UNKNOWN
    assert ev('org_type == "党支部"') is UNKNOWN
    assert ev('org_type in ["党委"]') is UNKNOWN
    assert ev('org_type not in ["党委"]') is UNKNOWN
    assert ev("term_end < inspection_date", {"inspection_date": dt.date(2024, 1, 1)}) is UNKNOWN


@pytest.mark.parametrize(
    "text,expected",
    [
        ("false and flag", False),
        ("flag and false", False),
        ("true or flag", True),
        ("flag or true", True),
        ("true and flag", UNKNOWN),
        ("flag and true", UNKNOWN),
        ("false or flag", UNKNOWN),
        ("not flag", UNKNOWN),
        ("flag and other_flag", UNKNOWN),
        ("members > 3 and false", False),
        ("members > 3 or members < 100 or true", True),
        ("not (members > 3)", UNKNOWN),
    ],
)
def test_kleene_logic(text, expected):
    assert ev(text) is expected


def test_kleene_logic_once_the_fact_is_known():
    assert ev("true and flag", {"flag": True}) is True
    assert ev("true and flag", {"flag": False}) is False
    assert ev("false or flag", {"flag": True}) is True
    assert ev("not flag", {"flag": False}) is True


def test_unknown_has_no_truth_value():
    with pytest.raises(TypeError):
        bool(UNKNOWN)


def test_known():
    assert ev("known(members)") is False
    assert ev("known(members)", {"members": Decimal(0)}) is True
    assert ev("known(flag)", {"flag": False}) is True
    assert ev("not known(term_end)") is True
    # known() lets a rule decide without waiting for the fact
    assert ev("known(members) and members > 3") is False
    assert ev("known(members) and members > 3", {"members": Decimal(4)}) is True


# --- functions ------------------------------------------------------------------------------


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def test_date_literal():
    assert ev('date("2024-01-31")') == dt.date(2024, 1, 31)
    assert rejected('date("2024-02-30")').message.startswith("not a date")
    assert "literal" in rejected("date(org_type)").message


@pytest.mark.parametrize(
    "start,months,expected",
    [
        ("2024-01-31", 1, "2024-02-29"),  # leap year: clamp to the 29th
        ("2023-01-31", 1, "2023-02-28"),
        ("2024-03-31", 1, "2024-04-30"),
        ("2024-01-15", 1, "2024-02-15"),
        ("2024-11-30", 3, "2025-02-28"),
        ("2024-01-15", 12, "2025-01-15"),
        ("2024-01-15", 0, "2024-01-15"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2023-03-31", -1, "2023-02-28"),
        ("2024-01-15", -1, "2023-12-15"),
        ("2024-01-15", -13, "2022-12-15"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", -12, "2023-02-28"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, expected):
    assert ev(f'add_months(date("{start}"), {months})') == d(expected)


def test_add_months_over_facts():
    env = {"term_end": d("2024-08-31"), "members": Decimal(-6), "inspection_date": d("2024-03-01")}
    assert ev("add_months(term_end, members)", env) == d("2024-02-29")
    assert ev("add_months(term_end, -6) <= inspection_date", env) is True
    assert ev("add_months(term_end, members)", {"term_end": d("2024-08-31")}) is UNKNOWN


@pytest.mark.parametrize(
    "start,end,expected",
    [
        ("2024-01-15", "2024-01-15", 0),
        ("2024-01-15", "2024-02-14", 0),  # one day short of a whole month
        ("2024-01-15", "2024-02-15", 1),
        ("2024-01-15", "2024-02-16", 1),
        ("2023-06-01", "2024-06-01", 12),
        ("2023-06-02", "2024-06-01", 11),
        ("2024-01-31", "2024-03-01", 1),
        ("2024-02-15", "2024-01-15", -1),
        ("2024-02-15", "2024-01-16", 0),  # less than a whole month back
        ("2024-02-15", "2024-01-14", -1),
        ("2024-06-01", "2023-06-01", -12),
        ("2024-06-01", "2023-06-02", -11),
    ],
)
def test_months_between_counts_whole_months_both_ways(start, end, expected):
    assert ev(f'months_between(date("{start}"), date("{end}"))') == Decimal(expected)
    assert ev(f'months_between(date("{end}"), date("{start}"))') == Decimal(-expected)


def test_months_between_inverts_add_months_at_month_end():
    # Found: months_between(2024-01-31, 2024-02-29) was 0 although add_months(2024-01-31, 1) is
    # 2024-02-29 (dateutil's relativedelta also says 1 month), so a rule written with one
    # function and checked with the other (任期届满前6个月) decided differently at month ends.
    assert ev('add_months(date("2024-01-31"), 1) == date("2024-02-29")') is True
    assert ev('months_between(date("2024-01-31"), date("2024-02-29"))') == Decimal(1)
    assert ev('months_between(date("2024-08-31"), add_months(date("2024-08-31"), 6))') == Decimal(6)


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)))
def test_months_between_is_the_whole_months_add_months_counts(a, b):
    n = months_between(a, b)
    assert n == -months_between(b, a)
    assert n == n.to_integral_value()
    if a <= b:
        assert add_months(a, n) <= b < add_months(a, n + 1)


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)), st.integers(-600, 600))
def test_add_months_lands_in_the_right_month_and_clamps_only_at_month_end(day, months):
    result = add_months(day, Decimal(months))
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + dt.timedelta(days=1)).day == 1)
    if months >= 0:
        assert months_between(day, result) == months


def test_days_between():
    assert ev('days_between(date("2024-02-28"), date("2024-03-01"))') == Decimal(2)
    assert ev('days_between(date("2023-02-28"), date("2023-03-01"))') == Decimal(1)
    assert ev('days_between(date("2024-03-01"), date("2024-02-28"))') == Decimal(-2)
    assert ev("days_between(term_end, inspection_date)", {"inspection_date": d("2024-01-01")}) is UNKNOWN


def test_count_true_and_count_false():
    env = {"flag": True, "other_flag": False, "has_secretary": False}
    assert ev("count_true(flag, other_flag, has_secretary)", env) == Decimal(1)
    assert ev("count_false(flag, other_flag, has_secretary)", env) == Decimal(2)
    assert ev("count_false(flag, other_flag) * 2", env) == Decimal(2)
    assert ev("count_false(flag, other_flag)", {"flag": True}) is UNKNOWN
    assert "boolean" in rejected("count_true(members)").message


def test_min_and_max():
    assert ev("min(3, 1.5, 2)") == Decimal("1.5")
    assert ev("max(3, 1.5, 2)") == Decimal(3)
    assert ev("max(members - 10, 0)", {"members": Decimal(7)}) == Decimal(0)
    assert ev("min(members, 5)", {"members": Decimal(7)}) == Decimal(5)
    assert ev("min(members, 5)") is UNKNOWN
    assert "at least one" in rejected("min()").message


def test_compiled_expression_reports_the_facts_it_reads():
    compiled = compile_expr("members > 3 and not flag or inspection_date > term_end", NAMES)
    assert compiled.names == frozenset({"members", "flag", "term_end"})
    assert compiled.kind == BOOL
    assert compile_expr("members * 2", NAMES).kind == NUM


# --- safety: refused at compile time, never evaluated ---------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os')",
        "__import__('os').system('echo pwned')",
        "().__class__",
        "().__class__.__bases__[0].__subclasses__()",
        "members.real",
        "org_type.upper()",
        "x.y",
        "[1, 2][0]",
        "org_type[0]",
        "lambda: 1",
        "(lambda x: x)(1)",
        "[m for m in [1, 2]]",
        "{m for m in [1, 2]}",
        "{m: 1 for m in [1, 2]}",
        "sum(m for m in [1, 2])",
        "f'{members}'",
        "(y := 1)",
        "open('x')",
        "eval('1')",
        "exec('1')",
        "getattr(members, 'real')",
        "foo(1)",
        "min(1, key=2)",
        "max(*[1, 2])",
        "2 ** 3",
        "members ** 2",
        "7 % 2",
        "1 & 2",
        "1 | 2",
        "1 ^ 2",
        "1 << 2",
        "1 >> 2",
        "~1",
        "+members",
        "members if flag else 0",
        "members is 1",
        "{1: 2}",
        "None",
        "b'bytes'",
        "1j",
        "...",
        "await members",
        "yield",
        "__builtins__",
    ],
)
def test_dangerous_or_unsupported_syntax_is_refused(text):
    error = rejected(text)
    assert error.message
    assert error.col >= 1


def test_refusal_happens_before_anything_runs(tmp_path):
    marker = tmp_path / "pwned"
    for text in (
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w')",
        f"[__import__('os').system('touch {marker}') for _ in [1]]",
    ):
        rejected(text)
    assert not marker.exists()


def test_function_errors_name_the_problem():
    assert "unknown function" in rejected("open('x')").message
    assert "unknown function" in rejected("__import__('os')").message
    assert "positional" in rejected("min(1, key=2)").message
    assert "only + - * / //" in rejected("2 ** 3").message
    assert "argument" in rejected("add_months(term_end)").message


def test_length_limit():
    at_limit = "1" + " " * (MAX_LENGTH - 3) + "+1"
    assert len(at_limit) == MAX_LENGTH
    assert ev(at_limit) == Decimal(2)
    over = at_limit + " "
    assert len(over) == MAX_LENGTH + 1
    assert "longer than" in rejected(over).message
    assert "longer than" in rejected("members > 1 and " * 40 + "true").message


@pytest.mark.parametrize("depth", [210, 249, 300, 1000])
def test_deeply_nested_parentheses_are_refused(depth):
    rejected("(" * depth + "1" + ")" * depth)


def test_moderately_nested_expression_still_works():
    assert ev("(" * 50 + "members" + ")" * 50 + " > 1", {"members": Decimal(2)}) is True
    assert ev("not " * 100 + "flag", {"flag": True}) is True
    assert ev("-" * 101 + "1") == Decimal(-1)


def test_long_unary_chain_within_the_length_limit_is_an_expr_error():
    # Found: 499 unary minus signs (500 characters) raised RecursionError out of compile_expr.
    text = "-" * (MAX_LENGTH - 1) + "1"
    assert len(text) == MAX_LENGTH
    try:
        compiled = compile_expr(text, NAMES)
    except ExprError:
        return  # refusing it is fine; so is compiling it, if it then evaluates
    assert compiled.evaluate({}) == Decimal(-1)


def test_empty_and_non_text_expressions():
    rejected("")
    rejected("   ")
    with pytest.raises(ExprError):
        compile_expr(42, NAMES)  # type: ignore[arg-type]


def test_syntax_errors_are_expr_errors():
    for text in ("members >", "members > > 1", "(members", "members = 1", "1 +* 2"):
        assert rejected(text).message.startswith("syntax error")


# --- names and types --------------------------------------------------------------------------


def test_unknown_fact_is_named_with_a_did_you_mean_hint():
    error = rejected("memebrs > 7")
    assert "'memebrs'" in error.message
    assert "did you mean 'members'" in error.message
    error = rejected("has_secretery and flag")
    assert "'has_secretery'" in error.message
    assert "did you mean 'has_secretary'" in error.message


def test_unknown_fact_without_a_near_name_has_no_hint():
    error = rejected("zzzzqqq > 1")
    assert "'zzzzqqq'" in error.message
    assert "did you mean" not in error.message


@pytest.mark.parametrize(
    "text,words",
    [
        ("term_end < 5", ["date", "number"]),
        ('members == "7"', ["number", "text"]),
        ('org_type < 3', ["text", "number"]),
        ("org_type in not_a_list", ["in", "list"]),
        ("members in members", ["list"]),
        ("term_end + 1", ["date"]),
        ("term_end - term_end", ["date"]),
        ("-term_end", ["date"]),
        ('add_months(org_type, 1)', ["date", "text"]),
        ("add_months(term_end, term_end)", ["number", "date"]),
        ("months_between(term_end, 3)", ["date", "number"]),
        ("min(members, term_end)", ["number", "date"]),
    ],
)
def test_type_errors(text, words):
    message = rejected(text).message
    for word in words:
        assert word in message


def test_lists_hold_only_constants():
    assert "constants" in rejected("members in [members, 1]").message


# --- error positions ---------------------------------------------------------------------------


def test_error_column_points_at_the_offending_part():
    text = "members > 1 and x.y"
    error = rejected(text)
    assert error.col == text.index("x.y") + 1
    text = "members > 1 and memebrs < 3"
    error = rejected(text)
    assert error.col == text.index("memebrs") + 1
    text = "flag or org_type in not_a_list"
    error = rejected(text)
    assert error.col == text.index("not_a_list") + 1


def test_error_column_counts_characters_after_chinese_text():
    # Found: col was Python's UTF-8 byte offset, 2 columns too far per Chinese character.
    text = 'org_type == "党支部" and x.y'
    error = rejected(text)
    assert error.col == text.index("x.y") + 1  # 23 (it was 29)
    text = 'org_type == "党支部" and memebrs'
    assert rejected(text).col == text.index("memebrs") + 1
    text = 'org_type in ["党委", "党总支"] and (members'  # a syntax error, reported by Python
    assert rejected(text).col == text.index("(members") + 1
    text = "  members > > 1"
    assert rejected(text).col == text.rindex(">") + 1


def test_error_column_counts_leading_spaces():
    # Found: col was counted in the stripped text.
    text = "  x.y"
    assert rejected(text).col == 3


def test_add_months_out_of_the_calendar_does_not_crash_evaluation():
    # Found: ValueError escaped Expr.evaluate (and scoring.score) for a date pushed past year 1/9999.
    compiled = compile_expr("add_months(term_end, -1) < inspection_date", NAMES)
    env = {"term_end": dt.date(1, 1, 15), "inspection_date": dt.date(2024, 1, 1)}
    assert compiled.evaluate(env) is UNKNOWN
    big = compile_expr("add_months(term_end, members)", NAMES)
    assert big.evaluate({"term_end": dt.date(2024, 1, 1), "members": Decimal(100_000)}) is UNKNOWN
