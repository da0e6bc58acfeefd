"""Helpers shared by several test folders (imported explicitly; fixtures stay in `conftest.py`)."""
