# Set each output whose description starts with a NAME: as that GitHub Actions
# variable (not a secret: none of them is one) of the environment, for
# .github/workflows/deploy.yml. The others are for operators.
output "gcp_workload_identity_provider" {
  description = "GCP_WORKLOAD_IDENTITY_PROVIDER"
  value       = google_iam_workload_identity_pool_provider.github.name
}

output "gcp_ci_service_account" {
  description = "GCP_CI_SERVICE_ACCOUNT"
  value       = google_service_account.ci.email
}

output "image_repository" {
  description = "IMAGE_REPOSITORY: where images are pushed."
  value       = "${google_artifact_registry_repository.images.location}-docker.pkg.dev/${var.project_id}/${google_artifact_registry_repository.images.repository_id}/twelvefa"
}

output "gke_cluster" {
  description = "GKE_CLUSTER"
  value       = google_container_cluster.main.name
}

output "gke_location" {
  description = "GKE_LOCATION"
  value       = google_container_cluster.main.location
}

output "redis_url_secret" {
  description = "The Secret Manager secret holding REDIS_URL (External Secrets copies it into the cluster)."
  value       = google_secret_manager_secret.redis_url.secret_id
}

output "redis_ca_secret" {
  description = "The Secret Manager secret holding Memorystore's server CA, PEM (External Secrets copies it into the cluster)."
  value       = google_secret_manager_secret.redis_ca.secret_id
}

output "dashboard_password_secret" {
  description = "The Secret Manager secret holding the dashboard's password (External Secrets copies it into the cluster)."
  value       = google_secret_manager_secret.dashboard_password.secret_id
}

output "api_keys_secret" {
  description = "The Secret Manager secret holding the API keys file, hashes only: add versions here to issue or revoke keys."
  value       = google_secret_manager_secret.api_keys.secret_id
}

output "smoke_api_key_secret" {
  description = "SMOKE_API_KEY_SECRET: the Secret Manager secret holding the deploy job's smoke test API key."
  value       = google_secret_manager_secret.smoke_api_key.secret_id
}

output "api_domain" {
  description = "API_DOMAIN: the public gRPC endpoint the deploy job smoke-tests (port 443)."
  value       = var.domain
}

output "gateway_address" {
  description = "The public IP; create an A record for var.domain pointing at it."
  value       = google_compute_global_address.gateway.address
}
