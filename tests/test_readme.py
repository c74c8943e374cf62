"""The README's two commands are the ones CI runs and the ones a newcomer types."""

from __future__ import annotations

from .conftest import REPO


def readme_commands() -> list[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = text.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line and not line.startswith("#")]


def test_readme_opens_with_install_and_run_then_install_and_test():
    run, test = readme_commands()
    assert "pip install -q ." in run and "inspect-tui view" in run
    assert "pip install -q '.[test]'" in test and "pytest" in test


def test_ci_runs_exactly_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert readme_commands()[1] in ci.splitlines()


def test_every_package_in_src_is_listed_for_the_wheel():
    """pyproject lists packages by hand (to map checklists/ into the wheel); none may be forgotten."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    src = REPO / "src"
    found = {
        ".".join(init.parent.relative_to(src).parts)
        for init in src.rglob("__init__.py")
    }
    assert found | {"inspect_tui.checklists"} == listed
