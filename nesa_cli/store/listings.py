"""What each folder under data/ held when last listed, kept in the cache."""

from __future__ import annotations

import time


class Listings:
    """What each folder under data/ held when last listed (file names, folder
    names, refused entries), by the folder's own modification time, inode and
    change time. Adding, removing or renaming an entry changes a folder's
    modification time (and setting that time back changes its change time),
    so an unchanged folder need not be read again (git's untracked cache rests
    on the same fact): at 25,000 school files, listing data/ took 40 to 60 ms.
    A listing is kept only when the folder had last been modified more than
    RACY_NS before it was read; a change within the same clock tick as the
    read could otherwise leave the time as it was.

    ``cache`` is a :class:`nesa_cli.store.cache.Cache` (its ``get`` and ``put``)."""

    KEY = "folder-listings"
    RACY_NS = 2_000_000_000

    def __init__(self, cache):
        self._cache = cache
        self._held: dict | None = None
        self._seen: set[str] = set()
        self._changed = False

    def _all(self) -> dict:
        if self._held is None:
            value = self._cache.get(self.KEY, count=False)
            self._held = value if isinstance(value, dict) else {}
        return self._held

    @staticmethod
    def _stamp(stat) -> tuple[int, int, int]:
        return (stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns)

    def get(self, folder: str, stat) -> tuple | None:
        """(files, folders, refused) of ``folder`` if it is as it was when listed."""
        self._seen.add(folder)
        known = self._all().get(folder)
        if not (isinstance(known, tuple) and len(known) == 2 and known[0] == self._stamp(stat)):
            return None
        held = known[1]
        if not (isinstance(held, tuple) and len(held) == 3 and all(isinstance(part, list) for part in held)):
            return None
        return held

    def put(self, folder: str, stat, held: tuple) -> None:
        self._seen.add(folder)
        now = time.time_ns()
        if now - stat.st_mtime_ns > self.RACY_NS:
            self._all()[folder] = (self._stamp(stat), tuple(held))
            self._changed = True
        elif self._all().pop(folder, None) is not None:
            self._changed = True

    def save(self) -> None:
        """Keep the listings of the folders seen in this scan."""
        held = self._all()
        for gone in set(held) - self._seen:
            del held[gone]
            self._changed = True
        if self._changed:
            self._cache.put(self.KEY, held)
            self._changed = False
