variable "name" {
  description = "Replication group ID, e.g. pathavana-production."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the cache."
  type        = string
}

variable "subnet_ids" {
  description = "Isolated database subnets."
  type        = list(string)
}

variable "allowed_security_group_ids" {
  description = "Security groups (EKS nodes) allowed to connect on 6379."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key for data at rest and the slow log."
  type        = string
}

variable "auth_token" {
  description = "Redis AUTH token (from the security module's secret)."
  type        = string
  sensitive   = true
}

variable "engine_version" {
  description = "Redis version (documents: 7)."
  type        = string
  default     = "7.1"
}

variable "node_type" {
  description = "Node type (documents: cache.t3.micro dev, cache.t3.small staging, cache.t3.medium production)."
  type        = string
  default     = "cache.t3.medium"
}

variable "multi_az" {
  description = "A replica in another AZ with automatic failover (production)."
  type        = bool
  default     = true
}

variable "snapshot_retention_days" {
  description = "Days of automatic snapshots."
  type        = number
  default     = 7
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
