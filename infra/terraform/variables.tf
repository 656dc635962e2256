variable "project_id" {
  description = "The Google Cloud project that holds everything below."
  type        = string
}

variable "region" {
  description = "Region of the regional GKE cluster, the registry and Memorystore."
  type        = string
}

variable "name" {
  description = "Prefix of every resource name; must match the names used in infra/k8s/overlays/prod."
  type        = string
  default     = "twelvefa"
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows may deploy (Workload Identity Federation)."
  type        = string
}

variable "domain" {
  description = "Public DNS name of the gRPC endpoint; the Google-managed certificate is issued for it."
  type        = string
}

variable "release_channel" {
  description = "GKE release channel."
  type        = string
  default     = "REGULAR"
}

variable "subnet_cidr" {
  description = "Primary range of the cluster's subnet (nodes)."
  type        = string
  default     = "10.10.0.0/20"
}

variable "pods_cidr" {
  description = "Secondary range for pod IPs."
  type        = string
  default     = "10.20.0.0/14"
}

variable "services_cidr" {
  description = "Secondary range for Service IPs."
  type        = string
  default     = "10.24.0.0/20"
}

variable "master_cidr" {
  description = "/28 range of the GKE control plane's private endpoint."
  type        = string
  default     = "172.16.0.32/28"
}

variable "api_machine_type" {
  description = "Machine type of the API node pool (many small calls: balanced CPU and memory)."
  type        = string
  default     = "e2-standard-2"
}

variable "api_min_nodes" {
  description = "Minimum API nodes per zone."
  type        = number
  default     = 1
}

variable "api_max_nodes" {
  description = "Maximum API nodes per zone."
  type        = number
  default     = 5
}

variable "worker_machine_type" {
  description = "Machine type of the worker node pool (heavy nth-prime jobs: compute-optimised)."
  type        = string
  default     = "c2d-standard-4"
}

variable "worker_min_nodes" {
  description = "Minimum worker nodes per zone."
  type        = number
  default     = 0
}

variable "worker_max_nodes" {
  description = "Maximum worker nodes per zone."
  type        = number
  default     = 10
}

variable "worker_spot" {
  description = "Run workers on Spot VMs: jobs survive preemption (BullMQ retries stalled jobs)."
  type        = bool
  default     = false
}

variable "redis_tier" {
  description = "Memorystore tier: STANDARD_HA (replicated, automatic failover) or BASIC."
  type        = string
  default     = "STANDARD_HA"
}

variable "redis_memory_size_gb" {
  description = "Memorystore capacity in GiB."
  type        = number
  default     = 1
}

variable "image_source" {
  description = "Staging: prod's Artifact Registry repository, which CI pushes every image to; this environment's nodes may pull from it, so staging and prod run the same image digest. Unset (prod): the repository of this project."
  type        = object({
    project    = string
    location   = string
    repository = string
  })
  default = null
}
