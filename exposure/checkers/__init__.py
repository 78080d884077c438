"""Checkers: one module per kind of public source (see base.py)."""
