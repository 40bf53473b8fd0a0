"""The web app's pack build queue, shared by every server process through a state folder.

Each job is a JSON record in ``<state>/jobs/<id>.json`` (its files beside it in
``<state>/jobs/<id>/``), so any worker process can report its progress, cancel it (the
record's ``cancel`` flag) and serve its files. One build runs at a time on the machine:
the process holding the ``build.lock`` flock runs the queued jobs in order of creation;
the others wait for the lock. Every record change is made under ``records.lock``.

Each PDF is built in a worker process: builds stay cancellable (the process is
stopped), always read the dossier afresh, and die with the server, even one killed
with SIGKILL (``pack.exit_with_parent``). While more work waits, the next worker is
started ahead and imports WeasyPrint during the current build. This module knows
nothing of HTTP; ``web`` serves it.
"""

from __future__ import annotations

import functools
import logging
import os
import re
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
from typing import Any

from diplobrief import pack as packs
from diplobrief.errors import DiplobriefError
from diplobrief.output import write_atomic
from diplobrief.statedir import file_lock, private_folder, read_record, write_record

logger = logging.getLogger(__name__)

# One build runs, at most MAX_QUEUED wait; finished ones are kept (with their files)
# until MAX_FINISHED newer ones have finished.
MAX_QUEUED = 8
MAX_FINISHED = 20
POLL_SECONDS = 0.1
FINISHED_STATES = ("done", "failed", "cancelled")
_JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

# Lays a job's request out as the builds to run, writing into the given folder.
Planner = Callable[[dict[str, Any], Path], list[packs.PackJob]]


class QueueFull(DiplobriefError):
    """Raised when MAX_QUEUED builds are already waiting."""


@dataclass
class Job:
    """One pack build request, as its record says: a pack in one or more languages."""

    id: str
    request: dict[str, Any]
    pack: str
    title: dict[str, str]
    documents: int
    languages: list[str]
    format: str
    duplex: bool
    state: str = "queued"
    done: list[str] = field(default_factory=list)
    current: str | None = None
    pages: dict[str, int] = field(default_factory=dict)
    cached: dict[str, bool] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    cancel: bool = False

    @property
    def progress(self) -> int:
        """Per cent of the languages built (a language's PDF is one WeasyPrint call)."""
        if self.state == "done":
            return 100
        return round(100 * len(self.done) / max(1, len(self.languages)))

    def record(self) -> dict[str, Any]:
        return dict(self.__dict__)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Job | None:
        try:
            return cls(**record)
        except TypeError:  # a record of another version
            return None


def _worker(conn: Connection, parent: int) -> None:
    """A worker process: warm up, then build the one PDF it is sent and write it."""
    packs.exit_with_parent(parent)
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
    process = context.Process(target=_worker, args=(child, os.getpid()), daemon=True)
    process.start()
    child.close()
    return process, parent


