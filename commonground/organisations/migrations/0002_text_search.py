"""A substring index for the directory's text search.

SQLite: an FTS5 table with the trigram tokenizer, holding no copy of the text
(``content=`` the organisation table) and kept in step by triggers.
PostgreSQL: trigram GIN indexes (pg_trgm) on the upper-cased columns, which is
what ``icontains`` compares, so the ORM query itself uses them.
"""

from django.db import migrations

FTS = "organisations_organisation_fts"
COLUMNS = ("name", "place_name", "mission")

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5("
    "name, place_name, mission, content='organisations_organisation', content_rowid='id', "
    "tokenize='trigram')",
    f"CREATE TRIGGER {FTS}_ai AFTER INSERT ON organisations_organisation BEGIN "
    f"INSERT INTO {FTS}(rowid, name, place_name, mission) "
    "VALUES (new.id, new.name, new.place_name, new.mission); END",
    f"CREATE TRIGGER {FTS}_ad AFTER DELETE ON organisations_organisation BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, name, place_name, mission) "
    "VALUES ('delete', old.id, old.name, old.place_name, old.mission); END",
    f"CREATE TRIGGER {FTS}_au AFTER UPDATE OF name, place_name, mission "
    "ON organisations_organisation BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, name, place_name, mission) "
    "VALUES ('delete', old.id, old.name, old.place_name, old.mission); "
    f"INSERT INTO {FTS}(rowid, name, place_name, mission) "
    "VALUES (new.id, new.name, new.place_name, new.mission); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]
PG_FORWARD = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
    f"CREATE INDEX IF NOT EXISTS organisation_{c}_trgm ON organisations_organisation "
    f"USING gin (UPPER({c}) gin_trgm_ops)"
    for c in COLUMNS
]
PG_BACKWARD = [f"DROP INDEX IF EXISTS organisation_{c}_trgm" for c in COLUMNS]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for sql in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return apply


class Migration(migrations.Migration):
    dependencies = [("organisations", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        )
    ]
