"""Rules that span rows or forbid writes, which CHECK constraints cannot express:
a task's lead department is never one of its coordinating departments, and task history
is append-only."""

from django.db import migrations

POSTGRESQL = [
    (
        """
        CREATE FUNCTION tracker_check_coordination_not_lead() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM tracker_taskcoordination c
                JOIN tracker_task t ON t.id = c.task_id
                WHERE c.task_id = NEW.task_id AND c.department_id = t.lead_department_id
            ) THEN
                RAISE EXCEPTION 'the lead department of task % cannot also coordinate it',
                    NEW.task_id USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;
        """
        ,
        "DROP FUNCTION IF EXISTS tracker_check_coordination_not_lead() CASCADE;",
    ),
    (
        """
        CREATE CONSTRAINT TRIGGER task_coordination_not_lead
        AFTER INSERT OR UPDATE ON tracker_taskcoordination
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        EXECUTE FUNCTION tracker_check_coordination_not_lead();
        """,
        "DROP TRIGGER IF EXISTS task_coordination_not_lead ON tracker_taskcoordination;",
    ),
    (
        """
        CREATE FUNCTION tracker_check_lead_not_coordinating() RETURNS trigger AS $$
        BEGIN
            IF EXISTS (
                SELECT 1 FROM tracker_taskcoordination c
                WHERE c.task_id = NEW.id AND c.department_id = NEW.lead_department_id
            ) THEN
                RAISE EXCEPTION 'the lead department of task % cannot also coordinate it',
                    NEW.id USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;
        """,
        "DROP FUNCTION IF EXISTS tracker_check_lead_not_coordinating() CASCADE;",
    ),
    (
        """
        CREATE CONSTRAINT TRIGGER task_lead_not_coordinating
        AFTER UPDATE OF lead_department_id ON tracker_task
        DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
        EXECUTE FUNCTION tracker_check_lead_not_coordinating();
        """,
        "DROP TRIGGER IF EXISTS task_lead_not_coordinating ON tracker_task;",
    ),
    (
        """
        CREATE FUNCTION tracker_task_history_append_only() RETURNS trigger AS $$
        BEGIN
            RAISE EXCEPTION 'task history is append-only' USING ERRCODE = 'restrict_violation';
        END $$ LANGUAGE plpgsql;
        """,
        "DROP FUNCTION IF EXISTS tracker_task_history_append_only() CASCADE;",
    ),
    (
        """
        CREATE TRIGGER task_history_append_only
        BEFORE UPDATE OR DELETE ON tracker_taskhistory
        FOR EACH ROW EXECUTE FUNCTION tracker_task_history_append_only();
        """,
        "DROP TRIGGER IF EXISTS task_history_append_only ON tracker_taskhistory;",
    ),
]

SQLITE = [
    (
        """
        CREATE TRIGGER task_coordination_not_lead_insert BEFORE INSERT ON tracker_taskcoordination
        WHEN NEW.department_id = (SELECT lead_department_id FROM tracker_task WHERE id = NEW.task_id)
        BEGIN SELECT RAISE(ABORT, 'the lead department cannot also coordinate the task'); END;
        """,
        "DROP TRIGGER IF EXISTS task_coordination_not_lead_insert;",
    ),
    (
        """
        CREATE TRIGGER task_coordination_not_lead_update BEFORE UPDATE ON tracker_taskcoordination
        WHEN NEW.department_id = (SELECT lead_department_id FROM tracker_task WHERE id = NEW.task_id)
        BEGIN SELECT RAISE(ABORT, 'the lead department cannot also coordinate the task'); END;
        """,
        "DROP TRIGGER IF EXISTS task_coordination_not_lead_update;",
    ),
    (
        """
        CREATE TRIGGER task_lead_not_coordinating BEFORE UPDATE OF lead_department_id ON tracker_task
        WHEN EXISTS (SELECT 1 FROM tracker_taskcoordination
                     WHERE task_id = NEW.id AND department_id = NEW.lead_department_id)
        BEGIN SELECT RAISE(ABORT, 'the lead department cannot also coordinate the task'); END;
        """,
        "DROP TRIGGER IF EXISTS task_lead_not_coordinating;",
    ),
    (
        """
        CREATE TRIGGER task_history_no_update BEFORE UPDATE ON tracker_taskhistory
        BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;
        """,
        "DROP TRIGGER IF EXISTS task_history_no_update;",
    ),
    (
        """
        CREATE TRIGGER task_history_no_delete BEFORE DELETE ON tracker_taskhistory
        BEGIN SELECT RAISE(ABORT, 'task history is append-only'); END;
        """,
        "DROP TRIGGER IF EXISTS task_history_no_delete;",
    ),
]

BY_VENDOR = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def _run(index: int):  # noqa: ANN202
    def run(apps, schema_editor):  # noqa: ANN001, ANN202
        for statements in BY_VENDOR.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statements[index], params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("tracker", "0001_initial")]

    operations = [migrations.RunPython(_run(0), _run(1))]