class BuildQueue:
    """Pack builds in order of creation, one at a time across all processes sharing
    ``state_dir``; this process's runner thread is started on demand."""

    def __init__(self, state_dir: Path, planner: Planner, max_queued: int = MAX_QUEUED) -> None:
        self.folder = private_folder(state_dir / "jobs")
        self.planner = planner
        self.max_queued = max_queued
        self._records_lock = state_dir / "records.lock"
        self._build_lock = state_dir / "build.lock"
        self._thread_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again = False
        self._spare: Worker | None = None

    # --- Records ----

    def _path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    def folder_of(self, job: Job) -> Path:
        return self.folder / job.id

    def get(self, job_id: str) -> Job | None:
        """The job as its record says now (and its queue kept moving if it waits)."""
        if not _JOB_ID.fullmatch(job_id):
            return None
        record = read_record(self._path(job_id))
        job = Job.from_record(record) if record is not None else None
        if job is not None and job.state == "queued":
            self._kick()
        if job is not None and job.state == "running":
            with file_lock(self._build_lock, wait=False) as free:
                if free:  # no runner holds the lock: the one that ran this has died
                    self._fail_abandoned()
                    job = Job.from_record(read_record(self._path(job_id)) or {})
        return job

    def jobs(self) -> list[Job]:
        """Every job kept, the newest first."""
        found = []
        for path in self.folder.glob("*.json"):
            record = read_record(path)
            job = Job.from_record(record) if record is not None else None
            if job is not None:
                found.append(job)
        return sorted(found, key=lambda job: (job.created, job.id), reverse=True)

    def _queued(self) -> list[Job]:
        return sorted(
            (job for job in self.jobs() if job.state == "queued"),
            key=lambda job: (job.created, job.id),
        )

    def _update(self, job_id: str, change: Callable[[Job], None]) -> Job | None:
        with file_lock(self._records_lock):
            record = read_record(self._path(job_id))
            job = Job.from_record(record) if record is not None else None
            if job is not None:
                change(job)
                write_record(self._path(job_id), job.record())
            return job

    def file(self, job: Job, lang: str) -> Path | None:
        name = job.files.get(lang)
        return self.folder_of(job) / name if name else None

    # --- Requests ----

    def submit(self, request: dict[str, Any], **summary: Any) -> Job:
        """Queue a build of ``request`` (what the planner reads); ``summary`` describes it
        (pack, title, documents, languages, format, duplex)."""
        with file_lock(self._records_lock):
            waiting = len(self._queued())
            if waiting >= self.max_queued:
                raise QueueFull(f"{waiting} pack builds are waiting; try later.")
            job = Job(secrets.token_urlsafe(12), request, **summary)
            private_folder(self.folder_of(job))
            write_record(self._path(job.id), job.record())
        self._kick()
        return job

    def position(self, job: Job) -> int | None:
        """1 for the next build to start, 2 for the one after it…; None if not waiting."""
        if job.state != "queued":
            return None
        ids = [queued.id for queued in self._queued()]
        return ids.index(job.id) + 1 if job.id in ids else None

    def cancel(self, job_id: str) -> Job | None:
        """Cancel a waiting job now, a running one as soon as its runner sees the flag."""

        def change(job: Job) -> None:
            if job.state == "queued":
                job.state, job.finished = "cancelled", time.time()
            elif job.state == "running":
                job.cancel = True

        return self._update(job_id, change)

    # --- Running ----

    def _kick(self) -> None:
        """Make sure this process's runner looks at the queue (again)."""
        with self._thread_lock:
            self._again = True
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="pack-builds", daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._thread_lock:
                if not self._again:
                    self._thread = None
                    return
                self._again = False
            if not self._queued():
                continue
            with file_lock(self._build_lock):
                self._fail_abandoned()
                while (job := self._take_next()) is not None:
                    try:
                        state = self._build(job)
                    except Exception as exc:  # a bug must not stop the queue
                        logger.exception("pack build %s failed", job.id)
                        self._set_error(job.id, f"the build failed: {exc}")
                        state = "failed"
                    self._finish(job.id, state)
                if self._spare is not None:
                    self._spare[1].close()  # the idle worker sees EOF and exits
                    self._spare = None

    def _fail_abandoned(self) -> None:
        """Jobs left 'running' by a process that died: whoever holds the build lock runs
        the only build, so any other running record is an orphan."""
        for job in self.jobs():
            if job.state == "running":
                self._finish(job.id, "failed", "the server stopped during this build")

    def _take_next(self) -> Job | None:
        with file_lock(self._records_lock):
            queued = self._queued()
            if not queued:
                return None
            job = queued[0]
            job.state, job.started, job.current = "running", time.time(), job.languages[0]
            write_record(self._path(job.id), job.record())
            return job

    def _cancelled(self, job_id: str) -> bool:
        record = read_record(self._path(job_id))
        return record is None or bool(record.get("cancel"))

    def _worker_for(self, more: bool) -> Worker:
        """The warm spare (or a new worker); with ``more`` work to come, the next spare."""
        worker, self._spare = self._spare or _start_worker(), None
        if more:
            self._spare = _start_worker()
        return worker

    def _build(self, job: Job) -> str:
        try:
            work = self.planner(job.request, self.folder_of(job))
        except DiplobriefError as exc:
            self._set_error(job.id, str(exc))
            return "failed"
        for number, item in enumerate(work, 1):
            if self._cancelled(job.id):
                return "cancelled"
            self._update(job.id, functools.partial(_record_current, lang=item.lang))
            more = number < len(work) or len(self._queued()) > 0
            process, conn = self._worker_for(more)
            message = None
            try:
                conn.send(item)
                while not conn.poll(POLL_SECONDS):
                    if self._cancelled(job.id):
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
                self._set_error(
                    job.id, f"the worker process stopped (exit code {process.exitcode})"
                )
                return "failed"
            if message[0] == "error":
                self._set_error(job.id, str(message[1]))
                return "failed"
            self._update(job.id, functools.partial(_record_built, item=item, message=message))
        return "done"

    def _set_error(self, job_id: str, error: str) -> None:
        self._update(job_id, lambda job: setattr(job, "error", error))

    def _finish(self, job_id: str, state: str, error: str | None = None) -> None:
        def change(job: Job) -> None:
            job.state, job.finished, job.current = state, time.time(), None
            job.error = error or job.error

        self._update(job_id, change)
        with file_lock(self._records_lock):
            finished = sorted(
                (job for job in self.jobs() if job.state in FINISHED_STATES),
                key=lambda job: (job.finished or 0, job.id),
            )
            for old in finished[: max(0, len(finished) - MAX_FINISHED)]:
                self._path(old.id).unlink(missing_ok=True)
                shutil.rmtree(self.folder_of(old), ignore_errors=True)


def _record_current(job: Job, lang: str) -> None:
    job.current = lang


def _record_built(job: Job, item: packs.PackJob, message: tuple[Any, ...]) -> None:
    if message[1]:  # DOCX has no page count: Word lays out the pages
        job.pages[item.lang] = int(message[1])
    job.cached[item.lang] = bool(message[2])
    if message[3] and str(message[3]) not in job.warnings:
        job.warnings.append(str(message[3]))
    job.files[item.lang] = item.output.name
    job.done.append(item.lang)
