# Terraform >= 1.11 and google >= 6.25 for the write-only `secret_data_wo` argument (the generated
# webhook secret goes to Secret Manager without ever being written to the state);
# random >= 3.7 for the `ephemeral "random_password"` resource that generates it.
terraform {
  required_version = ">= 1.11"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = ">= 6.25, < 8.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.7"
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
