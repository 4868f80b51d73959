"""The shared Typst library (templates/nesa.typ) agrees with the Python side.

Money in a PDF is formatted by ``money()`` in Typst, in HTML and Markdown by
the ``money`` filter in Python: both must write the same text for every
amount, or a board would see two different figures for one invoice. Typst's
``query`` runs the library and hands its results back as JSON.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nesa_cli.render import money
from nesa_cli.render.pdf import plain
from nesa_cli.resources import templates_dir

typst = pytest.importorskip("typst")

PROBE = '''#import "nesa.typ": money, capitalise, or-else
#let vals = json(bytes(sys.inputs.vals))
#metadata((
  money: vals.money.map(v => money(v)),
  capitalise: vals.words.map(w => capitalise(w)),
  or-else: (or-else(none, "x"), or-else("", "x"), or-else("a", "x")),
)) <probe>
'''


@pytest.fixture(scope="module")
def probe(tmp_path_factory):
    folder = tmp_path_factory.mktemp("typ")
    shutil.copyfile(templates_dir() / "nesa.typ", folder / "nesa.typ")
    (folder / "probe.typ").write_text(PROBE, encoding="utf-8")

    def run(amounts, words=()):
        vals = {"money": [plain(a) for a in amounts], "words": list(words)}
        return typst.query(str(folder / "probe.typ"), "<probe>", field="value", one=True, root=str(folder),
                           sys_inputs={"vals": json.dumps(vals)})
    return run


def test_money_examples(probe):
    out = json.loads(probe([Decimal("1234.5"), Decimal("-12"), Decimal("0"), Decimal("1000000.00"), Decimal("0.05"), 600]))
    assert out["money"] == ["£1,234.50", "-£12.00", "£0.00", "£1,000,000.00", "£0.05", "£600.00"]


def test_capitalise_and_or_else(probe):
    out = json.loads(probe([], ["headteacher", "", "école", "SENCO"]))
    assert out["capitalise"] == ["Headteacher", "", "École", "SENCO"]
    assert out["or-else"] == ["x", "x", "a"]


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(st.lists(st.decimals(min_value=Decimal("-99999999.99"), max_value=Decimal("99999999.99"), places=2), min_size=1, max_size=40))
def test_money_agrees_with_python(probe, amounts):
    assert json.loads(probe(amounts))["money"] == [money(a) for a in amounts]
