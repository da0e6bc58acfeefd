"""The mapping language: load and validate a YAML mapping, then plan a submission's Ogust values."""

from shared.mapping.formats import normalise_phone
from shared.mapping.load import load_mapping, parse_mapping
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.plan import AnswerIndex, Plan, lookup_key, plan, with_list_codes
from shared.mapping.steps import OPERATIONS, Step

__all__ = [
    "OPERATIONS",
    "AnswerIndex",
    "AnswerRef",
    "FieldRule",
    "FormMapping",
    "MappingFile",
    "Plan",
    "Step",
    "load_mapping",
    "lookup_key",
    "normalise_phone",
    "parse_mapping",
    "plan",
    "with_list_codes",
]
