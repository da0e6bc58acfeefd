# The two secrets. Terraform creates the containers; no secret value is ever in a .tf file or in the
# state:
# - the Ogust key pair is added by a person with `gcloud secrets versions add` (output
#   `set_secret_commands` prints the exact command);
# - the webhook secret is either generated here through the write-only argument `secret_data_wo`
#   (the value goes to Secret Manager and is not stored in the state or the plan), or added with
#   gcloud like the keys when generate_webhook_secret = false.
# Replicas stay in var.region: the data never leaves the chosen region.

resource "google_secret_manager_secret" "ogust_keys" {
  project   = var.project_id
  secret_id = var.ogust_keys_secret_id
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret" "webhook" {
  project   = var.project_id
  secret_id = var.webhook_secret_id
  labels    = var.labels

  replication {
    user_managed {
      replicas {
        location = var.region
      }
    }
  }

  depends_on = [google_project_service.apis]
}

# Ephemeral: generated during the apply, never written to the state or the plan.
ephemeral "random_password" "webhook" {
  count = var.generate_webhook_secret ? 1 : 0

  length  = 43
  special = false
}

resource "google_secret_manager_secret_version" "webhook_generated" {
  count = var.generate_webhook_secret ? 1 : 0

  secret = google_secret_manager_secret.webhook.id
  # The verifier's format: "whsec_" + base64 of the key bytes (here, 43 random alphanumerics: ~256 bits).
  secret_data_wo = "whsec_${base64encode(ephemeral.random_password.webhook[0].result)}"
  # Write-only values are sent only when this number changes. Do not bump it to rotate: rotation
  # keeps the old secret valid while the Apps Script changes (docs/deployment.md, "Rotating").
  secret_data_wo_version = 1

  # Later versions are added with gcloud during a rotation; this first one must not be destroyed
  # by Terraform while the Apps Script may still use it.
  deletion_policy = "ABANDON"
}
