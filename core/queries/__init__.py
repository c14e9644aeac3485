"""Read-side units of work: functions ``fn(session, ...) -> DTO`` run on the DB thread."""
