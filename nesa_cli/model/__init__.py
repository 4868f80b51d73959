"""Typed records built from schema-valid data.

Plain Python over plain data: a test can build a :class:`Model` in memory and
call any report on it. Dates are :class:`datetime.date`, money is Decimal.
The records are in :mod:`nesa_cli.model.records`, the builders that make them
from a file's data in :mod:`nesa_cli.model.build`; both are imported from here.
"""

from nesa_cli.model.build import (
    _ReadSchool,
    add_record,
    build_alliance,
    build_network,
    build_policy,
    build_school,
)
from nesa_cli.model.records import (
    CONTACT_FIELDS,
    HEAD_ROLES,
    MEMBER_STATES,
    Adoption,
    Alliance,
    Contact,
    MembershipEvent,
    Model,
    Network,
    NetworkMember,
    Partnership,
    Policy,
    PolicyVersion,
    PupilCount,
    Recipient,
    School,
    TeamMember,
)

__all__ = [
    "CONTACT_FIELDS", "HEAD_ROLES", "MEMBER_STATES", "Adoption", "Alliance", "Contact", "MembershipEvent", "Model",
    "Network", "NetworkMember", "Partnership", "Policy", "PolicyVersion", "PupilCount", "Recipient", "School",
    "TeamMember", "_ReadSchool", "add_record", "build_alliance", "build_network", "build_policy", "build_school",
]
