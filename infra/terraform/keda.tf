# KEDA, which the prod overlay's ScaledObject needs (its CRDs, operator, metrics
# API server and admission webhooks). Installed here rather than by the deploy
# job: it needs cluster-wide rights (CRDs, ClusterRoles, an APIService, webhooks)
# that the CI identity deliberately lacks (ci.tf). The chart version is pinned;
# upgrade it here, deliberately.
resource "helm_release" "keda" {
  name             = "keda"
  repository       = "https://kedacore.github.io/charts"
  chart            = "keda"
  version          = "2.20.2"
  namespace        = "keda"
  create_namespace = true
  atomic           = true
  timeout          = 600

  depends_on = [
    google_container_node_pool.api,
    google_compute_firewall.control_plane_to_keda,
  ]
}

# A private cluster's control plane reaches the nodes on 443 and 10250 only. It
# must also reach KEDA's metrics API server (6443, the external metrics API the
# HPA reads) and admission webhooks (9443).
resource "google_compute_firewall" "control_plane_to_keda" {
  name        = "${var.name}-control-plane-to-keda"
  network     = google_compute_network.main.id
  description = "GKE control plane to KEDA's metrics API server and admission webhooks."
  direction   = "INGRESS"

  source_ranges           = [var.master_cidr]
  target_service_accounts = [google_service_account.nodes.email]

  allow {
    protocol = "tcp"
    ports    = ["6443", "9443"]
  }
}
