"""The local workspace database: ORM models, engine, migrations, the DB thread."""
