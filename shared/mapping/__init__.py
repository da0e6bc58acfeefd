"""The mapping language: load and validate a YAML mapping, then plan a submission's Ogust values."""

from typing import TYPE_CHECKING, Any

from shared.mapping.checked import build_checked, load_checked_mapping
from shared.mapping.form import (
    LAYOUT_TYPES,
    TEXT_TYPES,
    FormDescription,
    FormItem,
    form_description,
    read_form_description,
)
from shared.mapping.formats import canonical_email, normalise_phone
from shared.mapping.identity import canonical_phone, hashed_key, identity_key, person_scope
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.plan import AnswerIndex, Plan, field_value, plan, with_list_codes
from shared.mapping.steps import OPERATIONS, Step
from shared.mapping.text import fold, squash, visible

if TYPE_CHECKING:
    from shared.mapping.check import Finding, Report, check_against_form, missing_questions, validate
    from shared.mapping.draft import TO_CHECK, Draft, draft_mapping
    from shared.mapping.load import load_mapping, parse_mapping

_CHECK = frozenset({"Finding", "Report", "check_against_form", "missing_questions", "validate"})
_DRAFT = frozenset({"TO_CHECK", "Draft", "draft_mapping"})
_LOAD = frozenset({"load_mapping", "parse_mapping"})


def __getattr__(name: str) -> Any:
    """Checking a mapping against its form is for `validate`, `preview` and the backfill: the
    deployed functions, which only load a mapping, do not import it at start."""
    if name in _CHECK:
        from shared.mapping import check

        return getattr(check, name)
    if name in _LOAD:  # an instance started from the mapping's checked form reads no YAML
        from shared.mapping import load

        return getattr(load, name)
    if name in _DRAFT:  # only `forms-to-ogust init` drafts a mapping
        from shared.mapping import draft

        return getattr(draft, name)
    raise AttributeError(f"module 'shared.mapping' has no attribute {name!r}")


__all__ = [
    "LAYOUT_TYPES",
    "OPERATIONS",
    "TEXT_TYPES",
    "TO_CHECK",
    "AnswerIndex",
    "AnswerRef",
    "Draft",
    "FieldRule",
    "Finding",
    "FormDescription",
    "FormItem",
    "FormMapping",
    "MappingFile",
    "Plan",
    "Report",
    "Step",
    "build_checked",
    "canonical_email",
    "canonical_phone",
    "check_against_form",
    "draft_mapping",
    "field_value",
    "fold",
    "form_description",
    "hashed_key",
    "identity_key",
    "load_checked_mapping",
    "load_mapping",
    "missing_questions",
    "normalise_phone",
    "parse_mapping",
    "person_scope",
    "plan",
    "read_form_description",
    "squash",
    "validate",
    "visible",
    "with_list_codes",
]
