"""What a test gets as ``oidc_provider``: the running provider, with the app pointed at it."""

import requests
from flask import Flask

from tests.oidc.interceptor import TokenInterceptor
from tests.oidc.provider import NodeProvider, Person, through_provider


class ProviderHandle:
    def __init__(self, app: Flask, provider: NodeProvider, interceptor: TokenInterceptor) -> None:
        self.app = app
        self.provider = provider
        self.interceptor = interceptor

    def __getattr__(self, name: str):
        return getattr(self.provider, name)

    @property
    def fault(self) -> str | None:
        return self.interceptor.fault

    @fault.setter
    def fault(self, fault: str | None) -> None:
        """Spoil the ID tokens (see interceptor.FAULTS): the app then exchanges codes through the interceptor."""
        self.interceptor.fault = fault
        target = self.interceptor if fault else self.provider
        self.app.config["OIDC_DISCOVERY_URL"] = target.discovery_url

    def log_in(self, authorize_url: str, person: Person, browser: requests.Session | None = None) -> str:
        """``person`` signs in at the provider, in a new browser unless ``browser`` (with the provider's session
        cookie from before); returns the URL the provider sends the browser back to."""
        self.provider.add(person)
        if browser is not None:
            return through_provider(authorize_url, person, self.provider.url, browser)
        with requests.Session() as new_browser:
            return through_provider(authorize_url, person, self.provider.url, new_browser)
