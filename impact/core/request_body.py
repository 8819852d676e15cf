"""Request bodies are held to MAX_CONTENT_LENGTH whether or not they declare their length.

Werkzeug refuses a body whose Content-Length is over the limit, but a body sent without one (chunked transfer
encoding, which gunicorn hands on as a terminated stream) is only read *up to* the limit: the rest is dropped and
the cut-off body is processed as if it were whole. Here one byte past the limit is refused with 413 instead, and
every request that carries a body is checked before its view runs, so a page that never reads the body (the API)
answers 413 just as a form does.
"""

import typing as t

from flask import Flask, request
from flask import Request as FlaskRequest
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.utils import cached_property
from werkzeug.wsgi import LimitedStream


class _BoundedBody(LimitedStream):
    """A body without Content-Length, readable up to ``maximum`` bytes; a byte more raises 413."""

    def __init__(self, stream: t.IO[bytes], maximum: int) -> None:
        # Allow one byte past the maximum to be read, to tell a body of exactly the maximum from a longer one.
        super().__init__(stream, maximum + 1, is_max=True)
        self.maximum = maximum

    def readinto(self, buffer: bytearray) -> int | None:  # type: ignore[override]
        size = super().readinto(buffer)
        if self.tell() > self.maximum:
            raise RequestEntityTooLarge()
        return size


class Request(FlaskRequest):
    """Flask's request, with a body without Content-Length refused past MAX_CONTENT_LENGTH instead of cut off."""

    @cached_property
    def stream(self) -> t.IO[bytes]:
        maximum = self.max_content_length
        unsized = self.content_length is None and "wsgi.input_terminated" in self.environ
        if maximum is not None and unsized and not self.shallow:
            return t.cast(t.IO[bytes], _BoundedBody(self.environ["wsgi.input"], maximum))
        return super().stream


def _has_body() -> bool:
    return request.content_length is not None or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def init_request_body_limit(app: Flask) -> None:
    app.request_class = Request

    @app.before_request
    def refuse_a_body_over_the_limit() -> None:
        if _has_body():
            # Read (and keep, for the form parser) the body now: over the limit this raises 413 on every route.
            request.get_data()
