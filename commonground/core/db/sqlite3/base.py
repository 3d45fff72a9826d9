from django.db.backends.sqlite3 import base

from commonground.core.versions import BumpVersionsOnCommit


class DatabaseWrapper(BumpVersionsOnCommit, base.DatabaseWrapper):
    """Django's sqlite3 wrapper; marked data versions are bumped just before COMMIT."""
