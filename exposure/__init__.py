"""exposure: a personal privacy-exposure auditor."""
