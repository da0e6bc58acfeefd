"""The mapping language: load and validate a YAML mapping, then plan a submission's Ogust values.

The surface, by who needs it: the mapping and its plan (`MappingFile`, `FormMapping`, `FieldRule`,
`plan`, `Plan`, and `AnswerIndex`/`field_value` for one field's value); who a person is
(`identity_key`, `search_spellings`, and `hashed_key`/`person_scope` for the stores' keys; `fold`
for any two texts taken for the same); a form's questions (`FormDescription`, `FormItem`,
`AnswerRef`); loading (`load_mapping`, `load_checked_mapping`, `build_checked`); checking
(`validate` → `Report` of `Finding`s); drafting (`draft_mapping`). Everything else is internal:
tests import it from its module.
"""

from typing import TYPE_CHECKING, Any

from shared.mapping.checked import build_checked, load_checked_mapping
from shared.mapping.form import FormDescription, FormItem
from shared.mapping.identity import hashed_key, identity_key, person_scope, search_spellings
from shared.mapping.model import AnswerRef, FieldRule, FormMapping, MappingFile
from shared.mapping.plan import AnswerIndex, Plan, field_value, plan
from shared.mapping.text import fold

if TYPE_CHECKING:
    from shared.mapping.check import Finding, Report, validate
    from shared.mapping.draft import draft_mapping
    from shared.mapping.load import load_mapping

_CHECK = frozenset({"Finding", "Report", "validate"})
_DRAFT = frozenset({"draft_mapping"})
_LOAD = frozenset({"load_mapping"})


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
    "AnswerIndex",
    "AnswerRef",
    "FieldRule",
    "Finding",
    "FormDescription",
    "FormItem",
    "FormMapping",
    "MappingFile",
    "Plan",
    "Report",
    "build_checked",
    "draft_mapping",
    "field_value",
    "fold",
    "hashed_key",
    "identity_key",
    "load_checked_mapping",
    "load_mapping",
    "person_scope",
    "plan",
    "search_spellings",
    "validate",
]
