"""Start and drive the real OpenID Connect provider of the tests: ``provider.mjs``, panva's ``oidc-provider``
(the npm package ``package.json`` pins, installed by ``scripts/ensure-test-tools``), in a Node.js process on
127.0.0.1.

The tests make its RS256 signing keys here with joserfc and hand them over as a JWKS file, so that the fault tests
(``interceptor.py``) can sign tokens with the same key. Who may sign in is told to the provider before each sign-in
(``add``); the person then fills in the provider's login page, in the browser tests with Playwright and in the
others with ``requests`` (``through_provider``).
"""

import json
import re
import shutil
import socket
import subprocess
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from joserfc.jwk import KeySet, RSAKey

from tests.node_tools import NODE_MODULES

SCRIPT = Path(__file__).with_name("provider.mjs")
CLIENT_ID = "impact-test"  # as registered in provider.mjs
CLIENT_SECRET = "impact-test-secret"  # noqa: S105  (the test provider's)
PASSWORD = "test-password"  # noqa: S105
CALLBACK = "/login/oidc/callback"
START_TIMEOUT = 20
FORM = re.compile(r'<form method="post" action="([^"]+)"')


def signing_key(kid: str) -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


@dataclass
class Person:
    """Someone with an account at the provider: ``subject`` is the ``sub`` claim, ``username`` what they type."""

    subject: str
    email: str
    name: str
    groups: list[str] = field(default_factory=list)
    username: str = ""
    password: str = PASSWORD

    def __post_init__(self) -> None:
        self.username = self.username or self.subject

    def account(self) -> dict:
        fields = asdict(self)
        return {"sub": fields.pop("subject"), **fields}


class NodeProvider:
    """One ``provider.mjs`` process on a free port of 127.0.0.1; ``keys`` sign its tokens (the first one)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.key = signing_key("impact-test-1")
        self.keys = [self.key]
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.app_url = ""

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> "NodeProvider":
        node = shutil.which("node")
        if node is None or not (NODE_MODULES / "oidc-provider").is_dir():
            pytest.fail(
                f"The sign-in tests need Node.js (found: {node}) and the oidc-provider package in {NODE_MODULES}: "
                "install Node.js (e.g. sudo apt-get install nodejs npm) and run `bash scripts/ensure-test-tools` "
                "(make test does).",
                pytrace=False,
            )
        jwks = self.folder / "jwks.json"
        jwks.write_text(json.dumps(KeySet(self.keys).as_dict(private=True)))
        log = (self.folder / "provider.log").open("ab")
        env = {"PATH": "/usr/bin:/bin", "OIDC_TEST_JWKS": str(jwks), "OIDC_PROVIDER_MODULES": str(NODE_MODULES)}
        command = [node, str(SCRIPT), str(self.port)]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=log, stderr=log, env=env)  # noqa: S603
        log.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if requests.get(self.discovery_url, timeout=1).ok:
                    return self
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        output = (self.folder / "provider.log").read_text(errors="replace")[-3000:]
        pytest.fail(f"The OpenID Connect provider ({SCRIPT}) did not start on {self.url}:\n{output}", pytrace=False)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.stdin.close()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None

    def restart(self, keys: list[RSAKey]) -> None:
        """Start again, signing with ``keys[0]`` and publishing all of them (a key rotation); sessions and accounts
        are gone, the app's client is registered again."""
        self.stop()
        self.keys = keys
        self.start()
        if self.app_url:
            self.register(self.app_url)

    def reset(self, app_url: str) -> None:
        """Forget every session, grant and account, restarting with the usual key if a test stopped the provider or
        rotated its key, and register the client for the app at ``app_url``."""
        self.app_url = app_url
        if not self.running or self.keys != [self.key]:
            self.restart([self.key])
        else:
            self.register(app_url)

    def register(self, app_url: str) -> None:
        uris = {"redirect_uris": [app_url + CALLBACK], "post_logout_redirect_uris": [app_url + "/login"]}
        requests.post(f"{self.url}/__test/reset", json=uris, timeout=5).raise_for_status()

    def add(self, person: Person) -> None:
        """Let ``person`` sign in."""
        requests.post(f"{self.url}/__test/accounts", json=person.account(), timeout=5).raise_for_status()

    @property
    def logouts(self) -> list[dict]:
        """The query strings the provider's sign-out endpoint was called with."""
        return requests.get(f"{self.url}/__test/logouts", timeout=5).json()

    def config(self) -> dict:
        """The app settings that point Impact at this provider."""
        return {
            "OIDC_DISCOVERY_URL": self.discovery_url,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        }


def through_provider(authorize_url: str, person: Person, provider_url: str, browser: requests.Session) -> str:
    """What a browser does at the provider: follow its redirects, fill in its login form as ``person`` when it shows
    one; returns the URL it sends the browser back to."""
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    for _ in range(12):
        if response.is_redirect:
            location = urljoin(response.url, response.headers["Location"])
            if not location.startswith(provider_url):
                return location
            response = browser.get(location, allow_redirects=False, timeout=10)
            continue
        form = FORM.search(response.text)
        assert response.ok and form, f"{response.status_code} at {response.url}: {response.text[:500]}"
        credentials = {"username": person.username, "password": person.password}
        response = browser.post(urljoin(response.url, form.group(1)), data=credentials, allow_redirects=False)
    raise AssertionError(f"no way back from the provider: {response.url}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
