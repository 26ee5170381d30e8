variable "name" {
  description = "Name prefix of every network resource, e.g. pathavana-production."
  type        = string
}

variable "cluster_name" {
  description = "EKS cluster that uses this VPC; subnets are tagged so its load balancers find them."
  type        = string
}

variable "cidr" {
  description = "VPC CIDR block (infrastructure overview: 10.0.0.0/16)."
  type        = string
  default     = "10.0.0.0/16"
}

variable "azs" {
  description = "Three availability zones."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b", "us-east-1c"]

  validation {
    condition     = length(var.azs) == 3
    error_message = "The platform spreads over exactly three availability zones."
  }
}

variable "public_subnets" {
  description = "Public subnets, one per AZ: load balancers and NAT gateways only."
  type        = list(string)
  default     = ["10.0.10.0/24", "10.0.11.0/24", "10.0.12.0/24"]
}

variable "private_subnets" {
  description = "Private subnets, one per AZ: EKS nodes and pods."
  type        = list(string)
  default     = ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
}

variable "database_subnets" {
  description = "Isolated subnets without any route to the internet: RDS and ElastiCache."
  type        = list(string)
  default     = ["10.0.20.0/24", "10.0.21.0/24", "10.0.22.0/24"]
}

variable "single_nat_gateway" {
  description = "One NAT gateway for the whole VPC (cheaper, dev) instead of one per AZ (highly available)."
  type        = bool
  default     = false
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the VPC flow log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Days to keep VPC flow logs (logs policy: 12 months)."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
