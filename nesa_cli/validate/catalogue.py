"""Every rule id the validator can report, with its severity and meaning.

The README's rule table is checked against this list by the tests.
"""

RULES: dict[str, tuple[str, str]] = {
    # loading
    "yaml-syntax": ("error", "The file is not valid YAML."),
    "yaml-tab": ("error", "A tab character where YAML needs spaces."),
    "yaml-encoding": ("error", "The file is not UTF-8 (e.g. saved as Windows-1252 or UTF-16)."),
    "yaml-bom": ("error", "The file starts with a byte-order mark."),
    "yaml-empty": ("error", "The file is empty or holds only comments."),
    "yaml-multi-document": ("error", "More than one YAML document ('---') in one file."),
    "yaml-duplicate-key": ("error", "A key appears twice in one mapping; YAML would silently keep the last."),
    "yaml-key-type": ("error", "A key that is not text (e.g. a number)."),
    "yaml-tag": ("error", "An explicit tag such as !!python/object."),
    "yaml-alias": ("error", "Anchors, aliases or merge keys (&a, *a, <<)."),
    "yaml-too-deep": ("error", "Data nested more than 64 levels deep."),
    "yaml-too-large": ("error", "A data file over 5 MiB."),
    "yaml-number-too-long": ("error", "A number of more than 100 characters (quote it if it is text)."),
    "unreadable": ("error", "The file could not be read."),
    "unsafe-path": ("error", "A symbolic link or other non-regular file under data/."),
    "unknown-file": ("warning", "A file under data/ that no kind of record claims (so nothing checks it)."),
    # schema
    "schema": ("error", "The record breaks its JSON Schema: unknown field, missing field, wrong type, bad value."),
    # identity
    "alliance-missing": ("error", "data/alliance.yaml is missing."),
    "id-filename": ("error", "The file name does not match the id inside (e.g. schools/123456.yaml must hold urn: 123456)."),
    "id-unique": ("error", "An id is used twice (files, central-team ids, partnership ids, policy versions), or a network lists one person twice for the same days."),
    # references
    "ref-school": ("error", "A URN that no school file holds."),
    "ref-person": ("error", "A person who is not a contact at the school named with them."),
    "ref-partnership": ("error", "A partnership id that data/alliance.yaml does not define."),
    "ref-central-team": ("error", "A central-team id that data/alliance.yaml does not define."),
    "ref-version": ("error", "A policy adoption names a version the policy does not have."),
    # dates and history
    "membership-order": ("error", "Membership history is not in date order."),
    "membership-reason": ("warning", "A withdrawal without a reason."),
    "policy-version-order": ("error", "A policy's versions are not in date order."),
    "adoption-date": ("error", "A school adopted a policy version before it was approved."),
    "network-withdrawn-member": ("error", "A withdrawn school is still an active network member (or lead) after its withdrawal date."),
    "network-non-member": ("warning", "An active network member whose school is not a member of the alliance."),
    "eligibility": ("error", "A school outside the alliance's eligibility rule is signed-up or a member."),
    "contact-headteacher": ("warning", "A member school without a headteacher contact."),
    # meetings
    "meeting-body": ("error", "A meeting's body names a network or partnership that does not exist."),
    "meeting-person": ("error", "A chair, minute taker, item lead or action owner is neither a central-team id nor a contact at the named school."),
    "meeting-times": ("error", "A meeting ends before it starts."),
    "meeting-attendance": ("error", "Attendance recorded for a school or person who was not invited (use observers or guests)."),
    "meeting-uid-unique": ("error", "Two meetings share one calendar uid."),
    # collaboration (activities, preferences, proposals)
    "activity-dates": ("error", "An activity ends, or is reviewed, before it starts."),
    "activity-self": ("error", "An activity lists its own lead school among the other schools involved."),
    "activity-lead-not-member": ("warning", "An activity is led by a school that is not a member on its start date."),
    "preference-self": ("error", "A school names itself as a preferred partner."),
    "proposal-duplicate": ("error", "A partnership proposal puts one school in more than one group."),
    "pupils-stale": ("warning", "A member school whose latest pupil number is older than the alliance's census date."),
    "gias-closed": ("warning", "GIAS lists the school as closed (gias: status: closed, from nesa import gias) but it is still consulting, signed up or a member."),
    # finance (data/finance/<year>.yaml) and invoices (data/finance/invoices/<number>.yaml)
    "finance-year": ("error", "A financial year label that is not two consecutive years, e.g. 2025-27."),
    "finance-scheme": ("error", "A contribution scheme that cannot be worked out: a missing field for its method, the floor above the cap, bands out of order, or a total the floors and caps cannot meet."),
    "finance-pupils": ("error", "A contributing member school has no pupil number on or before the scheme's census date."),
    "finance-split": ("error", "A recharge or contract cannot be split: hours or shares missing, or every weight zero."),
    "finance-nothing-to-invoice": ("warning", "A recharge that no school but its provider shares, so nothing would be invoiced."),
    "finance-ref": ("error", "A spending stream, source, activity or account holder that the finance data names does not exist (activities' stream too)."),
    "finance-confirmation": ("warning", "A governing-body confirmation for a school that is not a member in any month of the year."),
    "finance-spend-date": ("error", "A spend entry or receipt dated outside its financial year."),
    "finance-overspend": ("warning", "A spending stream's paid and committed spend exceeds its budget."),
    "invoice-totals": ("error", "An invoice whose lines, subtotal, VAT or total do not add up to the penny."),
    "invoice-number": ("error", "An invoice number with another alliance's prefix, or numbered in a year other than its own."),
    "invoice-status": ("error", "Status fields that contradict each other (paid without paid_on, void without a credit note, a credit note that credits nothing)."),
    "invoice-dates": ("error", "An invoice due, paid or voided before its invoice date."),
    "invoice-credit": ("error", "A credit note and the void invoice it cancels do not point at each other or differ in amount."),
    "invoice-source": ("error", "Two live invoices bill the same thing (the same school's contribution, recharge or contract share)."),
}
