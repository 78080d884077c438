"""The Textual terminal UI. The core never imports this package (or Textual)."""
