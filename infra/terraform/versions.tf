terraform {
  required_version = ">= 1.6"

  # The lower bounds are the provider versions whose schemas the offline checks
  # validate this configuration against (packages/deploy-checks/src/terraform-schema.ts).
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.50"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 3.1"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
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

data "google_client_config" "current" {}

# Installs the cluster's prerequisites (keda.tf) with the credentials of whoever
# runs terraform apply, on the cluster this configuration creates.
provider "helm" {
  kubernetes = {
    host                   = "https://${google_container_cluster.main.endpoint}"
    token                  = data.google_client_config.current.access_token
    cluster_ca_certificate = base64decode(google_container_cluster.main.master_auth[0].cluster_ca_certificate)
  }
}
