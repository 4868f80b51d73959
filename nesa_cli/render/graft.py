"""Merging a tagged PDF into another without losing its tags.

pypdf copies a paper's pages into the agenda pack but not its structure tree
(the headings, paragraphs and tables a screen reader follows), and drops the
pages' ``/StructParents``: the merged pages would be untagged, and the pack
no longer PDF/UA. :func:`graft` copies the paper's structure into the pack's
after pypdf has copied its pages: the paper's ``Document`` element becomes a
``Part`` of the pack's ``Document`` (read in page order: each appendix after
its cover), its parent-tree keys are moved past the pack's own, its element
ids are made unique (Typst numbers ids alike in every file) and its role map
is added to the pack's. A paper that is not tagged cannot be made accessible
here; :func:`tagged` tells, so the pack can say so.
"""

from __future__ import annotations

from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NumberObject,
    TextStringObject,
)


def tagged(reader) -> bool:
    return "/StructTreeRoot" in reader.trailer["/Root"]


def _nums(tree) -> list[tuple[int, object]]:
    """A number tree's pairs, its /Kids included."""
    tree = tree.get_object()
    out = []
    nums = tree.get("/Nums") or []
    out += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums) - 1, 2)]
    for kid in tree.get("/Kids") or []:
        out += _nums(kid)
    return out


def _names(tree) -> list[tuple[str, object]]:
    tree = tree.get_object()
    names = tree.get("/Names") or []
    out = [(str(names[i]), names[i + 1]) for i in range(0, len(names) - 1, 2)]
    for kid in tree.get("/Kids") or []:
        out += _names(kid)
    return out


def _nodes(node):
    """Every dictionary in a structure tree below ``node`` (elements, and the
    marked-content and object references among their kids)."""
    stack = [node]
    while stack:
        n = stack.pop()
        n = n.get_object() if isinstance(n, IndirectObject) else n
        if isinstance(n, ArrayObject):
            stack.extend(n)
        elif isinstance(n, DictionaryObject):
            yield n
            if "/K" in n:
                stack.append(n["/K"])


def _elements(node):
    return (n for n in _nodes(node) if "/S" in n)


def _first_page(node, index: dict) -> int | None:
    """The first page (index) an element's content is on."""
    pages = []
    for n in _nodes(node):
        pg = n.raw_get("/Pg") if "/Pg" in n else None
        if isinstance(pg, IndirectObject) and pg.idnum in index:
            pages.append(index[pg.idnum])
    return min(pages) if pages else None


def graft(writer, reader, pages, prefix: str) -> None:
    """Give ``pages`` (the writer's copies of ``reader``'s pages, in order)
    the paper's structure, under the writer's document element."""
    st = writer._root_object["/StructTreeRoot"].get_object()
    top = st["/K"]
    top = top.get_object()
    document = top[0] if isinstance(top, ArrayObject) else st.raw_get("/K")
    doc = document.get_object()
    if not isinstance(doc.get("/K"), ArrayObject):
        doc[NameObject("/K")] = ArrayObject([doc["/K"]] if "/K" in doc else [])

    # the paper's tree, copied into the writer (its references to its pages
    # resolve to the copies pypdf made of them)
    theirs = reader.trailer["/Root"].raw_get("/StructTreeRoot").clone(writer).get_object()
    ours = _nums(st["/ParentTree"]) if "/ParentTree" in st else []
    offset = max([int(st.get("/ParentTreeNextKey", 0))] + [k + 1 for k, _ in ours])
    moved = [(k + offset, v) for k, v in _nums(theirs["/ParentTree"])] if "/ParentTree" in theirs else []
    pairs = sorted(ours + moved, key=lambda kv: kv[0])
    st[NameObject("/ParentTree")] = DictionaryObject({NameObject("/Nums"): ArrayObject(
        [x for k, v in pairs for x in (NumberObject(k), v)])})
    st[NameObject("/ParentTreeNextKey")] = NumberObject(max([offset] + [k + 1 for k, _ in pairs]))
    for src, page in zip(reader.pages, pages):
        if "/StructParents" in src:
            page[NameObject("/StructParents")] = NumberObject(int(src["/StructParents"]) + offset)
        for annot in page.get("/Annots") or []:
            a = annot.get_object()
            if "/StructParent" in a:
                a[NameObject("/StructParent")] = NumberObject(int(a["/StructParent"]) + offset)

    kids = theirs.get("/K")
    kids = kids.get_object() if kids is not None else ArrayObject()
    kids = list(kids) if isinstance(kids, ArrayObject) else [theirs.raw_get("/K")]
    # in reading order: before the first of the pack's elements that starts after the paper's pages
    index = {pg.indirect_reference.idnum: i for i, pg in enumerate(writer.pages)}
    last = max(index[pg.indirect_reference.idnum] for pg in pages) if pages else -1
    at = next((i for i, kid in enumerate(doc["/K"]) if (_first_page(kid, index) or -1) > last), len(doc["/K"]))
    for kid in kids:
        element = kid.get_object()
        element[NameObject("/P")] = document
        if element.get("/S") == "/Document":
            element[NameObject("/S")] = NameObject("/Part")
        doc["/K"].insert(at, kid)
        at += 1

    # ids unique in the pack: the paper's, and the table headers that name them
    renamed = {}
    for element in _elements(ArrayObject(kids)):
        if "/ID" in element:
            new = renamed.setdefault(str(element["/ID"]), f"{prefix}{element['/ID']}")
            element[NameObject("/ID")] = TextStringObject(new)
        attributes = element.get("/A")
        for attr in (attributes if isinstance(attributes, ArrayObject) else [attributes] if attributes else []):
            attr = attr.get_object()
            if isinstance(attr, DictionaryObject) and "/Headers" in attr:
                attr[NameObject("/Headers")] = ArrayObject(
                    TextStringObject(renamed.setdefault(str(h), f"{prefix}{h}")) for h in attr["/Headers"])
    if "/IDTree" in theirs:
        names = (_names(st["/IDTree"]) if "/IDTree" in st else []) + [
            (renamed.get(n, f"{prefix}{n}"), v) for n, v in _names(theirs["/IDTree"])]
        names.sort(key=lambda nv: nv[0])
        st[NameObject("/IDTree")] = DictionaryObject({NameObject("/Names"): ArrayObject(
            [x for n, v in names for x in (TextStringObject(n), v)])})

    roles = theirs.get("/RoleMap")
    if roles:
        mine = st.get("/RoleMap")
        if mine is None:
            mine = st[NameObject("/RoleMap")] = DictionaryObject()
        for role, standard in roles.get_object().items():
            mine.get_object().setdefault(NameObject(role), standard)
    theirs.clear()  # the copied root itself is not used: nothing refers to it now
