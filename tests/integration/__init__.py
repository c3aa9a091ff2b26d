"""End-to-end tests of reminders and delivery with real parts: PostgreSQL, a Redis broker,
`celery worker` and `celery beat` processes, SMTP and SMS servers on loopback."""
