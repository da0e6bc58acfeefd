"""Helpers shared by several test folders (imported explicitly), the fixture plugins tests/conftest.py
loads for every folder (ogust_fixtures, forms_fixtures, emulators), and the folders' own rules
(folders.py). A folder's other fixtures stay in its `conftest.py`."""
