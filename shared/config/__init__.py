"""Settings (environment) and secrets (environment or Secret Manager)."""

from shared.config.clients import ogust_client, tool_ogust_client
from shared.config.ogust_options import OgustOptions
from shared.config.secrets import Secrets
from shared.config.settings import Role, Settings

__all__ = [
    "OgustOptions",
    "Role",
    "Secrets",
    "Settings",
    "ogust_client",
    "tool_ogust_client",
]
