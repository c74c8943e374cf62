"""The fuzz tier (issue 12, part 9): files made to break the program, run in-process.

Hypothesis mutates valid inputs — the example checklist, an answers file, a session file, a bundle
— by byte flips, truncations, a value swapped for another type, hostile text or a hostile number
at any key, and runs each through the commands a user would: validate and score, list, show and
export, import. The only outcomes allowed are the CLI's own: success, or the documented errors
`cli/main.py` `_report` turns into one line (FileProblems and UsageError → 2, SessionError and
BundleError → 2, StorageError and DamagedFileError → 1) — never 内部错误 and never a traceback —
and each command within 2 s of CPU: a bound on pathological input (a hang guard), not a benchmark.
CPU time, not the clock: on a machine shared under load a plain score once took 2.3 s by the clock
(and 0.1 s when Hypothesis ran it again), while what the guard is for — `int(Decimal("1e99999999"))`
and the like — burns CPU. A command blocked without working (a lock, a pipe) is caught by a wall
clock bound of 10 s.

Examples per test come from the Hypothesis profile (tests/conftest.py): a few hundred in all by
default, thousands with `--hypothesis-profile=long`.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from inspect_tui.cli.main import main

from .conftest import CHECKLISTS

pytestmark = pytest.mark.slow

HANG_GUARD = 2.0  # CPU seconds for one command on one input
BLOCKED_GUARD = 10.0  # seconds by the clock


def _examples(share: float) -> int:
    """This test's part of the profile's examples (100 by default, 3000 with "long")."""
    return max(10, int(settings.default.max_examples * share))


def fuzz(share: float):  # noqa: ANN201
    return settings(max_examples=_examples(share), deadline=None, derandomize=False,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much])


def run(*argv: str) -> tuple[int, str, str]:
    """One command in-process; fails the example on an internal error, a traceback or a hang."""
    out, err = io.StringIO(), io.StringIO()
    start, cpu_start = time.perf_counter(), time.process_time()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    said = err.getvalue()
    assert code in (0, 1, 2), (argv, code, said)
    assert "内部错误" not in said and "internal error" not in said.lower() and "Traceback" not in said, (argv, said)
    assert cpu < HANG_GUARD, f"{argv[-3:]}: {cpu:.1f} s of CPU"
    assert elapsed < BLOCKED_GUARD, f"{argv[-3:]}: {elapsed:.1f} s, blocked"
    return code, out.getvalue(), said


# -- mutations --------------------------------------------------------------------------------------

HOSTILE_TEXT = st.sampled_from([
    "\x1b]0;pwned\x07", "\x1b[2J", "a\x00b", "\x85", "\x9b31m", "\x7f", "\u202eevil", "\u2066x\u2069", "\udcff",
    "\ufdd0", "\uffff", "x" * 100_001, "行一\n行二", "\r", "", " ", "{fact}", "{", "___", "=HYPERLINK(\"x\")",
    "<script>alert(1)</script>", "[b]markup[/b]", "../../etc/passwd", "%s%n", "null", "~",
])
HOSTILE_NUMBER = st.sampled_from([
    "1e99999999", "-1e99999999", "1e400", "1e-400", ".nan", ".inf", "-.inf", "9" * 5000, "-0", "0x1F",
    "1_000", "0o17", "1e308", "12345678901234567890123", "3.14159265358979323846264338327950288", "-1",
])
# a value of another type, as YAML text
OTHER_TYPE = st.sampled_from(["[]", "{}", "[1, 2]", "{a: 1}", "null", "true", "false", "2024-02-30",
                              "2024-01-01", "!!binary aGk=", "!!python/name:os.system", "&a 1", "*a", "|\n  x"])
RAW_VALUE = st.one_of(HOSTILE_NUMBER, OTHER_TYPE, HOSTILE_TEXT.map(json.dumps))


def flip_bytes(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    out = bytearray(data)
    for index, value in flips:
        if out:
            out[index % len(out)] = value
    return bytes(out)


@st.composite
def mutated_text(draw: st.DrawFn, text: str) -> bytes:
    """`text` (YAML or JSON) spoiled one of four ways."""
    data = text.encode("utf-8")
    how = draw(st.sampled_from(["flip", "truncate", "value", "line"]))
    if how == "flip":
        return flip_bytes(data, draw(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 255)), min_size=1, max_size=8)))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    lines = text.split("\n")
    index = draw(st.integers(0, len(lines) - 1))
    line = lines[index]
    if how == "value" and ":" in line:
        # the value at a key replaced by a hostile number, another type or hostile text
        key = line.split(":", 1)[0]
        lines[index] = f"{key}: {draw(RAW_VALUE)}"
    else:
        lines.insert(index, draw(st.sampled_from(["- x", "  - x", "x: 1", "  x: 1", ":", "- - -", "\t", "'", '"'])))
    return "\n".join(lines).encode("utf-8", "surrogatepass")  # a lone surrogate: bytes that are not UTF-8


def paths_of(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path inside parsed data (dicts and lists), for a swap anywhere."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, inner in value.items():
            found += paths_of(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            found += paths_of(inner, (*prefix, index))
    return found


PY_VALUE = st.one_of(
    HOSTILE_TEXT, st.sampled_from([None, True, False, 0, -1, 10**4000, float("nan"), float("inf"), -float("inf"), 1e308,
                                   [], {}, [None], {"": None}, "1e99999999", 2**63, -(2**63)]),
    st.text(max_size=20), st.integers(), st.floats(),
)


@st.composite
def swapped(draw: st.DrawFn, data: Any) -> Any:
    """A deep copy of `data` with the value at one path (or a few) replaced."""
    data = json.loads(json.dumps(data, default=str))  # a copy; YAML dates as text
    for _ in range(draw(st.integers(1, 3))):
        paths = paths_of(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        holder = data
        for step in path[:-1]:
            holder = holder[step]
        if draw(st.booleans()) or not isinstance(holder, dict):
            holder[path[-1]] = copy.deepcopy(draw(PY_VALUE))  # sampled lists are shared: never spoil them
        else:  # the key itself hostile
            holder[draw(HOSTILE_TEXT)] = holder.pop(path[-1])
    return data


def dump_json(data: Any) -> bytes:
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=True).encode("utf-8", "surrogatepass")
    except ValueError:  # an int too long for str(): such a file cannot be written, so is not an input
        return b"{}"


# -- inputs -----------------------------------------------------------------------------------------

EXAMPLE = (CHECKLISTS / "example.yaml").read_text(encoding="utf-8")
ANSWERS = """\
facts:
  full_members: 45
  satisfaction_rate: 92.5
  has_committee: true
  term_end: 2027-03-01
  org_type: 党支部
  secretary_name: 张三
  bad_groups: 1
  committee_dates: [2026-01-05, 2026-02-03]
