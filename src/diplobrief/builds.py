"""The web app's pack build queue: one build at a time, each PDF in a worker process.

A worker process per PDF keeps builds cancellable (the process is stopped) and always
reads the dossier afresh. While more work waits, the next worker is started ahead and
imports WeasyPrint during the current build, so the next PDF does not wait for it.
This module knows nothing of HTTP; ``web`` serves it.
"""

from __future__ import annotations

import collections
import logging
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing import get_context
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

from diplobrief import pack as packs
from diplobrief.errors import DiplobriefError
from diplobrief.output import write_atomic

logger = logging.getLogger(__name__)

# One build runs, at most MAX_QUEUED wait; finished ones are kept (with their files)
# until MAX_FINISHED newer ones have finished.
MAX_QUEUED = 8
MAX_FINISHED = 20
POLL_SECONDS = 0.05

Planner = Callable[[Path], tuple[packs.PackManifest, list[packs.PackJob]]]


class QueueFull(DiplobriefError):
    """Raised when MAX_QUEUED builds are already waiting."""


@dataclass
class Job:
    """One pack build request: a pack in one or more languages."""

    id: str
    manifest: packs.PackManifest
    work: list[packs.PackJob]
    duplex: bool
    state: str = "queued"
    done: list[str] = field(default_factory=list)
    current: str | None = None
    pages: dict[str, int] = field(default_factory=dict)
    cached: dict[str, bool] = field(default_factory=dict)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def languages(self) -> list[str]:
        return [item.lang for item in self.work]

    @property
    def progress(self) -> int:
        """Per cent of the languages built (a language's PDF is one WeasyPrint call)."""
        if self.state == "done":
            return 100
        return round(100 * len(self.done) / len(self.work))

    def file(self, lang: str) -> Path | None:
        return next((item.output for item in self.work if item.lang == lang), None)


def _worker(conn: Connection) -> None:
    """A worker process: warm up, then build the one PDF it is sent and write it."""
    import weasyprint  # noqa: F401  (the slow import, done before the job arrives)

    try:
        job = conn.recv()
    except EOFError:  # not needed after all
        return
    try:
        built = packs.build_pdf(job)
        write_atomic(job.output, built.data)
        conn.send(("ok", built.pages, built.cached, built.cache_warning))
    except DiplobriefError as exc:
        conn.send(("error", str(exc)))
    finally:
        conn.close()


Worker = tuple[BaseProcess, Connection]


def _start_worker() -> Worker:
    context = get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_worker, args=(child,), daemon=True)
    process.start()
    child.close()
    return process, parent


class BuildQueue:
    """Pack builds in order, one at a time, in a background thread started on demand."""

    def __init__(self, work_dir: Path, max_queued: int = MAX_QUEUED) -> None:
        self.work_dir = work_dir
        self.max_queued = max_queued
        self.jobs: dict[str, Job] = {}
        self._waiting: collections.deque[Job] = collections.deque()
        self._finished: collections.deque[Job] = collections.deque()
        self._condition = threading.Condition()
        self._thread: threading.Thread | None = None
        self._running: Job | None = None
        self._spare: Worker | None = None

    def submit(self, plan: Planner, duplex: bool) -> Job:
        """Queue a build; ``plan`` lays it out in the folder that will hold its files."""
        with self._condition:
            if len(self._waiting) >= self.max_queued:
                raise QueueFull(f"{len(self._waiting)} pack builds are waiting; try later.")
            job_id = secrets.token_urlsafe(12)
            folder = self.work_dir / job_id
            folder.mkdir(mode=0o700)
            manifest, work = plan(folder)
            job = Job(job_id, manifest, work, duplex)
            self.jobs[job_id] = job
            self._waiting.append(job)
            if self._running is not None and self._spare is None:
                self._spare = _start_worker()
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pack-builds", daemon=True)
                self._thread.start()
            self._condition.notify()
            return job

    def position(self, job: Job) -> int | None:
        """1 for the next build to start, 2 for the one after it…; None if not waiting."""
        with self._condition:
            return self._waiting.index(job) + 1 if job in self._waiting else None

    def cancel(self, job: Job) -> None:
        with self._condition:
            job.cancel.set()
            if job in self._waiting:
                self._waiting.remove(job)
                self._finish(job, "cancelled")

    def _run(self) -> None:
        while True:
            with self._condition:
                while not self._waiting:
                    self._condition.wait()
                job = self._waiting.popleft()
                job.state, job.started, self._running = "running", time.time(), job
            try:
                state = self._build(job)
            except Exception as exc:  # a bug must not stop the queue
                logger.exception("pack build %s failed", job.id)
                job.error, state = f"the build failed: {exc}", "failed"
            with self._condition:
                self._running = None
                self._finish(job, state)
                if not self._waiting and self._spare is not None:
                    self._spare[1].close()  # the idle worker sees EOF and exits
                    self._spare = None

    def _worker_for(self, more: bool) -> Worker:
        """The warm spare (or a new worker); with ``more`` work to come, the next spare."""
        with self._condition:
            worker, self._spare = self._spare or _start_worker(), None
            if (more or self._waiting) and self._spare is None:
                self._spare = _start_worker()
        return worker

    def _build(self, job: Job) -> str:
        for number, item in enumerate(job.work, 1):
            if job.cancel.is_set():
                return "cancelled"
            job.current = item.lang
            process, conn = self._worker_for(more=number < len(job.work))
            message = None
            try:
                conn.send(item)
                while not conn.poll(POLL_SECONDS):
                    if job.cancel.is_set():
                        process.terminate()
                        process.join()
                        return "cancelled"
                    if not process.is_alive():
                        break
                message = conn.recv() if conn.poll() else None
            except (EOFError, OSError):  # the worker died before it could answer
                message = None
            finally:
                conn.close()
            process.join(timeout=10)
            if message is None:
                job.error = f"the worker process stopped (exit code {process.exitcode})"
                return "failed"
            if message[0] == "error":
                job.error = str(message[1])
                return "failed"
            if message[1]:  # DOCX has no page count: Word lays out the pages
                job.pages[item.lang] = int(message[1])
            job.cached[item.lang] = bool(message[2])
            if message[3] and message[3] not in job.warnings:
                job.warnings.append(str(message[3]))
            job.done.append(item.lang)
        return "done"

    def _finish(self, job: Job, state: str) -> None:
        job.state, job.finished, job.current = state, time.time(), None
        self._finished.append(job)
        while len(self._finished) > MAX_FINISHED:
            old = self._finished.popleft()
            self.jobs.pop(old.id, None)
            shutil.rmtree(self.work_dir / old.id, ignore_errors=True)
