# The source bucket, the deploy artifact and the three functions. One artifact (main.py,
# requirements.txt, shared/, mapping.yaml: scripts/build_artifact.py) serves every entry point.

locals {
  # The artifact's content hash names the object: a code or mapping change is a new object, hence a
  # new build and revision; the same content is the same object, hence no redeploy.
  artifact_sha256 = filesha256(var.artifact_path)
  firestore_db    = google_firestore_database.ledger.name

  receiver_env = {
    DELIVERY_MODE        = "queue"
    MAPPING_FILE         = "mapping.yaml"
    GOOGLE_CLOUD_PROJECT = var.project_id
    WEBHOOK_SECRET_NAME  = google_secret_manager_secret.webhook.secret_id
    SUBMISSIONS_TOPIC    = google_pubsub_topic.topic["submissions"].name
  }

  worker_env = {
    OGUST_API_URL        = var.ogust_api_url
    MAPPING_FILE         = "mapping.yaml"
    GOOGLE_CLOUD_PROJECT = var.project_id
    OGUST_KEYS_SECRET    = google_secret_manager_secret.ogust_keys.secret_id
    DEAD_LETTER_TOPIC    = google_pubsub_topic.topic["dead_letter"].name
    LEDGER               = "firestore"
    FIRESTORE_DATABASE   = local.firestore_db
    # A per-person lease must outlive the longest delivery (the worker checks it against the
    # mapping at start) and the worker run that holds it: its timeout plus a minute.
    LEASE_SECONDS = tostring(max(var.lease_seconds, var.worker_timeout_seconds + 60))
    # The push subscription's last delivery: a submission still failing then is parked by the
    # worker with its reason (the agency is told), not dead-lettered unannounced by Pub/Sub.
    MAX_DELIVERY_ATTEMPTS = tostring(var.max_delivery_attempts)
    # What the Ogust account expects (`forms-to-ogust doctor` prints the values); empty = the default.
    OGUST_BODY_ENCODING       = var.ogust_body_encoding
    OGUST_TOKEN_TIMEZONE      = var.ogust_token_timezone
    OGUST_PAGE_SIZE           = var.ogust_page_size
    OGUST_TOKEN_ERROR_PATTERN = var.ogust_token_error_pattern
    OGUST_SEARCH_STATUS       = var.ogust_search_status
    OGUST_IGNORED_FILTERS     = var.ogust_ignored_filters
    OGUST_ACCEPT_FULL_SCAN    = var.ogust_accept_full_scan
    OGUST_TEXT_ESCAPING       = var.ogust_text_escaping
  }

  # The reconciler never calls Ogust and never sees a secret: it queues what the receiver missed.
  reconciler_env = {
    MAPPING_FILE         = "mapping.yaml"
    GOOGLE_CLOUD_PROJECT = var.project_id
    SUBMISSIONS_TOPIC    = google_pubsub_topic.topic["submissions"].name
    LEDGER               = "firestore"
    FIRESTORE_DATABASE   = local.firestore_db
    FORMS_WATCH_TOPIC    = google_pubsub_topic.topic["forms_watch"].id # projects/P/topics/T, as watches.create wants it
  }
}

