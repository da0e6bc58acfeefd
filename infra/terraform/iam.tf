# One identity per job, each with only what that job needs. No project-wide role except where a
# resource-level grant does not exist (the build), and the two ledger grants, which an IAM condition
# narrows to one database.
#
# The grants of one kind are one resource each, keyed by what they allow ("worker_reads_ogust_keys"):
# the table says who may do what, the resource how it is granted.

locals {
  pubsub_service_agent = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # job => (the end of its account id, at most 8 characters so that it fits 30 with the longest
  # var.name; what it does, in its display name)
  identities = {
    receiver   = { id = "receiver", does = "receiver (verifies and queues submissions)" }
    worker     = { id = "worker", does = "worker (applies submissions to Ogust)" }
    push       = { id = "push", does = "Pub/Sub push identity (may only invoke the worker)" }
    reconciler = { id = "recon", does = "reconciler (reads form responses, queues the missed ones)" }
    # Cloud Scheduler and the Forms watch push subscription present this identity's OIDC token: both
    # have the same single right, invoking the reconciler, so one identity serves both.
    reconcile_trigger = { id = "trigger", does = "reconcile trigger (may only invoke the reconciler)" }
    build             = { id = "build", does = "Cloud Build identity (builds the functions' images)" }
  }
}

resource "google_service_account" "identity" {
  for_each = local.identities

  project      = var.project_id
  account_id   = "${var.name}-${each.value.id}"
  display_name = "forms-to-ogust ${each.value.does}"

  depends_on = [google_project_service.apis]
}

# --- secrets: each runtime identity reads its own ----------------------------------------------------

resource "google_secret_manager_secret_iam_member" "grant" {
  for_each = {
    receiver_reads_webhook_secret = {
      secret = google_secret_manager_secret.webhook.secret_id
      member = google_service_account.identity["receiver"].member
    }
    worker_reads_ogust_keys = {
      secret = google_secret_manager_secret.ogust_keys.secret_id
      member = google_service_account.identity["worker"].member
    }
  }

  project   = var.project_id
  secret_id = each.value.secret
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value.member
}

# --- topics: who publishes where ----------------------------------------------------------------------
# The receiver and the reconciler queue submissions; the worker parks permanent failures. Pub/Sub's
# service agent dead-letters too: "Pub/Sub counts delivery attempts only when the dead-letter topic is
# correctly configured and includes the correct IAM permissions" (publisher here, subscriber on the
# source subscription below). Google Forms publishes watch notifications (pubsub.tf).

resource "google_pubsub_topic_iam_member" "grant" {
  for_each = {
    receiver_publishes_submissions = {
      topic  = google_pubsub_topic.topic["submissions"].name
      member = google_service_account.identity["receiver"].member
    }
    # The reconciler has no secret and no Ogust: it publishes to the receiver's topic, the worker applies.
    reconciler_publishes_submissions = {
      topic  = google_pubsub_topic.topic["submissions"].name
      member = google_service_account.identity["reconciler"].member
    }
    worker_publishes_dead_letters = {
      topic  = google_pubsub_topic.topic["dead_letter"].name
      member = google_service_account.identity["worker"].member
    }
    pubsub_agent_publishes_dead_letters = {
      topic  = google_pubsub_topic.topic["dead_letter"].name
      member = local.pubsub_service_agent
    }
    forms_publishes_watch_notifications = {
      topic  = google_pubsub_topic.topic["forms_watch"].name
      member = local.forms_notifications
    }
  }

  project = var.project_id
  topic   = each.value.topic
  role    = "roles/pubsub.publisher"
  member  = each.value.member
}

resource "google_pubsub_subscription_iam_member" "pubsub_agent_acks_push" {
  project      = var.project_id
  subscription = google_pubsub_subscription.push.name
  role         = "roles/pubsub.subscriber"
  member       = local.pubsub_service_agent
}

# --- the ledger database: the worker's ledger, the reconciler's watermarks ----------------------------
# Firestore has no database-level IAM resource: the grant is on the project, and the condition
# limits it to the ledger database (Firestore documents per-database access with IAM conditions on
# resource.name == "projects/P/databases/D"). The Forms API needs no IAM role: each form is shared
# with the reconciler's e-mail (output reconciler_service_account).

resource "google_project_iam_member" "grant" {
  for_each = {
    worker_uses_ledger = {
      member = google_service_account.identity["worker"].member
      about  = "Only the forms-to-ogust idempotency ledger database."
    }
    reconciler_uses_ledger = {
      member = google_service_account.identity["reconciler"].member
      about  = "Only the forms-to-ogust ledger database (watermarks and applied versions)."
    }
  }

  project = var.project_id
  role    = "roles/datastore.user"
  member  = each.value.member

  condition {
    title       = "ledger-database-only"
    description = each.value.about
    expression  = "resource.name == \"projects/${var.project_id}/databases/${google_firestore_database.ledger.name}\""
  }
}

# --- the private functions: the push identity invokes the worker, the trigger the reconciler ----------

resource "google_cloud_run_v2_service_iam_member" "grant" {
  for_each = {
    push_invokes_worker = {
      service = google_cloudfunctions2_function.function["worker"].service_config[0].service
      member  = google_service_account.identity["push"].member
    }
    trigger_invokes_reconciler = {
      service = google_cloudfunctions2_function.function["reconciler"].service_config[0].service
      member  = google_service_account.identity["reconcile_trigger"].member
    }
  }

  project  = var.project_id
  location = var.region
  name     = each.value.service
  role     = "roles/run.invoker"
  member   = each.value.member
}

# Pub/Sub mints the OIDC tokens of both push identities (the worker's and the reconcile trigger's,
# for the watch push). Projects created before 8 April 2021 need this grant explicitly; it is scoped
# to these two service accounts only. Cloud Scheduler's service agent may already mint tokens for
# this project's accounts (its service-agent role), so it needs no grant here.
resource "google_service_account_iam_member" "grant" {
  for_each = {
    pubsub_agent_mints_push_tokens    = google_service_account.identity["push"].name
    pubsub_agent_mints_trigger_tokens = google_service_account.identity["reconcile_trigger"].name
  }

  service_account_id = each.value
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.pubsub_service_agent
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
  member  = google_service_account.identity["build"].member
}
