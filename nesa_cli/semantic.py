"""Kept for older imports: see :mod:`nesa_cli.changes.describe`."""

from __future__ import annotations

from nesa_cli.changes import records as _d
from nesa_cli.changes.describe import Change, FileChange, Names, describe, generic  # noqa: F401
from nesa_cli.changes.schools import _school as _school_said
from nesa_cli.privacy import PRIVATE  # noqa: F401


def _pairs(fn):
    def run(fc, names):
        return [(s.thing, s.text) for s in fn(fc, names)]

    return run


_school, _network, _policy, _invoice, _meeting, _other = (_pairs(f) for f in (
    _school_said, _d._network, _d._policy, _d._invoice, _d._meeting, _d._other))
