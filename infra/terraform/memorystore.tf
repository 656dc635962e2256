# The production Redis: managed, replicated, reachable only from the cluster's
# VPC, with AUTH and in-transit encryption. noeviction as in development:
# BullMQ must never lose a job key to memory pressure.
resource "google_redis_instance" "queue" {
  name           = var.name
  region         = var.region
  tier           = var.redis_tier
  memory_size_gb = var.redis_memory_size_gb
  redis_version  = "REDIS_7_2"

  authorized_network      = google_compute_network.main.id
  auth_enabled            = true
  transit_encryption_mode = "SERVER_AUTHENTICATION"

  redis_configs = {
    "maxmemory-policy" = "noeviction"
  }

  # Memorystore for Redis persists by RDB snapshots (it has no AOF).
  persistence_config {
    persistence_mode    = "RDB"
    rdb_snapshot_period = "ONE_HOUR"
  }

  depends_on = [google_project_service.required]
}

# REDIS_URL for the pods. External Secrets keeps the twelvefa-redis Kubernetes
# Secret in step with it (external-secrets.tf); it never appears in git or in
# the workflow's logs.
resource "google_secret_manager_secret" "redis_url" {
  secret_id = "${var.name}-redis-url"

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "redis_url" {
  secret      = google_secret_manager_secret.redis_url.id
  secret_data = "rediss://:${google_redis_instance.queue.auth_string}@${google_redis_instance.queue.host}:${google_redis_instance.queue.port}"
}

# REDIS_TLS_CA_FILE for the pods: the instance's server CA certificates, PEM (two
# while Memorystore rotates them). External Secrets keeps them in the
# twelvefa-redis-ca Kubernetes Secret (key ca.pem), which the prod overlay mounts
# in every pod that talks to Redis (infra/k8s/components/redis-tls-ca).
resource "google_secret_manager_secret" "redis_ca" {
  secret_id = "${var.name}-redis-ca"

  replication {
    auto {}
  }

  depends_on = [google_project_service.required]
}

resource "google_secret_manager_secret_version" "redis_ca" {
  secret      = google_secret_manager_secret.redis_ca.id
  secret_data = join("\n", google_redis_instance.queue.server_ca_certs[*].cert)
}
