"""Time spent per stage of loading (`nesa --timings COMMAND`).

Off unless :func:`start` is called: then ``with stage("parse"): ...`` adds
the time of its block to that stage. When off, ``stage`` hands back one
shared object whose enter and exit do nothing, so the stages cost nothing
measurable in an ordinary run.
"""

from __future__ import annotations

import time

STAGES = ("list", "cache", "read", "parse", "schema", "build", "rules")


class Timings:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.started = time.perf_counter()

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        self.counts[name] = self.counts.get(name, 0) + 1

    def rows(self) -> list[tuple[str, float, int]]:
        """(stage, seconds, times entered), in the order of STAGES, then the rest."""
        names = [s for s in STAGES if s in self.seconds] + sorted(set(self.seconds) - set(STAGES))
        return [(n, self.seconds[n], self.counts[n]) for n in names]

    def report(self) -> str:
        total = time.perf_counter() - self.started
        lines = [f"{name:<8} {seconds * 1000:9.1f} ms  ({count} time{'s' if count != 1 else ''})" for name, seconds, count in self.rows()]
        lines.append(f"{'total':<8} {total * 1000:9.1f} ms  (the command, from when timing started)")
        return "\n".join(lines)


ACTIVE: Timings | None = None


class _Stage:
    __slots__ = ("name", "t0")

    def __init__(self, name: str):
        self.name = name

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        if ACTIVE is not None:
            ACTIVE.add(self.name, time.perf_counter() - self.t0)


class _Off:
    __slots__ = ()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


_OFF = _Off()


def stage(name: str):
    return _OFF if ACTIVE is None else _Stage(name)


def start() -> Timings:
    global ACTIVE
    ACTIVE = Timings()
    return ACTIVE


def stop() -> Timings | None:
    global ACTIVE
    done, ACTIVE = ACTIVE, None
    return done
