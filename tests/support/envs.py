"""The environments the settings tests start from: a local run, keys in the environment, a cloud
one, naming its secrets, and the worker's in the cloud."""

from __future__ import annotations

LOCAL = {
    "OGUST_API_URL": "http://127.0.0.1:8765/api/v2/apiogust.php",
    "OGUST_PUBLIC_KEY": "01234567890123456789",
    "OGUST_PRIVATE_KEY": "0123456789ABCDEF",
    "WEBHOOK_SECRET": "whsec_abc",
    "MAPPING_FILE": "examples/satisfaction.yaml",
}

CLOUD = {
    "OGUST_API_URL": "https://api.ogust.com/api/v2/apiogust.php",
    "MAPPING_FILE": "mapping.yaml",
    "GOOGLE_CLOUD_PROJECT": "agence-demo",
    "OGUST_KEYS_SECRET": "ogust-keys",
    "WEBHOOK_SECRET_NAME": "webhook-secret",
}

WORKER = {
    "OGUST_API_URL": "https://api.ogust.com/api/v2/apiogust.php",
    "MAPPING_FILE": "mapping.yaml",
    "GOOGLE_CLOUD_PROJECT": "agence-demo",
    "OGUST_KEYS_SECRET": "ogust-keys",
    "DEAD_LETTER_TOPIC": "form-submissions-dead-letters",
    "LEDGER": "firestore",
    "FIRESTORE_DATABASE": "(default)",
    "LEASE_SECONDS": "240",
    "MAX_DELIVERY_ATTEMPTS": "10",
}
