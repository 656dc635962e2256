# The API key the deploy job's smoke test calls with (client "smoke", a small
# rate limit; .github/workflows/deploy.yml). Terraform generates it, keeps it in
# Secret Manager for CI alone, and lists its hash in the first version of the API
# keys file (api-keys.tf). Keep the "smoke" entry when adding versions of that
# file, or every deployment fails its smoke test.
resource "random_password" "smoke_api_key" {
  length  = 43
  special = false
}

locals {
  smoke_api_key = "tfa_${random_password.smoke_api_key.result}"
}

resource "google_secret_manager_secret" "smoke_api_key" {
  secret_id = "${var.name}-smoke-api-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "smoke_api_key" {
  secret      = google_secret_manager_secret.smoke_api_key.id
  secret_data = local.smoke_api_key
}
