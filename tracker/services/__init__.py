"""Writes. Every change to the database goes through a function here (HackSoft style)."""
