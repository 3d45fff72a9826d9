from django.db.backends.postgresql import base

from commonground.core.versions import BumpVersionsOnCommit


class DatabaseWrapper(BumpVersionsOnCommit, base.DatabaseWrapper):
    """Django's postgresql wrapper; marked data versions are bumped just before COMMIT."""
