"""WSGI entry point: ``gunicorn wsgi:app``. Set IMPACT_ENV=production and SECRET_KEY in production."""

from impact import create_app

app = create_app()
