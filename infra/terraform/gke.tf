resource "google_service_account" "nodes" {
  account_id   = "${var.name}-nodes"
  display_name = "twelvefa GKE nodes"
}

# What a node needs and nothing more: write logs and metrics, pull images.
resource "google_project_iam_member" "nodes" {
  for_each = toset([
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
  ])

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_artifact_registry_repository_iam_member" "nodes_pull" {
  location   = google_artifact_registry_repository.images.location
  repository = google_artifact_registry_repository.images.name
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.nodes.email}"
}

# Staging pulls the images CI pushed to prod's repository (var.image_source).
resource "google_artifact_registry_repository_iam_member" "nodes_pull_source" {
  count = var.image_source == null ? 0 : 1

  project    = var.image_source.project
  location   = var.image_source.location
  repository = var.image_source.repository
  role       = "roles/artifactregistry.reader"
  member     = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_container_cluster" "main" {
  name     = var.name
  location = var.region

  network    = google_compute_network.main.id
  subnetwork = google_compute_subnetwork.main.id

  # Node pools are managed below, one per kind of process.
  remove_default_node_pool = true
  initial_node_count       = 1

  networking_mode = "VPC_NATIVE"
  ip_allocation_policy {
    cluster_secondary_range_name  = "pods"
    services_secondary_range_name = "services"
  }

  # Dataplane V2 enforces the NetworkPolicies in infra/k8s.
  datapath_provider = "ADVANCED_DATAPATH"

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = var.master_cidr
  }

  release_channel {
    channel = var.release_channel
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  # Gateway API CRDs and GKE's Gateway controller (infra/k8s/overlays/prod/gateway.yaml).
  gateway_api_config {
    channel = "CHANNEL_STANDARD"
  }

  # Managed Service for Prometheus, managed collection: GKE runs the collectors and
  # the PodMonitoring CRD (infra/k8s/overlays/prod/pod-monitoring.yaml). KEDA reads
  # the queue depth it scales workers on through the query frontend
  # (managed-prometheus.tf).
  monitoring_config {
    enable_components = ["SYSTEM_COMPONENTS"]
    managed_prometheus {
      enabled = true
    }
  }

  addons_config {
    horizontal_pod_autoscaling {
      disabled = false
    }
    http_load_balancing {
      disabled = false
    }
  }

  deletion_protection = true

  depends_on = [google_project_service.required]
}

resource "google_container_node_pool" "api" {
  name     = "api"
  cluster  = google_container_cluster.main.id
  location = var.region

  autoscaling {
    min_node_count = var.api_min_nodes
    max_node_count = var.api_max_nodes
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.api_machine_type
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    # Matched by nodeSelector in infra/k8s/overlays/prod/api-placement.yaml.
    labels = {
      "twelvefa.dev/pool" = "api"
    }

    shielded_instance_config {
      enable_secure_boot = true
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

resource "google_container_node_pool" "worker" {
  name     = "worker"
  cluster  = google_container_cluster.main.id
  location = var.region

  autoscaling {
    min_node_count = var.worker_min_nodes
    max_node_count = var.worker_max_nodes
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = var.worker_machine_type
    spot            = var.worker_spot
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    # Matched by nodeSelector and tolerations in infra/k8s/overlays/prod/worker-placement.yaml.
    labels = {
      "twelvefa.dev/pool" = "worker"
    }

    taint {
      key    = "twelvefa.dev/pool"
      value  = "worker"
      effect = "NO_SCHEDULE"
    }

    shielded_instance_config {
      enable_secure_boot = true
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}
