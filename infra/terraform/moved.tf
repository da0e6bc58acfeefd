# Where resources that were declared one by one now stand: each became a key of one resource with
# for_each (iam.tf, functions.tf, pubsub.tf, monitoring.tf). These blocks let a deployment made before
# keep them, state moved, instead of destroying and re-creating them (a topic's queued submissions, a
# function's URL, an identity's grants). They change nothing on a new deployment; remove them once
# every deployment has applied them.

moved {
  from = google_service_account.receiver
  to   = google_service_account.identity["receiver"]
}

moved {
  from = google_service_account.worker
  to   = google_service_account.identity["worker"]
}

moved {
  from = google_service_account.push
  to   = google_service_account.identity["push"]
}

moved {
  from = google_service_account.reconciler
  to   = google_service_account.identity["reconciler"]
}

moved {
  from = google_service_account.reconcile_trigger
  to   = google_service_account.identity["reconcile_trigger"]
}

moved {
  from = google_service_account.build
  to   = google_service_account.identity["build"]
}

moved {
  from = google_cloudfunctions2_function.receiver
  to   = google_cloudfunctions2_function.function["receiver"]
}

moved {
  from = google_cloudfunctions2_function.worker
  to   = google_cloudfunctions2_function.function["worker"]
}

moved {
  from = google_cloudfunctions2_function.reconciler
  to   = google_cloudfunctions2_function.function["reconciler"]
}

moved {
  from = google_pubsub_topic.submissions
  to   = google_pubsub_topic.topic["submissions"]
}

moved {
  from = google_pubsub_topic.dead_letter
  to   = google_pubsub_topic.topic["dead_letter"]
}

moved {
  from = google_pubsub_topic.forms_watch
  to   = google_pubsub_topic.topic["forms_watch"]
}

moved {
  from = google_logging_metric.failed_submissions
  to   = google_logging_metric.counter["failed_submissions"]
}

moved {
  from = google_logging_metric.processed_submissions
  to   = google_logging_metric.counter["processed_submissions"]
}

moved {
  from = google_logging_metric.failed_reconciliations
  to   = google_logging_metric.counter["failed_reconciliations"]
}

moved {
  from = google_secret_manager_secret_iam_member.receiver_reads_webhook_secret
  to   = google_secret_manager_secret_iam_member.grant["receiver_reads_webhook_secret"]
}

moved {
  from = google_secret_manager_secret_iam_member.worker_reads_ogust_keys
  to   = google_secret_manager_secret_iam_member.grant["worker_reads_ogust_keys"]
}

moved {
  from = google_pubsub_topic_iam_member.receiver_publishes_submissions
  to   = google_pubsub_topic_iam_member.grant["receiver_publishes_submissions"]
}

moved {
  from = google_pubsub_topic_iam_member.reconciler_publishes_submissions
  to   = google_pubsub_topic_iam_member.grant["reconciler_publishes_submissions"]
}

moved {
  from = google_pubsub_topic_iam_member.worker_publishes_dead_letters
  to   = google_pubsub_topic_iam_member.grant["worker_publishes_dead_letters"]
}

moved {
  from = google_pubsub_topic_iam_member.pubsub_agent_publishes_dead_letters
  to   = google_pubsub_topic_iam_member.grant["pubsub_agent_publishes_dead_letters"]
}

moved {
  from = google_pubsub_topic_iam_member.forms_publishes_watch_notifications
  to   = google_pubsub_topic_iam_member.grant["forms_publishes_watch_notifications"]
}

moved {
  from = google_project_iam_member.worker_uses_ledger
  to   = google_project_iam_member.grant["worker_uses_ledger"]
}

moved {
  from = google_project_iam_member.reconciler_uses_ledger
  to   = google_project_iam_member.grant["reconciler_uses_ledger"]
}

moved {
  from = google_cloud_run_v2_service_iam_member.push_invokes_worker
  to   = google_cloud_run_v2_service_iam_member.grant["push_invokes_worker"]
}

moved {
  from = google_cloud_run_v2_service_iam_member.trigger_invokes_reconciler
  to   = google_cloud_run_v2_service_iam_member.grant["trigger_invokes_reconciler"]
}

moved {
  from = google_service_account_iam_member.pubsub_agent_mints_push_tokens
  to   = google_service_account_iam_member.grant["pubsub_agent_mints_push_tokens"]
}

moved {
  from = google_service_account_iam_member.pubsub_agent_mints_trigger_tokens
  to   = google_service_account_iam_member.grant["pubsub_agent_mints_trigger_tokens"]
}
