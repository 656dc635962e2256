# The queue dashboard's basic-auth password. External Secrets keeps it in the
# twelvefa-dashboard Kubernetes Secret (DASHBOARD_PASSWORD, with DASHBOARD_USER
# operator); it never appears in git or in the workflow's logs. Rotate it with
# terraform apply -replace=random_password.dashboard; the Secret follows within
# 5 minutes, and the dashboard reads it at start, so then run
# kubectl rollout restart deployment/twelvefa-dashboard --namespace twelvefa.
resource "random_password" "dashboard" {
  length  = 32
  special = false
}

resource "google_secret_manager_secret" "dashboard_password" {
  secret_id = "${var.name}-dashboard-password"

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "dashboard_password" {
  secret      = google_secret_manager_secret.dashboard_password.id
  secret_data = random_password.dashboard.result
}
