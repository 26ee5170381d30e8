variable "name" {
  description = "Cluster name, e.g. pathavana-production."
  type        = string
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version. The documents name 1.26/1.28, both past EKS standard support; upgrade one minor version at a time (docs/upgrades.md)."
  type        = string
  default     = "1.31"
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the control plane ENIs and the nodes."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for Kubernetes secrets, node volumes and control-plane logs."
  type        = string
}

variable "api_allowed_cidrs" {
  description = "CIDRs (VPN, office) allowed to reach the public Kubernetes API endpoint; empty keeps the endpoint private."
  type        = list(string)
  default     = []

  validation {
    condition     = !contains(var.api_allowed_cidrs, "0.0.0.0/0")
    error_message = "The Kubernetes API must not be open to the whole internet."
  }
}

variable "application_node_group" {
  description = "The application node group (documents: m5.large, 2–10 nodes, 3 desired)."
  type = object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = number
  })
  default = {
    instance_types = ["m5.large"]
    capacity_type  = "ON_DEMAND"
    min_size       = 2
    max_size       = 10
    desired_size   = 3
    disk_size_gb   = 50
  }
}

variable "gpu_node_group" {
  description = "The GPU node group for ML workloads such as a vLLM model server (documents: g4dn.xlarge, 1–5 nodes, 2 desired). Tainted nvidia.com/gpu=true:NoSchedule."
  type = object({
    enabled        = bool
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = number
  })
  default = {
    enabled        = true
    instance_types = ["g4dn.xlarge"]
    capacity_type  = "ON_DEMAND"
    min_size       = 1
    max_size       = 5
    desired_size   = 2
    disk_size_gb   = 100
  }
}

variable "access_entries" {
  description = "IAM roles given Kubernetes access: map of name to { principal_arn, policy (AmazonEKS…Policy), namespaces (empty: whole cluster) }."
  type = map(object({
    principal_arn = string
    policy        = string
    namespaces    = list(string)
  }))
  default = {}
}

variable "ingress_allowed_cidrs" {
  description = "Extra CIDRs allowed to the ingress load balancer besides CloudFront's origin-facing ranges (normally none: all traffic comes through CloudFront)."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Days to keep control-plane logs."
  type        = number
  default     = 90
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
