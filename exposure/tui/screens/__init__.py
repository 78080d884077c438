"""The TUI's screens: dashboard, profile editor, scan, findings, checklist, export, help."""
