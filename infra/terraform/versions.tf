# Terraform >= 1.11 and google >= 6.25 for the write-only `secret_data_wo` argument (the generated
# webhook secret goes to Secret Manager without ever being written to the state);
# random >= 3.7 for the `ephemeral "random_password"` resource that generates it;
# time for a stable deploy timestamp (the idle alert) and a pause after the log-based metrics.
#
# google 6.49.0 is excluded: it plans to replace every secret version that has
# `secret_data_wo_version` (hashicorp/terraform-provider-google#24044), which would put a new
# generated webhook secret in place and make the Apps Script's signatures fail (401).
#
# tests/unit/infra/test_provider_schema.py checks every resource against the schemas of the versions
# below (google 6.25.0 and 7.46.1, random 3.7.2 and 3.9.1, time 0.13.1 and 0.14.2), offline.
terraform {
  required_version = ">= 1.11"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.25, != 6.49.0, < 8.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7, < 4.0"
    }
    time = {
      source  = "hashicorp/time"
      version = ">= 0.13, < 1.0"
    }
  }

  # Keep the state in a versioned GCS bucket when more than one person deploys. Create the bucket
  # once (`gcloud storage buckets create gs://BUCKET --location=REGION --uniform-bucket-level-access`,
  # then `gcloud storage buckets update gs://BUCKET --versioning`), uncomment, and `terraform init -migrate-state`.
  # The state holds no secret value (see secrets.tf), but it names every resource: keep the bucket private.
  #
  # backend "gcs" {
  #   bucket = "my-project-tfstate"
  #   prefix = "forms-to-ogust"
  # }
}

provider "google" {
  project = var.project_id
  region  = var.region
}
