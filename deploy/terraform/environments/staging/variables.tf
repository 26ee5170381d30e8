variable "environment" {
  description = "dev, staging or production."
  type        = string

  validation {
    condition     = contains(["dev", "staging", "production"], var.environment)
    error_message = "environment is dev, staging or production."
  }
}

variable "name_suffix" {
  description = "Suffix of every resource name, for a second stack of the same environment (the us-west-2 standby: -standby). Empty normally."
  type        = string
  default     = ""

  validation {
    condition     = var.name_suffix == "" || can(regex("^-[a-z0-9]+$", var.name_suffix))
    error_message = "name_suffix is empty or like -standby."
  }
}

variable "aws_account_id" {
  description = "The AWS account of this environment; Terraform refuses any other. Empty: not pinned."
  type        = string
  default     = ""
}

variable "region" {
  description = "Primary region (documents: us-east-1)."
  type        = string
  default     = "us-east-1"
}

variable "dr_region" {
  description = "Disaster-recovery region (documents: us-west-2)."
  type        = string
  default     = "us-west-2"
}

variable "dr_enabled" {
  description = "Replicate database backups, buckets and images to dr_region."
  type        = bool
  default     = false
}

variable "cost_center" {
  description = "CostCenter tag (documents: Engineering, Operations, Security)."
  type        = string
  default     = "Engineering"
}

variable "owner" {
  description = "Owner tag: the team answerable for the environment."
  type        = string
  default     = "platform-engineering"
}

variable "vpc_cidr" {
  description = "VPC CIDR."
  type        = string
  default     = "10.0.0.0/16"
}

variable "azs" {
  description = "Three availability zones of region."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]
}

variable "public_subnets" {
  description = "Public subnets (documents: 10.0.10-12.0/24)."
  type        = list(string)
  default     = ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"]
}

variable "private_subnets" {
  description = "Private subnets (documents: 10.0.0-2.0/24)."
  type        = list(string)
  default     = ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
}

variable "database_subnets" {
  description = "Isolated database subnets."
  type        = list(string)
  default     = ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"]
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per AZ (dev only)."
  type        = bool
  default     = false
}

variable "kubernetes_version" {
  description = "EKS version."
  type        = string
  default     = "1.31"
}

variable "eks_api_allowed_cidrs" {
  description = "Networks (VPN egress, self-hosted CI runners) allowed to the public Kubernetes API endpoint; empty keeps it private."
  type        = list(string)
  default     = []
}

variable "application_node_group" {
  description = "Application node group."
  type = object({
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = number
  })
}

variable "gpu_node_group" {
  description = "GPU node group for ML workloads."
  type = object({
    enabled        = bool
    instance_types = list(string)
    capacity_type  = string
    min_size       = number
    max_size       = number
    desired_size   = number
    disk_size_gb   = number
  })
}

variable "db_engine_version" {
  description = "PostgreSQL version (documents: 15); see docs/upgrades.md before changing the major version."
  type        = string
  default     = "15"
}

variable "db_allow_major_version_upgrade" {
  description = "Set true for the apply that moves db_engine_version to a new major version."
  type        = bool
  default     = false
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_allocated_storage" {
  description = "Initial database storage in GB."
  type        = number
}

variable "db_max_allocated_storage" {
  description = "Database storage autoscaling ceiling in GB."
  type        = number
}

variable "db_multi_az" {
  description = "RDS Multi-AZ standby."
  type        = bool
}

variable "db_backup_retention_days" {
  description = "Days of automated database backups (at least 7)."
  type        = number
  default     = 7
}

variable "db_deletion_protection" {
  description = "Deletion protection outside production (always on in production)."
  type        = bool
  default     = true
}

variable "redis_engine_version" {
  description = "Redis version (documents: 7)."
  type        = string
  default     = "7.1"
}

variable "redis_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "redis_multi_az" {
  description = "Redis replica with automatic failover."
  type        = bool
}

variable "repository_name" {
  description = "ECR repository of the image (one registry per environment account; the pipeline promotes images by digest)."
  type        = string
  default     = "pathavana"
}

variable "edge_enabled" {
  description = "Serve through CloudFront + WAF with Route 53 records and health checks. Needs the ingress load balancer, so the first apply of an environment passes -var edge_enabled=false (certificates are created either way)."
  type        = bool
  default     = true
}

variable "zone_name" {
  description = "Route 53 public zone."
  type        = string
  default     = "pathavana.com"
}

variable "hostnames" {
  description = "Public host names of the environment."
  type        = list(string)
}

variable "origin_hostname" {
  description = "Host name CloudFront uses for the origin (Route 53 failover record)."
  type        = string
}

variable "secondary_load_balancer" {
  description = "Ingress load balancer of the standby region for DNS failover, or null."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

variable "waf_rate_limit" {
  description = "Requests per IP per 5 minutes the WAF allows."
  type        = number
  default     = 2000
}

variable "shield_advanced" {
  description = "Enable AWS Shield Advanced on the distribution (subscription required)."
  type        = bool
  default     = false
}

variable "monthly_budget_usd" {
  description = "Monthly budget (documents: 1000 for production)."
  type        = number
}

variable "alert_emails" {
  description = "Recipients of budget alerts."
  type        = list(string)
}

variable "activate_cost_allocation_tags" {
  description = "Activate cost allocation tags (payer account only)."
  type        = bool
  default     = false
}

variable "trusted_principal_arns" {
  description = "Principals allowed to assume the platform-admin, developer and monitoring roles (with MFA); empty: the account."
  type        = list(string)
  default     = []
}

variable "github_repository" {
  description = "GitHub repository whose workflows deploy (OIDC)."
  type        = string
  default     = "pathavana/pathavana"
}

variable "create_github_oidc_provider" {
  description = "Create the GitHub OIDC provider (once per account)."
  type        = bool
  default     = true
}
