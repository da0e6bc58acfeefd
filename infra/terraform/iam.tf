# One identity per job, each with only what that job needs. No project-wide role except where a
# resource-level grant does not exist (the build), and the two ledger grants, which an IAM condition
# narrows to one database.

locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"
}

resource "google_service_account" "receiver" {
  project      = var.project_id
  account_id   = "${var.name}-receiver"
  display_name = "forms-to-ogust receiver (verifies and queues submissions)"

  depends_on = [google_project_service.apis]
}

resource "google_service_account" "worker" {
  project      = var.project_id
  account_id   = "${var.name}-worker"
  display_name = "forms-to-ogust worker (applies submissions to Ogust)"

  depends_on = [google_project_service.apis]
}

resource "google_service_account" "push" {
  project      = var.project_id
  account_id   = "${var.name}-push"
  display_name = "forms-to-ogust Pub/Sub push identity (may only invoke the worker)"

  depends_on = [google_project_service.apis]
}

resource "google_service_account" "reconciler" {
  project      = var.project_id
  account_id   = "${var.name}-recon"
  display_name = "forms-to-ogust reconciler (reads form responses, queues the missed ones)"

  depends_on = [google_project_service.apis]
}

# Cloud Scheduler and the Forms watch push subscription present this identity's OIDC token: both
# have the same single right, invoking the reconciler, so one identity serves both.
resource "google_service_account" "reconcile_trigger" {
  project      = var.project_id
  account_id   = "${var.name}-trigger"
  display_name = "forms-to-ogust reconcile trigger (may only invoke the reconciler)"

  depends_on = [google_project_service.apis]
}

resource "google_service_account" "build" {
  project      = var.project_id
  account_id   = "${var.name}-build"
  display_name = "forms-to-ogust Cloud Build identity (builds the functions' images)"

  depends_on = [google_project_service.apis]
}

# --- receiver: read the webhook secret, publish to the submissions topic --------------------------

resource "google_secret_manager_secret_iam_member" "receiver_reads_webhook_secret" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.webhook.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.receiver.member
}

resource "google_pubsub_topic_iam_member" "receiver_publishes_submissions" {
  project = var.project_id
  topic   = google_pubsub_topic.submissions.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.receiver.member
}

# --- worker: read the Ogust keys, park permanent failures, keep its ledger ------------------------

resource "google_secret_manager_secret_iam_member" "worker_reads_ogust_keys" {
  project   = var.project_id
  secret_id = google_secret_manager_secret.ogust_keys.secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = google_service_account.worker.member
}

resource "google_pubsub_topic_iam_member" "worker_publishes_dead_letters" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.worker.member
}

# Firestore has no database-level IAM resource: the grant is on the project, and the condition
# limits it to the ledger database (Firestore documents per-database access with IAM conditions on
# resource.name == "projects/P/databases/D").
resource "google_project_iam_member" "worker_uses_ledger" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = google_service_account.worker.member

  condition {
    title       = "ledger-database-only"
    description = "Only the forms-to-ogust idempotency ledger database."
    expression  = "resource.name == \"projects/${var.project_id}/databases/${google_firestore_database.ledger.name}\""
  }
}

# --- reconciler: queue what was missed, keep its watermarks in the ledger database ------------------
# No secret and no Ogust: it publishes to the same topic as the receiver, and the worker applies.
# The Forms API needs no IAM role: each form is shared with this account's e-mail (output
# reconciler_service_account).

resource "google_pubsub_topic_iam_member" "reconciler_publishes_submissions" {
  project = var.project_id
  topic   = google_pubsub_topic.submissions.name
  role    = "roles/pubsub.publisher"
  member  = google_service_account.reconciler.member
}

resource "google_project_iam_member" "reconciler_uses_ledger" {
  project = var.project_id
  role    = "roles/datastore.user"
  member  = google_service_account.reconciler.member

  condition {
    title       = "ledger-database-only"
    description = "Only the forms-to-ogust ledger database (watermarks and applied versions)."
    expression  = "resource.name == \"projects/${var.project_id}/databases/${google_firestore_database.ledger.name}\""
  }
}

# --- reconcile trigger: invoke the reconciler, nothing else ----------------------------------------

resource "google_cloud_run_v2_service_iam_member" "trigger_invokes_reconciler" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.reconciler.service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.reconcile_trigger.member
}

# Pub/Sub mints the trigger's OIDC tokens for the watch push (as for the worker's push identity).
# Cloud Scheduler's service agent may already mint tokens for this project's accounts (its
# service-agent role), so it needs no grant here.
resource "google_service_account_iam_member" "pubsub_agent_mints_trigger_tokens" {
  service_account_id = google_service_account.reconcile_trigger.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# --- push: invoke the worker, nothing else ----------------------------------------------------------

resource "google_cloud_run_v2_service_iam_member" "push_invokes_worker" {
  project  = var.project_id
  location = var.region
  name     = google_cloudfunctions2_function.worker.service_config[0].service
  role     = "roles/run.invoker"
  member   = google_service_account.push.member
}

# Pub/Sub mints the push identity's OIDC tokens. Projects created before 8 April 2021 need this grant
# explicitly; it is scoped to the push service account only.
resource "google_service_account_iam_member" "pubsub_agent_mints_push_tokens" {
  service_account_id = google_service_account.push.name
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
}

# --- Pub/Sub service agent: dead-lettering --------------------------------------------------------
# "Pub/Sub counts delivery attempts only when the dead-letter topic is correctly configured and
# includes the correct IAM permissions": publisher on the dead-letter topic, subscriber on the source
# subscription.

resource "google_pubsub_topic_iam_member" "pubsub_agent_publishes_dead_letters" {
  project = var.project_id
  topic   = google_pubsub_topic.dead_letter.name
  role    = "roles/pubsub.publisher"
  member  = local.pubsub_service_agent
}

resource "google_pubsub_subscription_iam_member" "pubsub_agent_acks_push" {
  project      = var.project_id
  subscription = google_pubsub_subscription.push.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# --- build: what Cloud Build needs to turn the zip into an image ----------------------------------
# Google's pages have differed on this account's roles (Logs Writer + Artifact Registry Writer +
# Storage Object Viewer, or Storage Object Admin). Cloud Run's page on the build service account,
# which covers functions, now asks for one role made for the purpose, Cloud Run Builder, on the
# project (https://cloud.google.com/run/docs/configuring/services/build-service-account). It holds
# what a build needs (logs, images, reading the uploaded source) and has no narrower grant: the
# image repository and the gcf-v2-sources bucket are created by Cloud Functions itself.

resource "google_project_iam_member" "build" {
  project = var.project_id
  role    = "roles/run.builder"
  member  = google_service_account.build.member
}
