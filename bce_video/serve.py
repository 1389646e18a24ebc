"""``bce-video serve``: the page's folder on the loopback address, with byte ranges.

A teacher's first try is ``python -m http.server``, which answers every request with the
whole file: the browser then cannot seek the film until it has all of it. This serves the
folder as a static host does (RangeHTTPServer: Python's own file server plus ``Range``
requests), on 127.0.0.1 only, and opens the page in the default browser.
"""

from __future__ import annotations

import functools
import sys
import threading
import webbrowser
from http.server import ThreadingHTTPServer
from pathlib import Path

from .page import PageError

#: The port tried first; when it is taken, the system chooses a free one.
DEFAULT_PORT = 8000
LOOPBACK = "127.0.0.1"


def check_served_site(site: Path) -> Path:
    """``site`` is a page's folder (its index.html), else bad input naming it."""
    site = Path(site)
    if not site.is_dir():
        raise PageError(f"{site}: no such folder; make the page first (bce-video page)")
    if not (site / "index.html").is_file():
        raise PageError(f"{site}: has no index.html; expected a folder bce-video page wrote")
    return site.resolve()


def site_server(site: Path, port: int | None) -> ThreadingHTTPServer:
    """A server of ``site`` on the loopback address: on ``port`` (0: any free port), or
    by default on DEFAULT_PORT, or any free one if that is taken."""
    from RangeHTTPServer import RangeRequestHandler

    class QuietHandler(RangeRequestHandler):
        def log_message(self, format: str, *args) -> None:
            pass  # a browser's every request on the terminal hides what matters

    handler = functools.partial(QuietHandler, directory=str(site))
    if port is not None:
        return ThreadingHTTPServer((LOOPBACK, port), handler)
    try:
        return ThreadingHTTPServer((LOOPBACK, DEFAULT_PORT), handler)
    except OSError:
        return ThreadingHTTPServer((LOOPBACK, 0), handler)


def serve(site: Path, port: int | None = None, open_browser: bool = True) -> int:
    """Serve ``site`` until interrupted; print its address first (and open it)."""
    site = check_served_site(site)
    try:
        server = site_server(site, port)
    except OSError as error:
        raise PageError(f"--port {port}: cannot listen there ({error.strerror})") from error
    url = f"http://{LOOPBACK}:{server.server_address[1]}/"
    print(f"serving:      {site}\naddress:      {url}\nstop:         Ctrl+C", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    finally:
        server.server_close()
    return 0
