"""The mapping language: load and validate a YAML mapping, then plan a submission's Ogust values."""

from shared.mapping.form import (
    LAYOUT_TYPES,
    TEXT_TYPES,
    FormDescription,
    FormItem,
    form_description,
    read_form_description,
)
from shared.mapping.formats import canonical_email, normalise_phone
from shared.mapping.identity import canonical_phone, identity_key
from shared.mapping.load import load_mapping, parse_mapping
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.plan import AnswerIndex, Plan, plan, with_list_codes
from shared.mapping.steps import OPERATIONS, Step
from shared.mapping.text import fold, squash, visible

__all__ = [
    "LAYOUT_TYPES",
    "OPERATIONS",
    "TEXT_TYPES",
    "AnswerIndex",
    "AnswerRef",
    "FieldRule",
    "FormDescription",
    "FormItem",
    "FormMapping",
    "MappingFile",
    "Plan",
    "Step",
    "canonical_email",
    "canonical_phone",
    "fold",
    "form_description",
    "identity_key",
    "load_mapping",
    "normalise_phone",
    "parse_mapping",
    "plan",
    "read_form_description",
    "squash",
    "visible",
    "with_list_codes",
]
