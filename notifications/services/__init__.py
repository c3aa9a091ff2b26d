"""Writes of the notifications app: recording messages, delivering them, the inbox."""
