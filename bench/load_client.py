"""The HTTP side of the load test: a browser-like session on the stdlib, and the recorder of every response."""

import http.client
import re
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
LOCK_INPUT = re.compile(r'name="lock_version" type="hidden" value="(\d*)"')
CONFLICT_NOTICE = 'class="notice notice--error conflict"'


@dataclass
class Response:
    status: int
    location: str
    body: str

    def csrf(self) -> str:
        match = CSRF_INPUT.search(self.body)
        return unescape(match.group(1)) if match else ""

    def lock_version(self) -> str | None:
        match = LOCK_INPUT.search(self.body)
        return match.group(1) if match else None

    @property
    def conflict(self) -> bool:
        return CONFLICT_NOTICE in self.body


@dataclass
class Recorder:
    """Every response's action, status and latency, shared by all simulated users (thread-safe)."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: dict[str, dict[int, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))
    errors: list[str] = field(default_factory=list)
    timeline: list[tuple[float, int]] = field(default_factory=list)  # (monotonic time, status) of every answer
    by_port: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # requests sent to each instance
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, action: str, status: int, seconds: float, port: int = 0) -> None:
        with self.lock:
            self.latencies[action].append(seconds)
            self.statuses[action][status] += 1
            self.timeline.append((time.monotonic(), status))
            self.by_port[port] += 1

    def error(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    @property
    def server_errors(self) -> int:
        return sum(count for codes in self.statuses.values() for code, count in codes.items() if code >= 500)

    def answered_after(self, moment: float) -> int:
        """Requests answered without a server error after ``moment`` (time.monotonic())."""
        with self.lock:
            return sum(1 for when, status in self.timeline if when > moment and 0 < status < 500)

    @property
    def transport_errors(self) -> int:
        return sum(codes.get(0, 0) for codes in self.statuses.values())

    @property
    def requests(self) -> int:
        return sum(len(values) for values in self.latencies.values())

    @property
    def writes(self) -> int:
        """Answered writes of the work itself (create, save, submit, decide): the throughput that matters."""
        return sum(
            count
            for action, codes in self.statuses.items()
            if action in WRITE_ACTIONS
            for code, count in codes.items()
            if 200 <= code < 400
        )


WRITE_ACTIONS = frozenset(
    {"create assessment", "save screening", "save ground", "save conclusion", "submit", "approve", "return"}
)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` in 0..1) of ``values``; 0 when there are none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


class Session:
    """One simulated browser: a cookie jar, no automatic redirects, a choice of app instances (127.0.0.1 only)."""

    def __init__(self, ports: list[int], recorder: Recorder, timeout: float = 60.0):
        self.ports = ports
        self.recorder = recorder
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self._turn = 0

    def _port(self) -> int:
        # Alternate between instances: signed-cookie sessions must work on any of them.
        self._turn += 1
        return self.ports[self._turn % len(self.ports)]

    def request(
        self, action: str, method: str, path: str, data: dict | list | None = None, port: int | None = None
    ) -> Response:
        """One request to ``port``, or to the next instance in turn."""
        port = port or self._port()
        body = urlencode(data, doseq=True) if data is not None else None
        headers = {"Accept-Language": "en", "Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            text = raw.read().decode("utf-8", "replace")
            for header in raw.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self.cookies[name.strip()] = value.strip()
            response = Response(raw.status, raw.headers.get("Location", ""), text)
        except (OSError, http.client.HTTPException) as error:
            # No HTTP answer at all (refused, reset, timed out): status 0, counted apart from the 5xx.
            self.recorder.add(action, 0, time.perf_counter() - started, port)
            self.recorder.error(f"{action} {method} {path}: {error!r}")
            return Response(0, "", "")
        finally:
            connection.close()
        self.recorder.add(action, response.status, time.perf_counter() - started, port)
        return response

    def get(self, action: str, path: str, port: int | None = None) -> Response:
        return self.request(action, "GET", path, port=port)

    def post(self, action: str, path: str, data: dict | list, port: int | None = None) -> Response:
        return self.request(action, "POST", path, data, port)
