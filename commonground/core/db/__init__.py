"""Django's SQLite and PostgreSQL backends, with the data versions bumped at commit
(``core.versions``). settings.py names these packages as the ENGINE."""