resource "google_storage_bucket" "source" {
  # checkov:skip=CKV_GCP_62:Holds only deploy artifacts (code and mapping, no personal data); Cloud Audit Logs record who changed them.
  project  = var.project_id
  name     = "${var.project_id}-${var.name}-source"
  location = var.region
  labels   = var.labels

  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  versioning {
    enabled = true
  }

  # Artifacts are named by their hash and never overwritten; keep a few replaced versions anyway.
  lifecycle_rule {
    condition {
      num_newer_versions = 5
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  depends_on = [google_project_service.apis]
}

resource "google_storage_bucket_object" "artifact" {
  name   = "${var.name}/function-${local.artifact_sha256}.zip"
  bucket = google_storage_bucket.source.name
  source = var.artifact_path
}

# The three functions differ only in what this table says; everything else is one resource below.
locals {
  functions = {
    receiver = {
      entry_point = "receive_submission"
      description = "Verifies signed Google Forms submissions and queues them for the worker."
      timeout     = 30 # the Apps Script sender gives up after about 30 s
      max         = var.receiver_max_instances
      # Public: Apps Script calls from Google's shared IP ranges and cannot present a Google identity
      # the function would accept. The function authenticates every request itself (Standard
      # Webhooks HMAC signature, 5-minute tolerance) before reading it.
      ingress  = "ALLOW_ALL"
      identity = google_service_account.identity["receiver"].email
      env      = local.receiver_env
    }
    worker = {
      entry_point = "process_submission"
      description = "Applies queued submissions to Ogust (Pub/Sub push, retried, dead-lettered)."
      timeout     = var.worker_timeout_seconds
      # At most worker_max_instances submissions reach Ogust at once: the cap protects Ogust's limits;
      # Pub/Sub keeps the rest and retries with backoff.
      max = var.worker_max_instances
      # Private: only Google-internal traffic from this project (Pub/Sub push is internal), and only
      # the push identity holds run.invoker (iam.tf).
      ingress  = "ALLOW_INTERNAL_ONLY"
      identity = google_service_account.identity["worker"].email
      env      = local.worker_env
    }
    reconciler = {
      entry_point = "reconcile_forms"
      description = "Reads form responses through the Forms API and queues those not applied (scheduled, and on Forms watch notifications)."
      timeout     = var.reconciler_timeout_seconds
      # One run at a time: a scheduled run and a watch notification never move the same watermark
      # together. A request arriving meanwhile gets 429; Pub/Sub retries it, the next tick covers it.
      max = 1
      # Private: Cloud Scheduler and Pub/Sub push in this project are internal traffic, and only the
      # trigger identity holds run.invoker (iam.tf).
      ingress  = "ALLOW_INTERNAL_ONLY"
      identity = google_service_account.identity["reconciler"].email
      env      = local.reconciler_env
    }
  }
}

resource "google_cloudfunctions2_function" "function" {
  # checkov:skip=CKV_GCP_124:The receiver is the public webhook of the Apps Script (Google's shared IP ranges, no accepted Google identity); each request is authenticated by its HMAC signature. The worker and the reconciler are ALLOW_INTERNAL_ONLY.
  for_each = local.functions

  project     = var.project_id
  location    = var.region
  name        = "${var.name}-${each.key}"
  description = each.value.description
  labels      = var.labels

  build_config {
    runtime         = "python312"
    entry_point     = each.value.entry_point
    service_account = google_service_account.identity["build"].id

    source {
      storage_source {
        bucket = google_storage_bucket.source.name
        object = google_storage_bucket_object.artifact.name
      }
    }
  }

  service_config {
    # One process with the Pub/Sub, Firestore and Secret Manager clients loaded peaks at about 86 MiB
    # (measured locally; the receiver's figures are in docs/performance.md): 256M leaves headroom.
    available_memory                 = "256M"
    timeout_seconds                  = each.value.timeout
    min_instance_count               = 0
    max_instance_count               = each.value.max
    max_instance_request_concurrency = 1
    ingress_settings                 = each.value.ingress
    all_traffic_on_latest_revision   = true
    service_account_email            = each.value.identity
    environment_variables            = each.value.env
  }

  # What each function needs at its first request: its secret, its topic, its database (all three
  # wait for all of these, which only orders the first apply).
  depends_on = [
    google_project_service.apis,
    google_project_iam_member.build,
    google_project_iam_member.grant,
    google_secret_manager_secret_iam_member.grant,
    google_pubsub_topic_iam_member.grant,
  ]
}

# Anyone may reach the receiver; its own signature check is the authentication. Where an organisation
# policy (Domain Restricted Sharing) refuses allUsers, receiver_public_access = "no-invoker-iam-check"
# drops this grant and `make deploy` disables Cloud Run's invoker check on the receiver instead
# (https://cloud.google.com/run/docs/authenticating/public).
resource "google_cloud_run_v2_service_iam_member" "receiver_public" {
  # checkov:skip=CKV_GCP_102:The receiver is a webhook for Apps Script, which cannot present an accepted Google identity; every request is authenticated by its HMAC signature before anything is read.
  count = var.receiver_public_access == "allUsers" ? 1 : 0

  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.function["receiver"].service_config[0].service
  role     = "roles/run.invoker"
  member   = "allUsers"
}
