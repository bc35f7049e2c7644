"""Start the web application on a socket of its own: 127.0.0.1 unless a host is given, the port as asked (0: any)."""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path

from dossier.errors import UsageError, os_reason

DEFAULT_PORT = 8765


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def access(address: str, port: int, folder: Path) -> tuple[list[str] | None, str | None]:
    """Return the Host headers to accept (None: any) and the warning to give, for a server on address:port.

    On a loopback address only this computer's names are accepted (a rebound DNS name is refused); on any
    other address every name is, and the user is warned that anyone on the network can reach the folder.
    """
    if _loopback(address):
        shown = f"[{address}]" if ":" in address else address
        return [f"{name}:{port}" for name in dict.fromkeys(("127.0.0.1", "localhost", "[::1]", shown))], None
    return None, (
        f"waarschuwing: dossier serve luistert op {address}: iedereen die deze computer via het netwerk "
        f"bereikt, kan de intakes in {folder.resolve()} lezen en wijzigen. Er is geen authenticatie."
    )


def bind(host: str, port: int) -> socket.socket:
    """Return a listening socket; raise UsageError (Dutch) when the address cannot be used."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(64)
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            raise UsageError(f"poort {port} is al in gebruik; kies een andere met --port") from err
        raise UsageError(f"kan niet luisteren op {host}:{port} ({os_reason(err)})") from err
    except OverflowError as err:
        sock.close()
        raise UsageError(f"poort {port} bestaat niet; kies een poort van 0 tot 65535") from err
    return sock


def serve(
    folder: Path,
    host: str | None,
    port: int,
    open_browser: bool,
    say: Callable[[str], None] = lambda line: print(line, flush=True),
    warn: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
) -> int:
    """Serve folder until interrupted; return the exit code. Raises UsageError for a bad folder or address."""
    import uvicorn

    from dossier.serve.app import create_app

    if not folder.exists():
        raise UsageError(f"{folder}: map bestaat niet")
    if not folder.is_dir():
        raise UsageError(f"{folder}: is geen map")
    address = host or "127.0.0.1"
    sock = bind(address, port)
    actual = sock.getsockname()[1]
    shown = f"[{address}]" if ":" in address else address
    hosts, warning = access(address, actual, folder)
    if warning:
        warn(warning)
    url = f"http://{'127.0.0.1' if address in ('0.0.0.0', '::') else shown}:{actual}/"
    app = create_app(folder, hosts)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", server_header=False)
    server = uvicorn.Server(config)
    say(f"dossier serve: {url}  (map {folder.resolve()}; stoppen met Ctrl+C)")
    if open_browser and (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("darwin", "win32")
    ):
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    server.run(sockets=[sock])
    return 0
