terraform {
  required_version = ">= 1.6"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }

  # Remote state in a GCS bucket, named at init so nothing here is project-specific:
  #   terraform init -backend-config=backend.hcl   (see backend.hcl.example)
  backend "gcs" {}
}

provider "google" {
  project = var.project_id
  region  = var.region
}
