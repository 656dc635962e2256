# Managed collection is enabled on the cluster (gke.tf, monitoring_config): GKE runs
# the collectors that the prod overlay's PodMonitoring configures. KEDA reads the
# queue depth back through Managed Prometheus's query frontend
# (infra/k8s/platform/gmp-frontend, applied by the deploy job), which queries Cloud
# Monitoring as its Kubernetes service account gmp-frontend/frontend. Workload
# Identity Federation for GKE lets IAM name that service account directly.
data "google_project" "current" {
  project_id = var.project_id
}

resource "google_project_iam_member" "gmp_frontend" {
  project = var.project_id
  role    = "roles/monitoring.viewer"
  member  = "principal://iam.googleapis.com/projects/${data.google_project.current.number}/locations/global/workloadIdentityPools/${var.project_id}.svc.id.goog/subject/ns/gmp-frontend/sa/frontend"

  # The workload identity pool exists once the cluster does.
  depends_on = [google_container_cluster.main]
}
