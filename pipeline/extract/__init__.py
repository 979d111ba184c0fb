"""Extractors: one module per field of a plan (dates, phases, tasks, people, rules, metadata)."""
