"""A local fake of the Ogust API v2 for development and tests (never deployed)."""

from ogust_sandbox.handle import Sandbox, SandboxKeys
from ogust_sandbox.modes import Modes
from ogust_sandbox.service import DEFAULT_PRIVATE_KEY, DEFAULT_PUBLIC_KEY

__all__ = ["DEFAULT_PRIVATE_KEY", "DEFAULT_PUBLIC_KEY", "Modes", "Sandbox", "SandboxKeys"]
