"""Helpers shared by several test folders (imported explicitly), the fixture plugins tests/conftest.py
loads for every folder (ogust_fixtures, forms_fixtures, emulators), and the folders' own rules
(folders.py). A folder's own fixtures stay in its `conftest.py` (one another folder imports is
here); nothing imports from a conftest (tests/repository/test_test_folders.py)."""
