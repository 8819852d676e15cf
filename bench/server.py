"""A gunicorn process for the benchmark, a minimal HTTP client (stdlib only) and worker memory readings."""

import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT_DIR = Path(__file__).resolve().parent.parent
USER_AGENT = "impact-bench/1"
CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float
    first_byte_seconds: float
    size: int
    set_cookies: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Client:
    """One identity (cookies or a bearer token) against one server; a new connection per request, as sync gunicorn."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        keep_body: bool = True,
        first_byte_only: bool = False,
        timeout: float = 300,
    ) -> Response:
        """Send one request and read the whole answer (or only its first byte, then hang up)."""
        headers = {"User-Agent": USER_AGENT, "Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        payload = None
        if body is not None:
            payload = urlencode(body, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            first = response.read(1)
            first_byte = time.perf_counter() - started
            chunks = [first]
            size = len(first)
            while not first_byte_only and (chunk := response.read(65536)):
                size += len(chunk)
                if keep_body:
                    chunks.append(chunk)
            seconds = time.perf_counter() - started
            set_cookies = response.headers.get_all("Set-Cookie") or []
            result = Response(
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                b"".join(chunks) if keep_body else first,
                seconds,
                first_byte,
                size,
                set_cookies,
            )
        finally:
            connection.close()
        for header in result.set_cookies:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value:
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return result

    def login(self, email: str, password: str) -> None:
        """Log in through the real form: fetch /login for its CSRF token and session cookie, then post it."""
        page = self.request("GET", "/login")
        match = CSRF_INPUT.search(page.text)
        if not match:
            raise RuntimeError(f"no CSRF token on /login (status {page.status})")
        response = self.request("POST", "/login", {"email": email, "password": password, "csrf_token": match.group(1)})
        if response.status != 302:
            raise RuntimeError(f"login as {email} failed with status {response.status}")


class Gunicorn:
    """``gunicorn --workers N --bind 127.0.0.1:PORT APP`` as a subprocess; a context manager that always stops it."""

    def __init__(self, app: str, env: dict[str, str], workers: int = 2, health_path: str = "/healthz"):
        self.app = app
        self.env = env
        self.workers = workers
        self.health_path = health_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Gunicorn":
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [
            str(gunicorn),
            "--workers",
            str(self.workers),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--log-level",
            "warning",
            "--timeout",
            "300",
            self.app,
        ]
        self.process = subprocess.Popen(command, cwd=PROJECT_DIR, env={**os.environ, **self.env})
        deadline = time.monotonic() + 90
        client = Client(self.port)
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited with {self.process.returncode}")
            try:
                if (
                    client.request("GET", self.health_path, timeout=5).status == 200
                    and len(self.worker_pids()) == self.workers
                ):
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app} did not answer on port {self.port}")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []


def _status_kb(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def reset_peak(pids: list[int]) -> dict[int, int]:
    """Reset each process's peak RSS (VmHWM) to its current RSS; return the current RSS in kB by pid."""
    current = {}
    for pid in pids:
        # "5" resets the peak resident set size; where that fails VmHWM is the peak since start (under-reported).
        with contextlib.suppress(OSError):
            Path(f"/proc/{pid}/clear_refs").write_text("5")
        current[pid] = _status_kb(pid, "VmRSS")
    return current


def peak_growth_mb(before: dict[int, int]) -> float:
    """The largest growth of peak RSS over the RSS before, across the workers, in MB."""
    growth = 0
    for pid, rss in before.items():
        try:
            growth = max(growth, _status_kb(pid, "VmHWM") - rss)
        except OSError:
            continue
    return round(growth / 1024, 1)