answers:
  org.room.sign: pass
  org.room.boards: {state: fail, note: 制度未上墙, evidence: [photo.jpg]}
  team.floating: {state: fail, override: {points: 2, reason: 两名流动党员失联}}
inspection_date: 2026-06-01
"""


@pytest.fixture(scope="module")
def answers_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "answers.yaml"
    path.write_text(ANSWERS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A sessions folder with one inspection in it (facts, answers, a note) and a bundle of it."""
    root = tmp_path_factory.mktemp("template")
    folder = root / "sessions"
    answers = root / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    code, out, err = run("--sessions", str(folder), "new", "--checklist", "example", "--branch", "幸福社区党支部",
                         "--inspector", "张三", "--date", "2026-06-01")
    assert code == 0, err
    session_id = out.strip().split()[-1]
    assert run("--sessions", str(folder), "import-answers", session_id, str(answers))[0] == 0
    bundle = root / "one.itb"
    assert run("--sessions", str(folder), "bundle", "--all", "-o", str(bundle))[0] == 0
    path = next(folder.glob(f"{session_id}*.json"))
    return {"folder": folder, "id": session_id, "file": path.name, "session": json.loads(path.read_text(encoding="utf-8")),
            "bundle": bundle.read_bytes()}


# -- the tests --------------------------------------------------------------------------------------

