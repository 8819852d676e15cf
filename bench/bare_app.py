"""The smallest Flask app: the ceiling any Impact page can reach under the same gunicorn settings."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "ok"


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok"}
