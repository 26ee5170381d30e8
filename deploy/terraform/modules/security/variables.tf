variable "name" {
  description = "Name prefix, e.g. pathavana-production."
  type        = string
}

variable "environment" {
  description = "dev, staging or production."
  type        = string
}

variable "trusted_principal_arns" {
  description = "Principals (SSO permission sets, IAM users or roles) allowed to assume the human roles; empty means any principal of this account that has MFA."
  type        = list(string)
  default     = []
}

variable "github_repository" {
  description = "owner/name of the GitHub repository whose workflows deploy this environment."
  type        = string
  default     = "pathavana/pathavana"
}

variable "github_oidc_subjects" {
  description = "GitHub OIDC subject patterns allowed to assume the CI/CD role (defaults: the environment's deployment jobs and pushes to main)."
  type        = list(string)
  default     = []
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub Actions OIDC provider (once per account)."
  type        = bool
  default     = true
}

variable "eks_oidc_provider_arn" {
  description = "ARN of the EKS cluster's IAM OIDC provider (IRSA)."
  type        = string
}

variable "eks_oidc_provider" {
  description = "The OIDC issuer without https:// (oidc.eks.<region>.amazonaws.com/id/<id>)."
  type        = string
}

variable "eks_cluster_arn" {
  description = "ARN of the EKS cluster the CI/CD role deploys to."
  type        = string
}

variable "app_namespace" {
  description = "Kubernetes namespace of the application."
  type        = string
  default     = "pathavana"
}

variable "app_service_account" {
  description = "Kubernetes ServiceAccount of the application (IRSA)."
  type        = string
  default     = "pathavana"
}

variable "monitoring_service_accounts" {
  description = "namespace:serviceaccount pairs of the monitoring stack that may read CloudWatch (e.g. Grafana, cloudwatch-exporter)."
  type        = list(string)
  default     = ["monitoring:grafana", "monitoring:cloudwatch-exporter"]
}

variable "assets_bucket_arn" {
  description = "S3 bucket of static assets and uploads."
  type        = string
}

variable "backups_bucket_arn" {
  description = "S3 bucket of database backups."
  type        = string
}

variable "ecr_repository_arn" {
  description = "ECR repository the CI/CD role pushes to."
  type        = string
}

variable "database_endpoint" {
  description = "host:port of the database, for PATHAVANA_DATABASE_URL."
  type        = string
}

variable "database_name" {
  description = "Database name."
  type        = string
  default     = "pathavana"
}

variable "database_username" {
  description = "Database user of the application."
  type        = string
  default     = "pathavana"
}

variable "redis_endpoint" {
  description = "Hostname of the Redis primary, for PATHAVANA_REDIS_URL."
  type        = string
}

variable "external_secrets_service_account" {
  description = "ServiceAccount (in app_namespace) of the External Secrets operator's SecretStore."
  type        = string
  default     = "pathavana-external-secrets"
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled KMS key deletion."
  type        = number
  default     = 30
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
