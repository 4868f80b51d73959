"""What changed, in one place.

- :mod:`.fields`: field-level differences between two versions of a record
  (equal values and reorders are not changes; list items matched by what they are);
- :mod:`.labels`: a field's words, from the schemas' titles;
- :mod:`.describe`: those differences in words (:mod:`.change` its records,
  :mod:`.generic` any record's fields, :mod:`.schools` and :mod:`.records` per kind);
- :mod:`.walk`: which files changed between revisions (or HEAD and the working tree);
- :mod:`.summarise`: many alike changes as one line;
- :mod:`.render`: the changes as text or Markdown.
"""

from nesa_cli.changes.fields import FieldChange, Delta, Item, deltas, field_changes, flatten, same
from nesa_cli.privacy import PRIVATE

__all__ = ["PRIVATE", "Delta", "FieldChange", "Item", "deltas", "field_changes", "flatten", "same"]
