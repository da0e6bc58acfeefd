# The reconciler's schedule: every var.reconcile_schedule (every 5 minutes by default, Paris time) it
# reads each form marked `reconcile: true` in the mapping since its watermark, queues the responses
# the receiver never got, and creates or renews the Forms watches (they expire after 7 days). Which
# forms is the mapping's business: Terraform holds no form list.
resource "google_cloud_scheduler_job" "reconcile" {
  project          = var.project_id
  region           = coalesce(var.scheduler_region, var.region)
  name             = "${var.name}-reconcile"
  description      = "Runs the forms-to-ogust reconciler (missed responses, Forms watches)."
  schedule         = var.reconcile_schedule
  time_zone        = "Europe/Paris"
  attempt_deadline = "${var.reconciler_timeout_seconds}s"

  # No retry: the next tick is the retry, and a run that overlaps another is refused (429) anyway.
  retry_config {
    retry_count = 0
  }

  http_target {
    http_method = "POST"
    uri         = google_cloudfunctions2_function.function["reconciler"].service_config[0].uri
    headers = {
      "Content-Type" = "application/json"
    }
    body = base64encode(jsonencode({ trigger = "schedule" }))

    oidc_token {
      service_account_email = google_service_account.identity["reconcile_trigger"].email
      audience              = google_cloudfunctions2_function.function["reconciler"].service_config[0].uri
    }
  }

  depends_on = [
    google_project_service.apis,
    google_cloud_run_v2_service_iam_member.grant["trigger_invokes_reconciler"],
  ]
}
