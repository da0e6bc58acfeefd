"""The mapping language: load and validate a YAML mapping, then plan a submission's Ogust values."""

from shared.mapping.load import load_mapping, parse_mapping
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.plan import Plan, lookup_key, plan
from shared.mapping.steps import OPERATIONS, Step, normalise_phone

__all__ = [
    "OPERATIONS",
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
]
