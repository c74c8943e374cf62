"""The parsed form of a frozen checklist, kept between runs so that opening a session does not
compose its YAML again (issue 11, point 8).

Every session holds the checklist text it was started with. Parsing that text — PyYAML imported,
the pure-Python composer walking it, the loader checking every field — was the largest single
cost of `inspect-tui open`. The model it yields is plain frozen data, so it is written once to the
user cache folder as JSON (never pickle: reading a cache must not be able to run code) under the
SHA-256 of the frozen text, and read back on the next open.

The cache is only ever a shortcut, never a source of truth:
- the file name and the `key` inside it are the text's hash, and `builder` is a fingerprint of the
  code that shapes the model (loader, model, expressions, records): a new version of inspect-tui
  never reads what an older one wrote;
- the body carries its own SHA-256: a torn or edited file is ignored, and rebuilt from the text;
- only the model's own classes are rebuilt from it, by name, with exactly their fields;
- the folder is owner-only (0700) and each file 0600, written to a temporary name and renamed.
Anything odd on reading — missing, unreadable, damaged, another key — means: parse the text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_BYTES = 4 * 1024 * 1024  # yamlsafe.MAX_BYTES (not imported: it imports YAML); larger goes to the loader
ENV = "INSPECT_TUI_CACHE"  # the cache folder; tests point it at a temporary folder
_SHAPERS = ("loader.py", "nodes.py", "model.py", "expr.py", "expr_tree.py", "records.py", "yamlsafe.py", "cache.py")

# The classes a cached model may contain, by module: nothing else is ever built from a cache file.
_CLASSES = {
    "model": ("Source", "Fact", "Rule", "OneOf", "Warning", "Item", "Section", "Grade", "Checklist"),
    "expr": ("Expr",),
    "expr_tree": ("Const", "Name", "Not", "BoolOp", "Compare", "Arith", "Neg", "List", "Call"),
    "records": ("Frequency",),
}
# Expression operators are Python's `ast` classes (the tree keeps the class, not an instance).
_OPERATORS = ("Eq", "NotEq", "Lt", "LtE", "Gt", "GtE", "In", "NotIn", "Add", "Sub", "Mult", "Div", "FloorDiv")


class Unusable(Exception):
    """The cache file cannot be trusted (or a model cannot be written): parse the text instead."""


def folder() -> Path:
    if os.environ.get(ENV):
        return Path(os.environ[ENV]).expanduser()
    from platformdirs import user_cache_path

    return user_cache_path("inspect-tui", appauthor=False) / "checklists"


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_builder: str | None = None


def builder() -> str:
    """A fingerprint of the code that turns checklist text into the model (read once per process)."""
    global _builder
    if _builder is None:
        digest = hashlib.sha256(str(FORMAT).encode())
        here = Path(__file__).resolve().parent
        for name in _SHAPERS:
            try:
                digest.update((here / name).read_bytes())
            except OSError:  # not installed as files (a zip): the package version stands in
                from importlib.metadata import PackageNotFoundError, version

                try:
                    digest.update(version("inspect-tui").encode())
                except PackageNotFoundError:
                    pass
        _builder = digest.hexdigest()
    return _builder


def path_for(key: str) -> Path:
    return folder() / f"{key}.json"


# -- reading ------------------------------------------------------------------------------------


def load_file(path: str | Path) -> Any:
    """`loader.load_checklist(path)`, served from the cache when the file's text has been parsed
    before (the catalog reads every checklist file to find one id: at every open, to say whether
    the standard has a newer version). Anything unusual about the file goes to the loader, which
    says what is wrong with it."""
    path = Path(path)
    text = _plain_text(path)
    if text is None:
        from .loader import load_checklist

        return load_checklist(path)
    model = load(text)
    if model is None:
        from .loader import parse_checklist  # raises FileProblems for a bad file: nothing is kept

        model = parse_checklist(text, str(path), path)
        store(text, model)
    object.__setattr__(model, "path", path)  # a fresh object of ours (frozen only for its users)
    return model


def _plain_text(path: Path) -> str | None:
    """The text of an ordinary small UTF-8 file, or None for whatever the loader should look at."""
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_BYTES:
            return None
        data = os.read(fd, MAX_BYTES + 1)
        if len(data) != st.st_size or not data.strip() or b"\x00" in data:
            return None
        return data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    finally:
        os.close(fd)


def load(text: str) -> Any | None:
    """The cached model of `text`, or None (not cached, or the cache file is not to be trusted)."""
    try:
        model = _decode(json.loads(_checked_body(text)))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError, Unusable):
        return None  # missing, unreadable or damaged: the caller parses the text (and rewrites this)
    from .model import Checklist

    return model if isinstance(model, Checklist) else None


def peek(path: str | Path) -> tuple[str, str] | None:
    """(id, version) of a checklist file whose text is cached, read without building its model
    (the same checks of the cache file as `load`); None when the loader has to be asked."""
    text = _plain_text(Path(path))
    if text is None:
        return None
    try:
        body = json.loads(_checked_body(text))
        fields = body["f"] if isinstance(body, dict) and body.get("$c") == "model.Checklist" else None
        found = (fields["id"], fields["version"]) if isinstance(fields, dict) else None
    except (OSError, ValueError, TypeError, KeyError, RecursionError, Unusable):
        return None
    return found if found is not None and all(isinstance(v, str) for v in found) else None


def _checked_body(text: str) -> str:
    """The body of `text`'s cache file, once its format, key, code fingerprint and hash check."""
    key = text_key(text)
    with open(path_for(key), "rb") as handle:
        raw = handle.read()
    outer = json.loads(raw)
    if not isinstance(outer, dict) or outer.get("format") != FORMAT or outer.get("key") != key:
        raise Unusable("another format or another text")
    if outer.get("builder") != builder():
        raise Unusable("written by another version")
    body = outer.get("body")
    if not isinstance(body, str) or hashlib.sha256(body.encode("utf-8")).hexdigest() != outer.get("sha256"):
        raise Unusable("damaged")
    return body


