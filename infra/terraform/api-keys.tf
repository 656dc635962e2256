# The API keys the API lets in (AUTH_KEYS_FILE): a JSON file of each key's
# SHA-256, never a key itself. Terraform creates it with the deploy job's smoke
# test key only (smoke-test.tf), so a fresh deployment refuses every client until
# an operator issues a key; operators then add versions with twelvefa-keys and
# gcloud (docs/external-access.md), which Terraform leaves alone. External Secrets keeps the latest version in
# the twelvefa-api-keys Kubernetes Secret (within 5 minutes); the API reads the mounted file again every
# AUTH_KEYS_RELOAD_MS, so a key issued or revoked needs no restart.
resource "google_secret_manager_secret" "api_keys" {
  secret_id = "${var.name}-api-keys"

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "api_keys_initial" {
  secret      = google_secret_manager_secret.api_keys.id
  secret_data = jsonencode({
    keys = [{
      client              = "smoke"
      sha256              = sha256(local.smoke_api_key)
      methods             = ["Add", "Max", "NthPrimes"]
      rateLimitCpuSeconds = 5
    }]
  })

  lifecycle {
    ignore_changes = [secret_data]
  }
}