@fuzz(1.0)
@given(data=mutated_text(EXAMPLE))
def test_a_spoiled_checklist_is_valid_or_refused(answers_file: Path, data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "spoiled.yaml"
        path.write_bytes(data)
        code, _, _ = run("validate", str(path))
        if code == 0:  # still valid: it must also score, describe and open in a session
            run("score", str(path), "--answers", str(answers_file), "--json")
            run("describe", str(path))


@fuzz(0.8)
@given(data=st.data())
def test_a_checklist_with_a_value_swapped_anywhere(answers_file: Path, data: st.DataObject):
    spoiled = data.draw(swapped(yaml.safe_load(EXAMPLE)))
    try:
        text = yaml.safe_dump(spoiled, allow_unicode=True)
    except (ValueError, yaml.YAMLError):  # not writable as YAML (a lone surrogate, a huge int)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "swapped.yaml"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        if run("validate", str(path))[0] == 0:
            run("score", str(path), "--answers", str(answers_file))


@fuzz(0.8)
@given(data=st.data())
def test_a_spoiled_answers_file_scores_or_is_refused(data: st.DataObject):
    if data.draw(st.booleans()):
        content = data.draw(mutated_text(ANSWERS))
    else:
        content = dump_json(data.draw(swapped(yaml.safe_load(ANSWERS))))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.yaml"
        path.write_bytes(content)
        run("score", "example", "--answers", str(path))


@fuzz(0.7)
@given(data=st.data())
def test_a_spoiled_session_file_opens_or_is_quarantined(template: dict[str, Any], data: st.DataObject):
    if data.draw(st.booleans()):
        content = dump_json(data.draw(swapped(template["session"])))
    else:
        content = data.draw(mutated_text(json.dumps(template["session"], ensure_ascii=False, indent=1)))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sessions"
        shutil.copytree(template["folder"], folder)
        (folder / template["file"]).write_bytes(content)
        base = ("--sessions", str(folder))
        run(*base, "list")
        run(*base, "show", template["id"])
        fmt = data.draw(st.sampled_from(["md", "csv", "json", "html", "xlsx", "docx"]))
        run(*base, "export", template["id"], "-f", fmt, "-o", str(Path(tmp) / f"out.{fmt}"))


@fuzz(0.7)
@given(data=st.data())
def test_a_spoiled_bundle_imports_whole_or_not_at_all(template: dict[str, Any], data: st.DataObject):
    raw = template["bundle"]
    header, body = raw.split(b"\n", 1)
    how = data.draw(st.sampled_from(["forged", "bytes"]))
    if how == "forged":  # the checksums made right again: only the validation of the content is left
        from .test_hostile_text import forge_bundle

        content = data.draw(swapped(json.loads(body)))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "forged.itb"
            try:
                forge_bundle(content, path)
            except (KeyError, TypeError, ValueError, AttributeError):  # the manifest itself spoiled: written as is
                path.write_bytes(header + b"\n" + dump_json(content))
            _import(Path(tmp), path)
    else:
        spoiled = data.draw(mutated_text(raw.decode("utf-8")))
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "spoiled.itb"
            path.write_bytes(spoiled)
            _import(Path(tmp), path)


def _import(tmp: Path, path: Path) -> None:
    folder = tmp / "target"
    code, _, _ = run("--sessions", str(folder), "import", str(path))
    written = sorted(p.name for p in folder.glob("*.json")) if folder.exists() else []
    if code != 0:
        assert not written, "a refused bundle wrote sessions"  # all or nothing
    else:
        run("--sessions", str(folder), "list")
