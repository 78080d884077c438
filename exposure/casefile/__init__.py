"""The case file: an incident log, offline screenshots of captures, and a printable export.

For people under harassment and those helping them (advocates, police, a
court): :mod:`~exposure.casefile.incidents` keeps the incident log as an
append-only audit trail with attachments in the evidence store;
:mod:`exposure.reports.screenshot` renders each capture to a PNG offline;
:mod:`~exposure.casefile.export` writes the timeline as a PDF (Chromium's
print-to-PDF, the one renderer) or a ZIP that ``exposure evidence verify``
checks.
"""
