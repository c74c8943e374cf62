"""`inspect-tui serve`: the same app in a browser tab, for the inspector alone.

textual-serve starts one `inspect-tui` process per browser tab. Around it:

- It listens on the loopback address only, by construction (there is no option to change it).
- A random token is in the printed URL, as Jupyter does: the page needs it (then a cookie,
  HttpOnly and SameSite=Strict, carries it for the WebSocket and downloads). Without it: 403.
- The Host header must be this server's own (127.0.0.1:PORT or localhost:PORT), which defeats DNS
  rebinding; an Origin header, when sent, must be this server's own, so another web page the
  inspector visits cannot open the app's WebSocket. Anything else: 403.
- The page loads nothing from the internet: textual-serve's template asks Google for a font; ours
  is the same template with that link replaced by the font textual-serve ships in its static files.

Two tabs opening the same session are kept apart by the session lock, as two terminals would be.
"""

from __future__ import annotations

import argparse
import errno
import re
import secrets
import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from ..core import paths
from ..i18n import lang, t
from .common import UsageError

HOST = "127.0.0.1"  # loopback only, by construction: there is no option to change it
COOKIE = "inspect_tui_token"

def command_line(args: argparse.Namespace) -> str:
    """The command each browser tab runs: this interpreter, this sessions folder, this language."""
    parts = [sys.executable, "-m", "inspect_tui", "--lang", lang(), "--sessions", str(paths.sessions_dir(args.sessions))]
    for folder in args.checklists:
        parts += ["--checklists", folder]
    return shlex.join(parts)


def offline_template(original: str) -> str:
    """textual-serve's page without its request to Google Fonts: the same font from /static."""
    without = re.sub(r"<link[^>]*fonts\.googleapis\.com[^>]*/>", "", original, flags=re.S)
    face = (
        "<style>@font-face { font-family: 'Roboto Mono'; "
        "src: url('{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf'); }</style>"
    )
    return without.replace("</head>", face + "\n  </head>", 1)


def check_port(port: int) -> None:
    """One line before anything starts when the port cannot be had (in use, or privileged)."""
    with socket.socket() as probe:
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(t("serve.port_in_use", port=port)) from None
            raise UsageError(t("serve.port_denied", port=port, reason=exc.strerror or exc)) from None


def make_server(command: str, port: int, token: str) -> Any:
    """A textual-serve Server that lets in only requests carrying `token` from its own page."""
    import aiohttp_jinja2
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    own_hosts = {f"{HOST}:{port}", f"localhost:{port}"}
    own_origins = {f"http://{host}" for host in own_hosts}

    def has_token(request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        return secrets.compare_digest(given.encode(), token.encode())

    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if request.host not in own_hosts or (origin is not None and origin not in own_origins):
            return web.Response(status=403, text="403: not this server's own page\n")
        if not request.path.startswith("/static/") and not has_token(request):
            return web.Response(status=403, text="403: open the address inspect-tui serve printed\n")
        response = await handler(request)
        if request.path == "/":
            response.set_cookie(COOKIE, token, httponly=True, samesite="Strict", path="/")
        return response

    class GuardedServer(Server):  # type: ignore[misc]
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            template = Path(self.templates_path, "app_index.html").read_text(encoding="utf-8")
            aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": offline_template(template)}))
            app.middlewares.append(guard)
            return app

    return GuardedServer(command, host=HOST, port=port, title="inspect-tui", public_url=f"http://{HOST}:{port}")


def serve(args: argparse.Namespace) -> int:
    try:
        import textual_serve.server  # noqa: F401
    except ImportError:
        raise UsageError(t("serve.missing")) from None
    check_port(args.port)
    token = secrets.token_urlsafe(24)
    server = make_server(command_line(args), args.port, token)
    print(t("serve.listening", url=f"http://{HOST}:{args.port}/?token={token}"), flush=True)
    server.serve()
    return 0
