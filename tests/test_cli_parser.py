"""The parser built for one app command (cli/main.py `build_parser(only=…)`) reads its arguments
exactly as the whole parser does, and the command word is found past the global options."""

from __future__ import annotations

import pytest

from inspect_tui.cli import main as cli


@pytest.mark.parametrize("argv, word", [
    ([], ""),
    (["open", "abc"], "open"),
    (["--sessions", "/tmp/s", "--lang", "en", "open", "abc", "--inspector", "王五"], "open"),
    (["--lang=en", "--exports=/tmp/e", "view", "jiguan"], "view"),
    (["--checklists", "open", "list"], "list"),  # a folder named "open" is a value, not the command
    (["-h", "open"], None),
    (["--version"], None),
    (["--bogus", "open"], None),
    (["export", "x", "-f", "docx"], "export"),
])
def test_the_command_word_is_found_past_the_global_options(argv, word):
    assert cli.command_word(argv) == word


@pytest.mark.parametrize("argv", [
    [],
    ["--lang", "en"],
    ["--sessions", "/tmp/s", "open", "abc"],
    ["open", "abc", "--inspector", "王五"],
    ["--checklists", "/x", "--checklists", "/y", "view", "jiguan"],
    ["--exports=/tmp/e", "view", "tunji"],
])
def test_the_one_command_parser_reads_as_the_whole_one(argv):
    word = cli.command_word(argv)
    assert word in (*cli.APP_COMMANDS, "")
    assert vars(cli.build_parser(word).parse_args(argv)) == vars(cli.build_parser().parse_args(argv))


@pytest.mark.parametrize("argv", [["open"], ["view"], ["open", "a", "b"], ["view", "x", "--nope"]])
def test_its_errors_are_the_whole_parsers(argv, capsys):
    said = []
    for parser in (cli.build_parser(cli.command_word(argv)), cli.build_parser()):
        with pytest.raises(SystemExit) as stop:
            parser.parse_args(argv)
        said.append((stop.value.code, capsys.readouterr().err))
    assert said[0] == said[1] and said[0][0] == 2 and said[0][1].strip()


def test_no_command_module_registers_an_app_command():
    import importlib
    import pkgutil

    import inspect_tui.cli as package

    modules = [importlib.import_module(f"inspect_tui.cli.{info.name}") for info in pkgutil.iter_modules(package.__path__)]
    registering = [module for module in modules if callable(getattr(module, "register", None))]
    assert len(registering) >= 6  # attach, bundle, rectify, report, server, sync at least
    import argparse

    names = []
    sub = argparse.ArgumentParser().add_subparsers()

    def command(name, func, help_key):
        names.append(name)
        return sub.add_parser(name)

    import inspect

    def helper(p, *args, **kwargs):  # the shared argument helpers some register() take (session_arg …)
        return None

    for module in registering:
        extra = list(inspect.signature(module.register).parameters)[1:]
        module.register(command, *(helper for _ in extra))
    assert names and not set(names) & set(cli.APP_COMMANDS)
