"""A real worker for the tests: ``python -m tests.jobs.run_worker`` is ``flask --app impact worker`` with the test
job kinds (slow, failing) registered too. Configured by the environment (DATABASE_URL, JOBS_REDIS_URL, ...)."""

from impact import create_app
from impact.core.db import db
from impact.jobs.worker import make_worker
from tests.jobs.helpers import register_test_kinds


def main() -> None:
    app = create_app("testing")
    register_test_kinds()
    with app.app_context():
        worker = make_worker(app)
        db.engine.dispose()
        worker.work(with_scheduler=False)


if __name__ == "__main__":
    main()
