variable "name" {
  description = "Name prefix, e.g. pathavana-production."
  type        = string
}

variable "environment" {
  description = "Environment tag value the budget filters on."
  type        = string
}

variable "monthly_limit_usd" {
  description = "Monthly budget in USD (documents: 1000 for production)."
  type        = number
}

variable "alert_thresholds" {
  description = "Percentages of the budget that alert (documents: 50, 80, 100)."
  type        = list(number)
  default     = [50, 80, 100]
}

variable "alert_emails" {
  description = "Who receives budget and cost-anomaly alerts."
  type        = list(string)
}

variable "kms_key_arn" {
  description = "KMS key of the alert topic."
  type        = string
}

variable "anomaly_threshold_usd" {
  description = "Alert on cost anomalies whose impact exceeds this many USD."
  type        = number
  default     = 50
}

variable "activate_cost_allocation_tags" {
  description = "Activate the cost allocation tags (only possible from the payer account)."
  type        = bool
  default     = false
}

variable "cost_allocation_tags" {
  description = "Tag keys every resource carries for cost allocation."
  type        = list(string)
  default     = ["Project", "Environment", "CostCenter", "Owner"]
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
