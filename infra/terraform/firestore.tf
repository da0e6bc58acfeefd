# The worker's idempotency ledger: one small document per applied submission.
resource "google_firestore_database" "ledger" {
  project     = var.project_id
  name        = var.firestore_database
  location_id = coalesce(var.firestore_location, var.region)
  type        = "FIRESTORE_NATIVE"

  # Terraform destroy leaves the database (and its ledger) in place; delete it by hand if wanted.
  deletion_policy = "ABANDON"

  depends_on = [google_project_service.apis]
}
