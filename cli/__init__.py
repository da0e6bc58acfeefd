"""The `forms-to-ogust` command-line tool (development and operations; never deployed)."""
