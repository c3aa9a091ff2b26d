"""Notification channels, inbox and preferences arrive with the reminders work (issue 4)."""
