"""The assistant of a long-running service (the web UI), following its index folder.

`tiaowen index` builds a new generation beside the live one and swaps the folder's `current`
link. A service that loaded the old generation goes on answering from memory; `LiveAssistant`
notices the swap on a later request, loads the new generation on a background thread and
switches to it once it is complete. No question waits for the load, and none sees a half-loaded
index; a page being opened checks at once and waits briefly, so that it shows the new
documents. A generation that cannot be loaded (built by another program version, its corpus
changed again, its Chroma server down) is logged and tried again after RETRY_AFTER_S:
meanwhile the service keeps the index it has.

    >>> live = LiveAssistant.load()                  # $TIAOWEN_INDEX_DIR, else .index
    >>> live.current().ask("小型社会组织党建由谁兜底?").citations[0].ref
    '《实施意见》第4条'
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from app.assistant import Assistant
from app.index import IndexUnavailable, default_index_dir
from indexer.build import live_generation

log = logging.getLogger(__name__)

CHECK_EVERY_S = 2.0    # one readlink per interval, not per request
RETRY_AFTER_S = 30.0   # a generation that failed to load is tried again after this
PAGE_WAIT_S = 2.0      # a page opened just after a rebuild waits this long for the new index


class LiveAssistant:
    """The current `Assistant` of an index folder; reloads after a rebuild swaps `current`."""

    def __init__(self, index_dir: str | Path, assistant: Assistant, check_every: float = CHECK_EVERY_S,
                 retry_after: float = RETRY_AFTER_S):
        self.index_dir, self.check_every, self.retry_after = Path(index_dir), check_every, retry_after
        self._assistant = assistant
        self._checked = time.monotonic()
        self._failed: dict[Path, float] = {}   # generation -> when its load failed
        self._loader: threading.Thread | None = None
        self._lock = threading.Lock()

    @classmethod
    def load(cls, index_dir: str | Path | None = None,
             check_every: float = CHECK_EVERY_S) -> "LiveAssistant":
        index_dir = Path(index_dir) if index_dir else default_index_dir()
        return cls(index_dir, Assistant.load(index_dir), check_every)

    def current(self, wait: float = 0.0) -> Assistant:
        """The assistant to answer with now; starts loading a newer generation if there is one.
        With `wait`, checks now whatever the interval and waits up to `wait` seconds for it."""
        now = time.monotonic()
        if wait or now - self._checked >= self.check_every:
            self._checked = now
            self._start_reload()
            if wait:
                self.wait(wait)
        return self._assistant

    def wait(self, timeout: float | None = None) -> None:
        """Block until a reload in progress has finished (or failed)."""
        loader = self._loader
        if loader is not None:
            loader.join(timeout)

    def _start_reload(self) -> None:
        generation = live_generation(self.index_dir)
        with self._lock:
            busy = self._loader is not None and self._loader.is_alive()
            failed = self._failed.get(generation) if generation else None
            if busy or generation is None or generation == self._assistant.index.generation \
                    or (failed is not None and time.monotonic() - failed < self.retry_after):
                return
            self._loader = threading.Thread(target=self._reload, args=(generation,),
                                            name="tiaowen-reload", daemon=True)
            self._loader.start()

    def _reload(self, generation: Path) -> None:
        old = self._assistant
        try:
            fresh = Assistant.load(self.index_dir, old.retriever.weights, old.selector.policy,
                                   generation=generation, embedding=old.retriever.embedding)
        except IndexUnavailable as error:
            log.warning("新索引 %s 未载入，继续使用 %s：%s", generation.name, old.index.generation.name, error)
            self._failed[generation] = time.monotonic()
            return
        except Exception:  # a generation collected by a newer build while loading, and the like
            log.exception("新索引 %s 载入失败，继续使用 %s", generation.name, old.index.generation.name)
            self._failed[generation] = time.monotonic()
            return
        self._assistant = fresh
        # answering never touches Chroma (vectors are in memory): the old handles can go
        old.index.manifest.vector_home(old.index.generation).close(old.index.chroma_client)
        log.info("已切换到新索引 %s（%d 份文件，%d 条）", generation.name,
                 len(fresh.index.documents), len(fresh.index.articles))
