"""`forms-to-ogust doctor`: probe a real Ogust account before its first real answer (CLI only).

The probes live here, not in shared/, because only the command-line tool runs them: the deploy
artifact ships shared/ whole and never needs them. Reference: docs/ogust-api.md §9.
"""
