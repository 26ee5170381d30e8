variable "repository_name" {
  description = "ECR repository of the pathavana image."
  type        = string
  default     = "pathavana"
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the images."
  type        = string
}

variable "untagged_expiry_days" {
  description = "Days after which untagged images are deleted."
  type        = number
  default     = 7
}

variable "keep_images" {
  description = "How many tagged images to keep (rollback targets)."
  type        = number
  default     = 100
}

variable "replication_region" {
  description = "Replicate every repository of this registry to this region (DR); empty for none. Registry-wide: set it in one environment per account."
  type        = string
  default     = ""
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
