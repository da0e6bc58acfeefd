# The queue between the receiver and the worker, the dead letters, and the Forms watch notifications.
#
#   receiver ──publish (ordering key)──> submissions ──push (OIDC, retry 10 s → 600 s)──> worker
#   reconciler ──publish (the missed ones)──┘  │ after max_delivery_attempts
#                                              v
#   worker (permanent failure) ──publish──> dead-letter topic ──> dead-letter pull subscription
#                                                                 (7 days; `forms-to-ogust dead-letters list/replay`)
#
#   Google Forms (watch, RESPONSES) ──publish──> forms-watch ──push (OIDC, retry)──> reconciler

locals {
  submissions_topic = var.topic_prefix
  dead_letter_topic = "${var.topic_prefix}-dead-letter"
  forms_watch_topic = "${var.topic_prefix}-forms-watch"

  # The account Google Forms publishes watch notifications as: the watch's topic must let it publish
  # (Forms API, WatchTarget.topic; https://developers.google.com/forms/api/guides/push-notifications);
  # the grant is in iam.tf, with the other publishers.
  forms_notifications = "serviceAccount:forms-notifications@system.gserviceaccount.com"
}

# The queue, its dead letters, and the Forms watch notifications ("form F has new responses": no
# answer data, only a hint to reconcile now rather than at the next tick; only this project may create
# watches on it, the reconciler does). Their messages stay in var.region.
#
# Google-managed encryption keys: the messages are form answers in transit for minutes (or parked
# a few days), and a CMEK would add a KMS key ring and its cost for no gain at this scale.
resource "google_pubsub_topic" "topic" {
  # checkov:skip=CKV_GCP_83:Google-managed encryption is sufficient for short-lived or parked form submissions and for watch notifications (a form ID and an event type); a CMEK adds a KMS key ring for no gain here.
  for_each = {
    submissions = local.submissions_topic
    dead_letter = local.dead_letter_topic
    forms_watch = local.forms_watch_topic
  }

  project = var.project_id
  name    = each.value
  labels  = var.labels

  message_storage_policy {
    allowed_persistence_regions = [var.region]
  }

  depends_on = [google_project_service.apis]
}

resource "google_pubsub_subscription" "push" {
  project = var.project_id
  name    = "${local.submissions_topic}-push"
  topic   = google_pubsub_topic.topic["submissions"].id
  labels  = var.labels

  # Redelivery only after the worker had its whole timeout to answer.
  ack_deadline_seconds       = max(var.worker_timeout_seconds, 10)
  message_retention_duration = "604800s" # 7 days, Pub/Sub's default maximum
  # The receiver publishes with an ordering key (the normalised lookup key): two edits of the same
  # person are applied in order.
  enable_message_ordering = true

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "600s"
  }

  dead_letter_policy {
    dead_letter_topic     = google_pubsub_topic.topic["dead_letter"].id
    max_delivery_attempts = var.max_delivery_attempts
  }

  push_config {
    push_endpoint = google_cloudfunctions2_function.function["worker"].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.identity["push"].email
    }
  }

  expiration_policy {
    ttl = "" # never expires, even if no submission arrives for 31 days
  }
}

# A pull subscription, so that the dead letters are kept (a topic without subscription loses its
# messages) and the CLI can list and replay them.
resource "google_pubsub_subscription" "dead_letter" {
  project = var.project_id
  name    = "${local.dead_letter_topic}-pull"
  topic   = google_pubsub_topic.topic["dead_letter"].id
  labels  = var.labels

  ack_deadline_seconds       = 60
  message_retention_duration = "604800s" # 7 days to notice (the alert fires at once), fix and replay
  retain_acked_messages      = false

  expiration_policy {
    ttl = ""
  }
}

# Pushed to the reconciler, which reads the form's new responses and queues the missed ones.
# No dead-letter policy, on purpose: a notification carries nothing to replay (the responses stay
# in the form and the scheduled run reads them anyway), so a failed one is retried for an hour at
# most and then dropped; the failures alert reports the reconciler's errors.
resource "google_pubsub_subscription" "forms_watch_push" {
  project = var.project_id
  name    = "${local.forms_watch_topic}-push"
  topic   = google_pubsub_topic.topic["forms_watch"].id
  labels  = var.labels

  ack_deadline_seconds       = var.reconciler_timeout_seconds # a run may take its whole timeout
  message_retention_duration = "3600s"                        # stale hints are worthless after the next ticks

  retry_policy {
    minimum_backoff = "10s"
    maximum_backoff = "300s"
  }

  push_config {
    push_endpoint = google_cloudfunctions2_function.function["reconciler"].service_config[0].uri

    oidc_token {
      service_account_email = google_service_account.identity["reconcile_trigger"].email
    }
  }

  expiration_policy {
    ttl = "" # never expires, even if a form gets no response for 31 days
  }
}
