variable "name" {
  description = "Name prefix, e.g. pathavana-production."
  type        = string
}

variable "zone_name" {
  description = "Route 53 public hosted zone (documents: pathavana.com). Created once per account, outside these environments."
  type        = string
}

variable "hostnames" {
  description = "Public names served by CloudFront, e.g. [\"pathavana.com\", \"www.pathavana.com\"] or [\"staging.pathavana.com\"]."
  type        = list(string)
}

variable "origin_hostname" {
  description = "Name CloudFront reaches the origin by (Route 53 failover record), e.g. origin.pathavana.com."
  type        = string
}

variable "primary_load_balancer" {
  description = "Ingress load balancer of the primary region (DNS name, hosted zone ID). Null while it does not exist yet: only the certificates are created then (first deployment, docs/deployment.md)."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

variable "secondary_load_balancer" {
  description = "Ingress load balancer of the standby (DR) region, or null: Route 53 fails over to it when the primary's health check fails."
  type = object({
    dns_name = string
    zone_id  = string
  })
  default = null
}

variable "health_check_path" {
  description = "Path Route 53 probes on each origin (the app's readiness endpoint)."
  type        = string
  default     = "/readyz"
}

variable "logs_bucket_domain_name" {
  description = "S3 bucket for CloudFront access logs."
  type        = string
}

variable "waf_rate_limit" {
  description = "Requests per IP per 5 minutes above which the WAF blocks (a coarse shield; the ingress enforces 100/min per IP)."
  type        = number
  default     = 2000
}

variable "price_class" {
  description = "CloudFront price class."
  type        = string
  default     = "PriceClass_All"
}

variable "shield_advanced" {
  description = "Protect the distribution with AWS Shield Advanced (needs a subscription; Shield Standard is always on)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
  default     = {}
}
