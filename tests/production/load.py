"""A steady load of API reads and writes from threads, recording every request's outcome."""

import threading
import time
import uuid
from dataclasses import dataclass, field

import requests

SOURCES = "/api/v1/sources/"


@dataclass
class Outcome:
    kind: str  # "read" or "write"
    started: float
    ended: float
    status: int  # 0: no response
    slug: str = ""

    @property
    def ok(self) -> bool:
        return self.status in (200, 201)


@dataclass
class Load:
    """``readers`` + ``writers`` threads hitting ``base`` until ``stop()``."""

    base: str
    token: str
    readers: int = 3
    writers: int = 2
    outcomes: list[Outcome] = field(default_factory=list)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=(self._read,), daemon=True)
            for _ in range(self.readers)
        ] + [
            threading.Thread(target=self._run, args=(self._write,), daemon=True)
            for _ in range(self.writers)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def _run(self, request) -> None:
        session = requests.Session()
        session.headers["Authorization"] = f"Token {self.token}"
        with session:
            while not self._stop.is_set():
                started = time.monotonic()
                kind, status, slug = request(session)
                with self._lock:
                    self.outcomes.append(Outcome(kind, started, time.monotonic(), status, slug))
                time.sleep(0.02)

    def _read(self, session) -> tuple[str, int, str]:
        try:
            response = session.get(f"{self.base}{SOURCES}?page_size=5", timeout=20)
        except requests.RequestException:
            return "read", 0, ""
        return "read", response.status_code, ""

    def _write(self, session) -> tuple[str, int, str]:
        slug = f"load-{uuid.uuid4().hex[:12]}"
        try:
            response = session.post(
                f"{self.base}{SOURCES}", json={"slug": slug, "title": "Load test"}, timeout=20
            )
        except requests.RequestException:
            return "write", 0, slug
        return "write", response.status_code, slug

    def acknowledged_writes(self) -> set[str]:
        return {o.slug for o in self.outcomes if o.kind == "write" and o.ok}
