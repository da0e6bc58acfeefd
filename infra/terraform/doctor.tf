# The doctor where the function runs: `forms-to-ogust doctor --cloud "$(terraform output -raw doctor_url)"`
# runs the doctor's read-only probes of Ogust inside this deployment (Google's network, the Ogust keys
# from Secret Manager, the worker's Ogust settings and the deployed mapping) and prints the report.
# Anything that depends on where calls come from (an allow-list, a proxy) shows here, not on a laptop.
#
# Least privilege: its own identity, which may only read the Ogust key secret (no topic, no ledger);
# no one may invoke it but the principals listed in var.doctor_invokers (none by default). It never
# writes to Ogust (`shared/http/doctor.py`) and scales to zero: it costs nothing between runs.

locals {
  doctor_env = {
    OGUST_API_URL        = var.ogust_api_url
    MAPPING_FILE         = "mapping.yaml"
    GOOGLE_CLOUD_PROJECT = var.project_id
    OGUST_KEYS_SECRET    = google_secret_manager_secret.ogust_keys.secret_id
    # The worker's settings: the report says whether they suit the account.
    OGUST_BODY_ENCODING       = var.ogust_body_encoding
    OGUST_TOKEN_TIMEZONE      = var.ogust_token_timezone
    OGUST_PAGE_SIZE           = var.ogust_page_size
    OGUST_TOKEN_ERROR_PATTERN = var.ogust_token_error_pattern
    OGUST_SEARCH_STATUS       = var.ogust_search_status
    OGUST_IGNORED_FILTERS     = var.ogust_ignored_filters
    OGUST_ACCEPT_FULL_SCAN    = var.ogust_accept_full_scan
    OGUST_TEXT_ESCAPING       = var.ogust_text_escaping
  }
}

resource "google_service_account" "doctor" {
  project      = var.project_id
  account_id   = "${var.name}-doctor"
  display_name = "forms-to-ogust doctor (reads the Ogust keys, probes Ogust read-only)"

  depends_on = [google_project_service.apis]
}

resource "google_secret_manager_secret_iam_member" "doctor_reads_ogust_keys" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.ogust_keys.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.doctor.member
}

resource "google_cloudfunctions2_function" "doctor" {
  # checkov:skip=CKV_GCP_124:Called from an operator's computer by `forms-to-ogust doctor --cloud`; Cloud Run's IAM check admits only var.doctor_invokers (roles/run.invoker, never allUsers).
  project     = var.project_id
  location    = var.region
  name        = "${var.name}-doctor"
  description = "The doctor's read-only probes of Ogust, from the deployment's own network and keys."
  labels      = var.labels

  build_config {
    runtime         = "python312"
    entry_point     = "probe_ogust"
    service_account = google_service_account.identity["build"].id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.artifact.name
      }
    }
  }

  service_config {
    available_memory                 = "256M"
    timeout_seconds                  = 300 # a slow Ogust answering each probe late
    min_instance_count               = 0
    max_instance_count               = 1
    max_instance_request_concurrency = 1
    ingress_settings                 = "ALLOW_ALL"
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.doctor.email
    environment_variables            = local.doctor_env
  }

  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build,
    google_secret_manager_secret_iam_member.doctor_reads_ogust_keys,
  ]
}

resource "google_cloud_run_v2_service_iam_member" "doctor_invoker" {
  for_each = toset(var.doctor_invokers)

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.doctor.service_config[0].service
  role     = "roles/run.invoker"
  member   = each.value
}

output "doctor_url" {
  description = "The URL of the deployed doctor: `forms-to-ogust doctor --cloud <this URL>` (docs/first-run.md)."
  value       = google_cloudfunctions2_function.doctor.service_config[0].uri
}
