"""The three layers: the core never loads Textual (nor Rich), and the CLI loads it only for the app."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import inspect_tui
import inspect_tui.core
import inspect_tui.store

PACKAGE_ROOT = str(Path(inspect_tui.__file__).resolve().parent.parent)


def core_modules() -> list[str]:
    """Every module of the core and the store, sub-packages (core.export …) included."""
    names = []
    for package in (inspect_tui.core, inspect_tui.store):
        names += [m.name for m in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}.")]
    return names


def loaded_after(code: str) -> set[str]:
    script = code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True,
        env={"PYTHONPATH": PACKAGE_ROOT, "PATH": "/usr/bin:/bin"},
    ).stdout
    return set(json.loads(out))


def test_there_are_core_modules_to_check():
    names = core_modules()
    assert {"inspect_tui.core.analysis.scoring", "inspect_tui.core.checklist.loader", "inspect_tui.store.durable",
            "inspect_tui.core.export.docx", "inspect_tui.core.export.xlsx"} <= set(names)


def test_the_import_contracts_hold():
    """import-linter checks the contracts in pyproject.toml ([tool.importlinter]) over the whole
    import graph: the core and the store import no Textual or Rich, nor i18n; cli > app > core > store;
    a checklist knows nothing of sessions; analysis reads no files; the CLI reaches the app only
    through its launcher."""
    lint = Path(sys.executable).parent / "lint-imports"
    if not lint.exists():
        import pytest

        pytest.skip("import-linter is in the test extra; not installed here")
    repo = Path(__file__).resolve().parent.parent
    done = subprocess.run([str(lint), "--no-cache"], capture_output=True, text=True, cwd=repo,
                          env={"PYTHONPATH": PACKAGE_ROOT, "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    import tomllib

    contracts = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    assert len(contracts) >= 7  # the layers, the core's parts, the CLI's reach into the app
    assert f"{len(contracts)} kept, 0 broken" in done.stdout


def test_core_imports_no_textual():
    modules = core_modules()
    loaded = loaded_after("\n".join(f"import {name}" for name in modules))
    assert set(modules) <= loaded
    assert not {m for m in loaded if m == "textual" or m.startswith(("textual.", "rich"))}


def test_headless_cli_commands_do_not_load_textual():
    code = (
        "import sys, io\nfrom inspect_tui.cli.main import main\n"
        "sys.stdout = io.StringIO()\nmain(['checklists', '--json'])\nsys.stdout = sys.__stdout__"
    )
    loaded = loaded_after(code)
    assert "inspect_tui.core.checklist.catalog" in loaded
    assert "textual" not in loaded


@pytest.mark.slow  # forty interpreters each importing Textual: the app layer, in the slow tier
def test_every_app_module_imports_on_its_own():
    """Screens are imported lazily, in any order: none may rely on another having run first
    (class bodies look up their strings when the module loads)."""
    import inspect_tui.app
    import inspect_tui.app.screens
    import inspect_tui.app.widgets

    names = ["inspect_tui.app.app", "inspect_tui.app.commands", "inspect_tui.app.render"]
    for package in (inspect_tui.app.screens, inspect_tui.app.widgets):
        names += [f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__)]
    for name in names:
        done = subprocess.run([sys.executable, "-c", f"import {name}"], capture_output=True, text=True,
                              env={"PYTHONPATH": PACKAGE_ROOT, "PATH": "/usr/bin:/bin"})
        assert done.returncode == 0, f"{name}: {done.stderr[-500:]}"
