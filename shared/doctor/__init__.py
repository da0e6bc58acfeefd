"""`forms-to-ogust doctor`: probe a real Ogust account before its first real answer.

The probes run from the command line (`cli/doctor_command.py`) and, so that they also run from the
function's own network with its own keys, from the deployed `probe_ogust` entry point
(`shared/http/doctor.py`, `forms-to-ogust doctor --cloud`). Nothing here is imported by the other
entry points: they never pay for it. What each probe relies on: docs/ogust-api.md.
"""

from shared.doctor.report import TERRAFORM_VARIABLES
from shared.doctor.run import diagnose

__all__ = ["TERRAFORM_VARIABLES", "diagnose"]
