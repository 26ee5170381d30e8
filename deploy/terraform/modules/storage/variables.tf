variable "name" {
  description = "Bucket name prefix: buckets are <name>-assets, <name>-backups, <name>-logs (documents: pathavana-{env}-…)."
  type        = string
}

variable "kms_key_arn" {
  description = "KMS key for the assets and backups buckets."
  type        = string
}

variable "replication" {
  description = "Replicate assets and backups to a bucket in the DR region (aws.dr provider) encrypted with dr_kms_key_arn (documents: file storage RPO 24 h via S3 cross-region)."
  type        = bool
  default     = false
}

variable "daily_backup_retention_days" {
  description = "Days to keep daily database backups under daily/ (documents: 30)."
  type        = number
  default     = 30
}

variable "monthly_backup_retention_days" {
  description = "Days to keep monthly database backups under monthly/ (documents: 12 months)."
  type        = number
  default     = 365
}

variable "log_retention_days" {
  description = "Days to keep archived logs (documents: 12 months)."
  type        = number
  default     = 365
}

variable "force_destroy" {
  description = "Allow destroying non-empty buckets (never in production)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
