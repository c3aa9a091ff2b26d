"""What a closed period published never changes: its indicator and score rows admit no
update or delete, and a period row may only be updated once, to record its reopening."""

from django.db import migrations

PUBLISHED_TABLES = ("tracker_publishedindicator", "tracker_publishedscore")

POSTGRESQL = [
    (
        """
        CREATE FUNCTION tracker_published_is_final() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'published figures are final' USING ERRCODE = 'restrict_violation';
        END $$ LANGUAGE plpgsql;
        """,
        "DROP FUNCTION IF EXISTS tracker_published_is_final() CASCADE;",
    ),
    *(
        (
            f"""
            CREATE TRIGGER {table}_final BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION tracker_published_is_final();
            """,
            f"DROP TRIGGER IF EXISTS {table}_final ON {table};",
        )
        for table in PUBLISHED_TABLES
    ),
    (
        """
        CREATE FUNCTION tracker_period_reopen_only() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'DELETE' OR OLD.reopened_at IS NOT NULL
               OR NEW.from_date <> OLD.from_date OR NEW.to_date <> OLD.to_date
               OR NEW.as_of <> OLD.as_of OR NEW.closed_at <> OLD.closed_at
               OR NEW.closed_by_id <> OLD.closed_by_id THEN
                RAISE EXCEPTION 'a closed period can only be reopened, once'
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END $$ LANGUAGE plpgsql;
        """,
        "DROP FUNCTION IF EXISTS tracker_period_reopen_only() CASCADE;",
    ),
    (
        """
        CREATE TRIGGER tracker_period_reopen_only BEFORE UPDATE OR DELETE ON tracker_period
        FOR EACH ROW EXECUTE FUNCTION tracker_period_reopen_only();
        """,
        "DROP TRIGGER IF EXISTS tracker_period_reopen_only ON tracker_period;",
    ),
]

SQLITE = [
    *(
        (
            f"""
            CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table}
            BEGIN SELECT RAISE(ABORT, 'published figures are final'); END;
            """,
            f"DROP TRIGGER IF EXISTS {table}_no_{event.lower()};",
        )
        for table in PUBLISHED_TABLES
        for event in ("UPDATE", "DELETE")
    ),
    (
        """
        CREATE TRIGGER tracker_period_no_delete BEFORE DELETE ON tracker_period
        BEGIN SELECT RAISE(ABORT, 'a closed period can only be reopened, once'); END;
        """,
        "DROP TRIGGER IF EXISTS tracker_period_no_delete;",
    ),
    (
        """
        CREATE TRIGGER tracker_period_reopen_only BEFORE UPDATE ON tracker_period
        WHEN OLD.reopened_at IS NOT NULL OR NEW.from_date <> OLD.from_date
          OR NEW.to_date <> OLD.to_date OR NEW.as_of <> OLD.as_of
          OR NEW.closed_at <> OLD.closed_at OR NEW.closed_by_id <> OLD.closed_by_id
        BEGIN SELECT RAISE(ABORT, 'a closed period can only be reopened, once'); END;
        """,
        "DROP TRIGGER IF EXISTS tracker_period_reopen_only;",
    ),
]

BY_VENDOR = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def _run(index: int):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202
        for statements in BY_VENDOR.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statements[index], params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("tracker", "0006_scoring_and_periods")]

    operations = [migrations.RunPython(_run(0), _run(1))]
