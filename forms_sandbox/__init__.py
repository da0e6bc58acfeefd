"""A local fake of the Google Forms API v1 for development and tests (never deployed)."""

from forms_sandbox.handle import FormsSandbox, form_from_apps_script_export, question_id_for
from forms_sandbox.store import MAX_PAGE_SIZE, WATCH_LIFETIME

__all__ = [
    "MAX_PAGE_SIZE",
    "WATCH_LIFETIME",
    "FormsSandbox",
    "form_from_apps_script_export",
    "question_id_for",
]
