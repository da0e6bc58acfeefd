# Alerts by e-mail, two audiences:
# - the agency (var.agency_email), in French: one e-mail per answer Ogust did not receive, from the
#   functions' "agency.refused" log line (below, "refused_answer");
# - the operator (var.alert_emails), in English: dead letters waiting, submissions or reconciliation
#   that keep failing, nothing processed for var.idle_alert_days days.
#
# The functions write one JSON log line per submission: severity, message, and in jsonPayload
# `status` (created|updated|unchanged|skipped|rejected|failed|dead-lettered) and `responseId`. A
# failed reconciliation run logs `status` = "failed" and a message starting "reconciliation failed".
# A refused answer also gets one line with `event` = "agency.refused" and, for the agency's e-mail,
# `form` (the form's title), `submittedAt` (Paris time), `reason` (French, personal data masked) and
# `link` (its row in the "Suivi Ogust" tab): no name, no answer; the link leads to the person.

locals {
  function_logs = join(" ", [
    "resource.type=\"cloud_run_revision\"",
    "AND resource.labels.service_name=(\"${google_cloudfunctions2_function.function["receiver"].name}\" OR \"${google_cloudfunctions2_function.function["worker"].name}\")",
  ])
  # The agency's notice: whichever function applied the answer (the worker, or the receiver in sync
  # mode; the reconciler after a resend from the tab) writes the one "agency.refused" line.
  refused_answer_logs = join(" ", [
    "resource.type=\"cloud_run_revision\"",
    "AND resource.labels.service_name=(\"${google_cloudfunctions2_function.function["receiver"].name}\" OR \"${google_cloudfunctions2_function.function["worker"].name}\" OR \"${google_cloudfunctions2_function.function["reconciler"].name}\")",
    "AND jsonPayload.event=\"agency.refused\"",
  ])
}

resource "google_monitoring_notification_channel" "email" {
  for_each = toset(var.alert_emails)

  project      = var.project_id
  display_name = "forms-to-ogust alerts: ${each.value}"
  type         = "email"
  labels = {
    email_address = each.value
  }

  depends_on = [google_project_service.apis]
}

# --- the agency: one e-mail in French per refused answer ------------------------------------------

resource "google_monitoring_notification_channel" "agency" {
  project      = var.project_id
  display_name = "Agence : réponses non enregistrées dans Ogust"
  type         = "email"
  labels = {
    email_address = var.agency_email
  }

  depends_on = [google_project_service.apis]
}

# A log-based alert (condition_matched_log) rather than an alert on a counter: it fires on each
# matching line and carries that line's fields into the e-mail through label_extractors, so the
# e-mail names the form, the time, the reason and the row's link, and needs no mail credentials.
# Cloud Monitoring documents two limits for such a policy: at most one notification every 5 minutes
# and 20 a day; a refusal that comes within those limits gets no e-mail of its own (the e-mail says
# so, and the tab lists every refused answer). docs/deployment.md weighs this against a digest.
resource "google_monitoring_alert_policy" "refused_answer" {
  project               = var.project_id
  display_name          = "Réponse non enregistrée dans Ogust"
  combiner              = "OR"
  notification_channels = [google_monitoring_notification_channel.agency.id]

  conditions {
    display_name = "Une réponse au formulaire a été refusée"
    condition_matched_log {
      filter = local.refused_answer_logs
      # Each answer has its own link, hence its own combination of labels: its own incident.
      label_extractors = {
        formulaire = "EXTRACT(jsonPayload.form)"
        envoyee_le = "EXTRACT(jsonPayload.submittedAt)"
        motif      = "EXTRACT(jsonPayload.reason)"
        lien       = "EXTRACT(jsonPayload.link)"
      }
    }
  }

  # $${log.extracted_label.…} is Cloud Monitoring's variable (the $$ keeps Terraform off it).
  documentation {
    mime_type = "text/markdown"
    subject   = "Ogust n'a pas enregistré une réponse au formulaire « $${log.extracted_label.formulaire} »"
    content   = <<-EOT
      Une réponse au formulaire **« $${log.extracted_label.formulaire} »**, envoyée le **$${log.extracted_label.envoyee_le}**, n'a pas été enregistrée dans Ogust.

      **Motif :** $${log.extracted_label.motif}

      **Sa ligne dans l'onglet « Suivi Ogust » du tableur des réponses :** $${log.extracted_label.lien}

      **Que faire :** ouvrez la ligne par ce lien, corrigez ce que le motif indique (dans Ogust, ou en faisant corriger le formulaire), puis cochez la case « Renvoyer » de la ligne. La réponse est renvoyée à Ogust dans les 5 minutes et la ligne affiche son nouvel état.

      Cet e-mail ne contient ni le nom de la personne ni ses réponses : ils sont dans le tableur. Google n'envoie pas plus d'un de ces e-mails toutes les 5 minutes, ni plus de 20 par jour : d'autres réponses refusées entre-temps n'ont pas d'e-mail à elles. L'onglet « Suivi Ogust » les montre toutes (colonne « État » : « refusé »).
    EOT
  }

  alert_strategy {
    # The shortest period Cloud Monitoring accepts for a log-based policy.
    notification_rate_limit {
      period = "300s"
    }
    # Nothing to close by hand: the incident closes itself after 30 minutes (the shortest allowed).
    auto_close = "1800s"
  }
}

