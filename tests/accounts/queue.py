"""The task queue in tests, with the clock moved: tasks are recorded by the
dummy backend (which keeps run_after, as the database backend does) and run
when they are due, as the worker would."""

from contextlib import contextmanager
from unittest import mock

from django_tasks import default_task_backend

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@contextmanager
def clock_at(moment):
    """timezone.now() is `moment` (for the site and the tasks alike)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def run_due(moment):
    """The worker at `moment`: run each queued task that is due, then those
    they queued, until none is due. Returns how many ran."""
    results, ran = default_task_backend.results, 0
    with clock_at(moment):
        while due := [
            result
            for result in results
            if result.task.run_after is None or result.task.run_after <= moment
        ]:
            for result in due:
                results.remove(result)
                result.task.call(*result.args, **result.kwargs)
                ran += 1
    return ran
