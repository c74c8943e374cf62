"""What defining a record class costs: the standard `dataclasses.dataclass` against
`inspect_tui.quick_dataclass.dataclass` (the same decorator with __eq__/__hash__/__repr__ shared
instead of generated), for the classes the project defines, in the same run.

    python bench/dataclass_cost.py [--classes 60] [--fields 8] [--runs 7]

Each run defines `--classes` fresh classes of `--fields` fields with each decorator (frozen, as
most of the project's are); the figure is the median time per class, and the ratio quick/standard.
Last line: `dataclass_cost standard_ms=… quick_ms=… ratio=…`.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import time

from inspect_tui.quick_dataclass import dataclass as quick


def _source(classes: int, fields: int) -> str:
    return "\n".join(
        f"@decorate(frozen=True)\nclass C{n}:\n    '''a record'''\n" + "".join(f"    f{k}: int = 0\n" for k in range(fields))
        for n in range(classes))


def per_class_ms(decorate, code, classes: int) -> float:
    started = time.perf_counter()
    exec(code, {"decorate": decorate})
    return (time.perf_counter() - started) * 1000 / classes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classes", type=int, default=60)
    parser.add_argument("--fields", type=int, default=8)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    code = compile(_source(args.classes, args.fields), "<records>", "exec")
    standard, ours = [], []
    for _ in range(args.runs):  # alternating, so machine noise hits both alike
        standard.append(per_class_ms(dataclasses.dataclass, code, args.classes))
        ours.append(per_class_ms(quick, code, args.classes))
    s, q = statistics.median(standard), statistics.median(ours)
    print(f"{args.classes} frozen classes of {args.fields} fields, {args.runs} runs each")
    print(f"dataclass_cost standard_ms={s:.3f} quick_ms={q:.3f} ratio={q / s:.2f}")


if __name__ == "__main__":
    main()