# --- the operator: technical alerts in English --------------------------------------------------------

# The log lines the alerts count, one metric each, named after its key.
resource "google_logging_metric" "counter" {
  for_each = {
    # Failed = an error logged by either function, or a submission parked in the dead letters.
    failed_submissions = {
      description = "Submissions that failed (severity >= ERROR) or were dead-lettered, in either function."
      filter      = "${local.function_logs} AND (severity>=ERROR OR jsonPayload.status=\"dead-lettered\")"
    }
    # Processed = the worker applied a submission (or rightly had nothing to do).
    processed_submissions = {
      description = "Submissions the worker applied to Ogust: created, updated, unchanged or skipped."
      filter = join(" ", [
        "resource.type=\"cloud_run_revision\"",
        "AND resource.labels.service_name=\"${google_cloudfunctions2_function.function["worker"].name}\"",
        "AND jsonPayload.status=~\"^(created|updated|unchanged|skipped)$\"",
      ])
    }
    # Failed reconciliation runs: the reconciler answered 5xx (a Forms API 5xx or 403, a Pub/Sub error).
    failed_reconciliations = {
      description = "Reconciliation runs that failed (the reconciler's \"reconciliation failed\" lines)."
      filter = join(" ", [
        "resource.type=\"cloud_run_revision\"",
        "AND resource.labels.service_name=\"${google_cloudfunctions2_function.function["reconciler"].name}\"",
        "AND jsonPayload.status=\"failed\"",
        "AND jsonPayload.message=~\"^reconciliation failed\"",
      ])
    }
  }

  project     = var.project_id
  name        = "${replace(var.name, "-", "_")}_${each.key}"
  description = each.value.description
  filter      = each.value.filter

  metric_descriptor {
    metric_kind = "DELTA"
    value_type  = "INT64"
    unit        = "1"
  }

  depends_on = [google_project_service.apis]
}

# Cloud Monitoring learns of a new log-based metric some time after Logging created it; an alert
# policy created at once is refused with 404 "Cannot find metric(s) that match type" (the known race,
# hashicorp/terraform-provider-google#11102). The alerts on these metrics wait for this pause, which
# runs again only when a metric is replaced.
resource "time_sleep" "log_metrics_known_to_monitoring" {
  create_duration = "90s"

  triggers = {
    failed_submissions     = google_logging_metric.counter["failed_submissions"].id
    processed_submissions  = google_logging_metric.counter["processed_submissions"].id
    failed_reconciliations = google_logging_metric.counter["failed_reconciliations"].id
  }
}

# When this deployment was first applied: the silence alert counts its days from here, so a fresh
# deploy is not "silent for N days" before its first submission.
resource "time_static" "first_deploy" {}