def _decode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict) or len(value) != 1 and "$c" not in value:
        raise Unusable("unexpected value")
    if "$t" in value:
        return tuple(_decode(v) for v in _list(value["$t"]))
    if "$s" in value:
        return frozenset(_decode(v) for v in _list(value["$s"]))
    if "$d" in value:
        return Decimal(_str(value["$d"]))
    if "$date" in value:
        return dt.date.fromisoformat(_str(value["$date"]))
    if "$p" in value:
        return Path(_str(value["$p"]))
    if "$op" in value:
        if value["$op"] not in _OPERATORS:
            raise Unusable("unknown operator")
        import ast

        return getattr(ast, value["$op"])
    if "$c" in value and set(value) == {"$c", "f"}:
        cls = _class(_str(value["$c"]))
        fields = value["f"]
        if not isinstance(fields, dict) or set(fields) != _init_fields(cls):
            raise Unusable("fields do not match")
        return cls(**{name: _decode(v) for name, v in fields.items()})
    raise Unusable("unexpected value")


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise Unusable("expected a list")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise Unusable("expected text")
    return value


@lru_cache(maxsize=None)
def _class(qualified: str) -> type:
    module, _, name = qualified.partition(".")
    if name not in _CLASSES.get(module, ()):
        raise Unusable(f"not a model class: {qualified}")
    if module == "model":
        from . import model as source
    elif module == "expr":
        from . import expr as source  # type: ignore[no-redef]
    elif module == "expr_tree":
        from . import expr_tree as source  # type: ignore[no-redef]
    else:
        from . import records as source  # type: ignore[no-redef]
    return getattr(source, name)


@lru_cache(maxsize=None)
def _init_fields(cls: type) -> frozenset[str]:
    # The private fields (Checklist's index of items) are rebuilt by the class itself; `path`
    # (the file a checklist was read from) is not part of its text: the same text frozen in a
    # session has none, and a file moved keeps its model. `load_file` sets it.
    return frozenset(f.name for f in dataclasses.fields(cls) if f.init and not f.name.startswith("_") and f.name != "path")


# -- writing ------------------------------------------------------------------------------------


def store(text: str, model: Any) -> None:
    """Keep `model` (parsed from `text`) for the next open. Best effort: a cache that cannot be
    written (a read-only home, a full disk, something the codec does not know) is skipped."""
    try:
        body = json.dumps(_encode(model), ensure_ascii=False, separators=(",", ":"))
        key = text_key(text)
        outer = {
            "format": FORMAT, "key": key, "builder": builder(),
            "sha256": hashlib.sha256(body.encode("utf-8")).hexdigest(), "body": body,
        }
        _write(path_for(key), json.dumps(outer, ensure_ascii=False).encode("utf-8"))
    except (OSError, Unusable, ValueError, RecursionError):
        return


def _write(target: Path, data: bytes) -> None:
    """Owner-only, atomic: a reader sees the old file, the new one, or none — never half of one.
    No fsync: a cache lost in a crash is rebuilt, and one torn by it fails its hash."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(target.parent, 0o700)  # an existing folder made by someone's umask: owner-only too
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def _encode(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Unusable("a float JSON cannot hold")
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, tuple):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, frozenset):
        return {"$s": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return {"$date": value.isoformat()}
    if isinstance(value, Path):
        return {"$p": str(value)}
    if isinstance(value, type) and value.__module__ == "ast" and value.__name__ in _OPERATORS:
        return {"$op": value.__name__}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        module = cls.__module__.rpartition(".")[2]
        if cls.__name__ not in _CLASSES.get(module, ()):
            raise Unusable(f"not a model class: {cls.__qualname__}")
        return {
            "$c": f"{module}.{cls.__name__}",
            "f": {name: _encode(getattr(value, name)) for name in sorted(_init_fields(cls))},
        }
    raise Unusable(f"cannot cache a {type(value).__name__}")
