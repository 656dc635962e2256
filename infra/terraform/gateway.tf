# The static address and the Google-managed certificate that
# infra/k8s/overlays/prod/gateway.yaml names. Point var.domain at the address.
resource "google_compute_global_address" "gateway" {
  name = "${var.name}-gateway"

  depends_on = [google_project_service.required]
}

resource "google_compute_managed_ssl_certificate" "gateway" {
  name = "${var.name}-gateway"

  managed {
    domains = [var.domain]
  }

  depends_on = [google_project_service.required]
}
