"""The task worker that carries out follow-up requests as commands hand them over:

    python -m tasks.worker

`ipaward serve` runs it (and restarts it); on a scaled-out install, run several.
"""

from __future__ import annotations

from prefect.task_worker import serve

from tasks.follow_up_requests import follow_up


def main() -> None:
    serve(follow_up, limit=4)


if __name__ == "__main__":
    main()
