# External Secrets, which keeps the overlays' Secrets (twelvefa-redis,
# twelvefa-redis-ca, twelvefa-dashboard, twelvefa-api-keys) in step with Secret
# Manager: infra/k8s/overlays/prod/external-secrets.yaml. Installed here, like
# KEDA, because it needs cluster-wide rights (CRDs, ClusterRoles, webhooks) that
# the CI identity lacks. Its webhook listens on 10250, which a private cluster's
# control plane already reaches. The chart version is pinned and matches the
# CRDs deploy-checks validates the overlays against (packages/deploy-checks/crds).
resource "helm_release" "external_secrets" {
  name             = "external-secrets"
  repository       = "https://charts.external-secrets.io"
  chart            = "external-secrets"
  version          = "2.9.0"
  namespace        = "external-secrets"
  create_namespace = true
  atomic           = true
  timeout          = 600

  depends_on = [google_container_node_pool.api]
}

# Only the Kubernetes ServiceAccount twelvefa/twelvefa-secrets reads these, as
# Secret Manager sees the Workload Identity token ESO obtains for it.
resource "google_secret_manager_secret_iam_member" "cluster_reads" {
  for_each = {
    redis_url          = google_secret_manager_secret.redis_url.id
    redis_ca           = google_secret_manager_secret.redis_ca.id
    dashboard_password = google_secret_manager_secret.dashboard_password.id
    api_keys           = google_secret_manager_secret.api_keys.id
  }

  secret_id = each.value
  role      = "roles/secretmanager.secretAccessor"
  member    = "serviceAccount:${google_container_cluster.main.workload_identity_config[0].workload_pool}[twelvefa/twelvefa-secrets]"
}
