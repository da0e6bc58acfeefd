# The Google APIs the deployment uses. Disabling them on destroy is left to a person: other things in
# the project may use them too.
locals {
  apis = toset([
    "artifactregistry.googleapis.com",     # the images Cloud Build makes of the functions
    "cloudbuild.googleapis.com",           # builds the functions from the uploaded zip
    "cloudfunctions.googleapis.com",       # the three gen2 functions
    "cloudresourcemanager.googleapis.com", # project number, project IAM
    "cloudscheduler.googleapis.com",       # the reconciler's schedule
    "firestore.googleapis.com",            # the ledger and the reconciler's watermarks
    "forms.googleapis.com",                # the reconciler reads responses and keeps watches
    "iam.googleapis.com",                  # the service accounts
    "logging.googleapis.com",              # logs and the log-based metrics
    "monitoring.googleapis.com",           # alert policies and the e-mail channel
    "pubsub.googleapis.com",               # the queue and the dead letters
    "run.googleapis.com",                  # gen2 functions run as Cloud Run services
    "secretmanager.googleapis.com",        # the Ogust keys and the webhook secret
    "sheets.googleapis.com",               # the "Suivi Ogust" tab in each form's response spreadsheet
    "storage.googleapis.com",              # the source bucket
  ])
}

resource "google_project_service" "apis" {
  for_each = local.apis

  project            = var.project_id
  service            = each.value
  disable_on_destroy = false
}

data "google_project" "this" {
  project_id = var.project_id

  depends_on = [google_project_service.apis]
}
