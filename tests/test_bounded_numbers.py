"""Bounded numbers (issue 12, part 2): every number from outside is checked for length, digits and
exponent before any conversion; NaN and infinities are refused; each refusal is one line, at once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from inspect_tui.core.session.answers import parse_fact_value
from inspect_tui.core.checklist.expr import ExprError, compile_expr
from inspect_tui.core.checklist.loader import parse_checklist
from inspect_tui.core.checklist.model import Fact
from inspect_tui.core.numbers import NumberError, bounded
from inspect_tui.core.checklist.yamlsafe import FileProblems

from .conftest import CHECKLISTS, run_cli

HOSTILE = ["1e99999999", "9" * 5000, "NaN", "inf", "-Infinity", "1e13", "1E-40", "0x10", "٣"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_numbers_are_refused_at_once(text):
    start = time.perf_counter()
    with pytest.raises(NumberError):
        bounded(text)
    with pytest.raises(ValueError):
        parse_fact_value(Fact("n", "人数", "integer"), text)
    assert time.perf_counter() - start < 0.5


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**100, True])
def test_hostile_values_from_json_or_yaml_are_refused(value):
    with pytest.raises(ValueError):
        parse_fact_value(Fact("n", "比例", "number"), value)


def test_ordinary_numbers_pass():
    assert bounded("60") == 60 and bounded("92.5") == bounded(92.5) and bounded(-3) == -3


@pytest.mark.parametrize("line, message", [
    ("    points: .nan", "finite"),
    ("    points: " + "9" * 5000, "number too long"),
])
def test_checklist_points_out_of_bounds_name_the_line(line, message):
    text = (CHECKLISTS / "example.yaml").read_text(encoding="utf-8").replace("    points: 60\n", line + "\n", 1)
    with pytest.raises(FileProblems) as caught:
        parse_checklist(text, "bad.yaml")
    first = str(caught.value.problems[0])
    assert first.startswith("bad.yaml:") and message in first and "set_int_max_str_digits" not in first


def test_min_above_max_is_refused():
    text = (CHECKLISTS / "example.yaml").read_text(encoding="utf-8").replace("    min: 0\n    max: 100\n", "    min: 100\n    max: 0\n", 1)
    with pytest.raises(FileProblems) as caught:
        parse_checklist(text, "bad.yaml")
    assert "below its min" in str(caught.value.problems[0])


def test_expression_constants_are_bounded():
    with pytest.raises(ExprError):
        compile_expr("m > 1e999", {"m": "number"})


def test_cli_fact_of_twelve_characters_does_not_hang(tmp_path: Path):
    sessions = tmp_path / "s"
    made = run_cli("--sessions", str(sessions), "new", "--checklist", "shequ", "--branch", "甲支部")
    assert made.returncode == 0, made.stderr
    sid = made.stdout.split()[0]
    start = time.perf_counter()
    done = run_cli("--sessions", str(sessions), "fact", sid, "full_members", "1e99999999", timeout=20)
    assert time.perf_counter() - start < 10  # a child process: start-up included
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
