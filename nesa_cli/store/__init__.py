"""Where the data lives: the working tree or a git revision.

Only this package knows about the file system layout and git. A *source*
lists the data files (paths relative to the repository root, POSIX style)
and reads their bytes.
"""

from nesa_cli.store.root import DATA_DIR, RepositoryNotFound, find_root
from nesa_cli.store.sources import Source, WorkingTree

__all__ = ["DATA_DIR", "RepositoryNotFound", "Source", "WorkingTree", "find_root"]
