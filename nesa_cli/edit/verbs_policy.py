"""The policy verbs: publish a version, record adoptions."""

from __future__ import annotations

from datetime import date

from nesa_cli.edit import roundtrip
from nesa_cli.edit.fields import append_entry
from nesa_cli.edit.transaction import EditError, Transaction
from nesa_cli.edit.records import existing
from nesa_cli.edit.verbs_school import find_school

def policy_path(tx: Transaction, slug: str) -> str:
    return existing(tx, "policy", slug)


def publish(tx: Transaction, slug: str, version: str, approved: date, summary: str | None = None,
            document: str | None = None) -> None:
    path = policy_path(tx, slug)
    doc = tx.doc(path)
    versions = doc.get("versions")
    if any(str(v.get("version")) == version for v in versions or []):
        raise EditError(f"{doc.get('title', slug)} already has a version {version}")
    roundtrip.append(versions, roundtrip.new_map({"version": version, "approved": approved, "summary": summary, "document": document}))
    tx.subject = f"{doc.get('title', slug)}: version {version} approved on {approved}"
    tx.note(f"{doc.get('title', slug)}: version {version} approved on {approved}" + (f" ({summary})" if summary else ""))


def adopt(tx: Transaction, slug: str, queries: list[str], on: date, version: str | None = None, body: str | None = None,
          local_changes: str | None = None) -> None:
    if not queries:
        raise EditError("name at least one school")
    path = policy_path(tx, slug)
    doc = tx.doc(path)
    title = doc.get("title", slug)
    if version is None:
        versions = [v for v in doc.get("versions") or [] if v.get("approved") is not None]
        if not versions:
            raise EditError(f"{title} has no approved version")
        version = str(max(versions, key=lambda v: str(v.get("approved"))).get("version"))
    adoptions = doc.get("adoptions") or []
    names = []
    already = []
    seen = set()
    for q in queries:
        urn, _ = find_school(tx, q)
        if urn in seen:
            continue
        seen.add(urn)
        if any(a.get("school") == urn and str(a.get("version")) == version for a in adoptions):
            school = tx.model.schools.get(urn)
            already.append(school.name if school else str(urn))
            continue  # the others are still recorded; this one is said once below
        append_entry(doc, "adoptions", roundtrip.new_map({"school": urn, "version": version, "date": on, "body": body,
                                                          "local_changes": local_changes}), "policy")
        adoptions = doc["adoptions"]
        school = tx.model.schools.get(urn)
        names.append(school.name if school else str(urn))
    if not names:
        who = already[0] if len(already) == 1 else ", ".join(already)
        raise EditError(f"{who} already adopted version {version} of {title}; nothing to record")
    what = names[0] if len(names) == 1 else f"{len(names)} schools"
    tx.subject = f"{title}: {what} adopted version {version}"
    for n in names:
        tx.note(f"{title}: {n} adopted version {version} on {on}")
    for n in already:
        tx.note(f"{title}: {n} had already adopted version {version}; left as it was")


