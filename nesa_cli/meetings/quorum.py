"""Quorum of a meeting, from its body's rule and the attendance recorded."""

from __future__ import annotations

from dataclasses import dataclass

APOLOGIES = ("apologies-accepted", "apologies-not-accepted")


@dataclass(frozen=True)
class QuorumState:
    needed: int  # counted members who must be present
    counted: int  # counted members on the body on the day
    present: int  # counted members recorded present
    apologies: int  # counted members who have sent apologies
    rule: str  # the rule in words
    recorded: bool  # attendance has been recorded (someone marked present or absent)

    @property
    def quorate(self) -> bool:
        return self.present >= self.needed

    @property
    def can_be_quorate(self) -> bool:
        """Before the meeting: enough counted members have not sent apologies."""
        return self.counted - self.apologies >= self.needed


def quorum_of(model, m) -> QuorumState | None:
    """None when the meeting's body has no quorum (or is a network or partnership)."""
    from nesa_cli.meetings.bodies import seats_on
    from nesa_cli.meetings.model import body_of, invited, match_attendance

    body = body_of(model, m)
    if body is None or body.quorum is None or m.cancelled:
        return None
    seats = seats_on(model, body, m.date)
    q = body.quorum
    counts = set(q.counts)
    hits = match_attendance(invited(model, m), m.attendance)
    present = apologies = 0
    recorded = False
    for a, hit in zip(m.attendance, hits):
        recorded |= a.status in ("present", "absent")
        if hit is None or hit.body_role not in counts:
            continue
        present += a.status == "present"
        apologies += a.status in APOLOGIES
    return QuorumState(q.needed(seats), sum(s.role in counts for s in seats), present, apologies, q.describe(seats), recorded)


def quorum_warning(state: QuorumState | None) -> str | None:
    """The agenda's warning when apologies already received make the meeting inquorate."""
    if state is None or state.recorded or state.can_be_quorate:
        return None
    left = state.counted - state.apologies
    return (f"apologies from {state.apologies} of {state.counted} counted members leave at most {left} able to attend; "
            f"the quorum is {state.rule}: the meeting will be inquorate")