# The operator's view of the same refusals: the agency was e-mailed once per answer and resends from
# its tab; this incident stays open while any letter waits, for whoever looks after the deployment.
resource "google_monitoring_alert_policy" "dead_letters" {
  project               = var.project_id
  display_name          = "forms-to-ogust (operator): submissions wait in the dead letters"
  combiner              = "OR"
  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]

  conditions {
    display_name = "Dead-letter subscription holds messages"
    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${google_pubsub_subscription.dead_letter.name}\" AND metric.type=\"pubsub.googleapis.com/subscription/num_undelivered_messages\""
      comparison      = "COMPARISON_GT"
      threshold_value = 0
      duration        = "0s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      Operator alert (the agency is not on it). At least one submission could not be applied to Ogust
      and waits in `${google_pubsub_subscription.dead_letter.name}` (kept 7 days). The agency already got
      one French e-mail per refused answer and resends from the "Suivi Ogust" tab of the form's response
      spreadsheet once the cause is fixed. Look in if a refusal points to the mapping or the Ogust keys:
      the reasons are in the worker's logs (`jsonPayload.status="dead-lettered"`); `forms-to-ogust
      dead-letters list` shows what waits. A letter that expires after 7 days is still in the tab.
    EOT
  }

  alert_strategy {
    auto_close = "604800s"
  }
}

resource "google_monitoring_alert_policy" "failures" {
  project               = var.project_id
  display_name          = "forms-to-ogust: submissions keep failing"
  combiner              = "OR"
  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]

  conditions {
    display_name = "More than ${var.failure_alert_threshold} failures in 15 minutes"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.counter["failed_submissions"].name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.failure_alert_threshold
      duration        = "0s"
      aggregations {
        alignment_period     = "900s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  # The worker may fail before it can log (crash, timeout): a submission waiting an hour means the
  # queue is not draining.
  conditions {
    display_name = "A queued submission has waited more than an hour"
    condition_threshold {
      filter          = "resource.type=\"pubsub_subscription\" AND resource.labels.subscription_id=\"${google_pubsub_subscription.push.name}\" AND metric.type=\"pubsub.googleapis.com/subscription/oldest_unacked_message_age\""
      comparison      = "COMPARISON_GT"
      threshold_value = 3600
      duration        = "300s"
      aggregations {
        alignment_period   = "300s"
        per_series_aligner = "ALIGN_MAX"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      Submissions are failing repeatedly. Read the errors of `${google_cloudfunctions2_function.function["worker"].name}`
      and `${google_cloudfunctions2_function.function["receiver"].name}` in Cloud Logging (severity >= ERROR): Ogust
      unreachable or refusing the keys, Secret Manager permission, a mapping problem. Pub/Sub retries
      for up to ${var.max_delivery_attempts} deliveries; on the last one the worker parks the submission
      in the dead letters with its reason and the agency is told (if the worker cannot, Pub/Sub parks it).
    EOT
  }

  alert_strategy {
    auto_close = "86400s"
  }

  depends_on = [time_sleep.log_metrics_known_to_monitoring]
}

# "No submission processed for N days". A metric-absence condition cannot exceed 23 h 30 min, so
# this uses PromQL, which evaluates windows of days. A log-based counter has no point when nothing
# matched, so absent_over_time is true exactly when nothing was processed in the window. The
# `and on()` clause keeps it quiet during the first N days after the first deploy: before then the
# window reaches back to when nothing could have been processed.
resource "google_monitoring_alert_policy" "idle" {
  count = var.idle_alert_days == null ? 0 : 1

  project               = var.project_id
  display_name          = "forms-to-ogust: no submission processed for ${var.idle_alert_days} days"
  combiner              = "OR"
  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]

  conditions {
    display_name = "No processed submission in ${var.idle_alert_days} days"
    condition_prometheus_query_language {
      query = join(" ", [
        "absent_over_time(logging_googleapis_com:user_${google_logging_metric.counter["processed_submissions"].name}{monitored_resource=\"cloud_run_revision\"}[${var.idle_alert_days}d])",
        "and on() (vector(time()) > ${time_static.first_deploy.unix + var.idle_alert_days * 86400})",
      ])
      duration            = "3600s"
      evaluation_interval = "3600s"
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      The form is expected to be used at least every ${var.idle_alert_days} days, but the worker has
      applied no submission for that long. Check that the Apps Script triggers are installed
      (`install()`), its queue (`showQueue()`), and the receiver's logs for 401s (a webhook secret
      that no longer matches). If the form is simply not in use, set idle_alert_days = null.
    EOT
  }

  alert_strategy {
    auto_close = "604800s"
  }

  depends_on = [time_sleep.log_metrics_known_to_monitoring]
}

resource "google_monitoring_alert_policy" "reconciliation" {
  project               = var.project_id
  display_name          = "forms-to-ogust: reconciliation keeps failing"
  combiner              = "OR"
  notification_channels = [for c in google_monitoring_notification_channel.email : c.id]

  conditions {
    display_name = "More than ${var.reconcile_failure_alert_threshold} failed reconciliation runs in 30 minutes"
    condition_threshold {
      filter          = "resource.type=\"cloud_run_revision\" AND metric.type=\"logging.googleapis.com/user/${google_logging_metric.counter["failed_reconciliations"].name}\""
      comparison      = "COMPARISON_GT"
      threshold_value = var.reconcile_failure_alert_threshold
      duration        = "0s"
      aggregations {
        alignment_period     = "1800s"
        per_series_aligner   = "ALIGN_SUM"
        cross_series_reducer = "REDUCE_SUM"
      }
    }
  }

  documentation {
    mime_type = "text/markdown"
    content   = <<-EOT
      `${google_cloudfunctions2_function.function["reconciler"].name}` keeps failing, so responses the Apps Script
      did not deliver are not being caught up. Its "reconciliation failed" log lines say why: a 403
      means a form marked `reconcile: true` is not shared with
      `${google_service_account.identity["reconciler"].email}`; a 5xx is the Forms API (retried at the next run).
    EOT
  }

  alert_strategy {
    auto_close = "86400s"
  }

  depends_on = [time_sleep.log_metrics_known_to_monitoring]
}
