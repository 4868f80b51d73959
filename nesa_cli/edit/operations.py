"""The edits, as one namespace (``from nesa_cli.edit import operations as ops``).

The code lives in two layers: schema-driven editing of any kind
(:mod:`~nesa_cli.edit.fields`: coercion, dotted paths, put/append/remove;
:mod:`~nesa_cli.edit.records`: create, set, delete a record) and the verbs of
each kind built on it (``verbs_school``, ``verbs_network``, ``verbs_policy``,
``verbs_meeting``, ``verbs_finance``, ``verbs_alliance``, ``verbs_body``). Each verb changes
round-trip documents held by a :class:`~nesa_cli.edit.transaction.Transaction`,
says what it did in words (``tx.note``) and raises :class:`EditError` for a
request that cannot be made; whether the result is valid is decided
afterwards by the full validator, so the rules live in one place.
"""

from __future__ import annotations

from nesa_cli.edit.fields import append_entry, coerce, field_paths, header, key_order, put, schema_at, set_path, show, unset_path
from nesa_cli.edit.items import add_entry, append_item, item_value, remove_item
from nesa_cli.edit.records import (PROTECTED, Assignment, delete_record, existing, new_record, parse_assignments,
                                   path_for, set_fields, set_record, valid_id)
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.edit.verbs_alliance import new_activity, partnership_add, team_add
from nesa_cli.edit.verbs_body import add_member as body_add_member, body_path, end_term as body_end_term, new_body
from nesa_cli.edit.verbs_convert import convert  # issue 20, conversions
from nesa_cli.edit.verbs_finance import confirm, recharge, source_add, spend, stream_add
from nesa_cli.edit.verbs_meeting import MEETINGS, action_add, action_done, attend, decide, new_meeting, open_actions
from nesa_cli.edit.verbs_network import end_member, network_add, network_path, network_remove
from nesa_cli.edit.verbs_policy import adopt, policy_path, publish
from nesa_cli.edit.verbs_school import (SCHOOLS, STATES, _set_pupils, add_contact, add_school, find_school,
                                        head_contact_index, join, membership_event, record_pupils, remove_contact,
                                        school_label, school_path, withdraw)

_set = set_path  # the names the GIAS merge (gias/merge.py) and older callers use
_unset = unset_path
_show = show

__all__ = [name for name in dir() if not name.startswith("__")]
