"""A headless Chromium for tests that look at pages the way a person would: open a page, wait until it
and its images have loaded, read the DOM, take a screenshot, and list every request the page made.

Debian's `chromium` (scripts/setup-docs.sh) driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages ending in NUL on fds 3 and 4), so no port, no websocket
library and no browser download. Generic on purpose: any page-producing command can use the
`browser` fixture (`page = browser.open(url)`).

Without Chromium the tests are skipped with the reason, except under CI (env CI set), where that fails.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

# the brief's flags: without them Chromium tries background connections the closed network refuses
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
]
TIMEOUT_S = 60.0


class BrowserError(RuntimeError):
    pass


@dataclass
class Shot:
    """A screenshot and what a person would notice first: is anything drawn on it?"""

    png: bytes
    width: int
    height: int
    colours: int
    """Distinct colours (of a 64-level quantisation): a blank page has one or two."""
    ink: float
    """Share of pixels that differ from the most common (background) colour."""

    def save(self, path: Path) -> None:
        path.write_bytes(self.png)


def _stats(png: bytes) -> Shot:
    img = Image.open(io.BytesIO(png)).convert("RGB")
    small = img.resize((img.width // 4 or 1, img.height // 4 or 1))
    raw = small.tobytes()
    q = [(raw[i] >> 2, raw[i + 1] >> 2, raw[i + 2] >> 2) for i in range(0, len(raw), 3)]
    counts: dict[tuple[int, int, int], int] = {}
    for c in q:
        counts[c] = counts.get(c, 0) + 1
    background = max(counts.values())
    return Shot(png, img.width, img.height, len(counts), 1 - background / len(q))


@dataclass
class Page:
    browser: Browser
    session: str
    requests: list[str] = field(default_factory=list)
    """Every URL the page asked for (the page itself, styles, scripts, images, fonts, fetches)."""
    console: list[str] = field(default_factory=list)
    """Console errors and uncaught exceptions."""

    def call(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.browser.call(method, params, self.session)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (promises are awaited)."""
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise BrowserError(f"{expression!r} threw: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def text(self, selector: str) -> list[str]:
        """The visible text of every element matching a CSS selector."""
        return self.evaluate(f"[...document.querySelectorAll({json.dumps(selector)})].map(e => e.innerText.trim())")

    def screenshot(self, full_page: bool = False, selector: str | None = None) -> Shot:
        """The viewport, the whole page, or only the box of the first element matching `selector`."""
        params: dict[str, Any] = {"format": "png"}
        if full_page or selector:
            params["captureBeyondViewport"] = True
        if selector:
            box = self.evaluate(
                f"(() => {{ const b = document.querySelector({json.dumps(selector)}).getBoundingClientRect();"
                " return {x: b.left + scrollX, y: b.top + scrollY, width: b.width, height: b.height}; })()"
            )
            params["clip"] = {**box, "scale": 1}
        return _stats(base64.b64decode(self.call("Page.captureScreenshot", params)["data"]))


class Browser:
    """One Chromium process; pages are targets in it, driven through flattened sessions."""

    def __init__(self, executable: str, profile: Path, width: int = 1280, height: int = 900) -> None:
        to_browser, self._w = os.pipe()
        self._r, from_browser = os.pipe()

        def fds() -> None:  # the protocol's fixed fds; dup first: os.pipe() may have returned 3 or 4
            a, b = os.dup(to_browser), os.dup(from_browser)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [executable, *FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
            preexec_fn=fds,  # the test process has no other threads when the browser starts
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=(profile / "chromium.log").open("wb"),
        )
        os.close(to_browser)
        os.close(from_browser)
        self.width, self.height = width, height
        self._buf = b""
        self._id = 0
        self._pages: dict[str, Page] = {}
        self.version = self.call("Browser.getVersion")["product"]

    def _send(self, method: str, params: dict[str, Any] | None, session: str | None) -> int:
        self._id += 1
        msg: dict[str, Any] = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._w, json.dumps(msg).encode() + b"\0")
        return self._id

    def _recv(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buf:
            if time.monotonic() > deadline:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._r, 1 << 16)
            if not chunk:
                raise BrowserError(f"Chromium exited (code {self.proc.poll()})")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        msg = json.loads(raw)
        self._event(msg)
        return msg

    def _event(self, msg: dict[str, Any]) -> None:
        page = self._pages.get(msg.get("sessionId", ""))
        if page is None or "method" not in msg:
            return
        p = msg.get("params", {})
        if msg["method"] == "Network.requestWillBeSent":
            page.requests.append(p["request"]["url"])
        elif msg["method"] == "Runtime.exceptionThrown":
            page.console.append(p["exceptionDetails"].get("text", "exception"))
        elif msg["method"] == "Runtime.consoleAPICalled" and p.get("type") == "error":
            page.console.append(" ".join(str(a.get("value", "")) for a in p.get("args", [])))

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        i = self._send(method, params, session)
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            msg = self._recv(deadline)
            if msg.get("id") == i:
                if "error" in msg:
                    raise BrowserError(f"{method}: {msg['error'].get('message')}")
                return msg.get("result", {})

    def _wait_for(self, session: str, event: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            msg = self._recv(deadline)
            if msg.get("sessionId") == session and msg.get("method") == event:
                return

    def open(self, url: str) -> Page:
        """A new tab showing `url`, after its load event and once its images have decoded."""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, session)
        self._pages[session] = page
        for domain in ("Page", "Network", "Runtime"):
            page.call(f"{domain}.enable")
        page.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
        )
        page.call("Page.navigate", {"url": url})
        self._wait_for(session, "Page.loadEventFired")
        page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
        return page

    def close(self) -> None:
        try:
            self.call("Browser.close")
            self.proc.wait(timeout=15)
        except (BrowserError, OSError, subprocess.TimeoutExpired):
            self.proc.kill()
            self.proc.wait(timeout=15)
        finally:
            os.close(self._w)
            os.close(self._r)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    exe = shutil.which("chromium")
    if exe is None:
        why = "Debian's chromium is not installed (scripts/setup-docs.sh)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must have {why}")
        pytest.skip(f"needs {why}")
    with tempfile.TemporaryDirectory(prefix="gc-chromium-") as profile:  # a fresh profile every run
        b = Browser(exe, Path(profile))
        try:
            yield b
        finally:
            b.close()
