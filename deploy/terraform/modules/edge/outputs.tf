output "distribution_id" {
  description = "CloudFront distribution ID (cache invalidations)."
  value       = one(aws_cloudfront_distribution.this[*].id)
}

output "distribution_domain_name" {
  description = "CloudFront domain name."
  value       = one(aws_cloudfront_distribution.this[*].domain_name)
}

output "origin_certificate_arn" {
  description = "ACM certificate for the ingress load balancer's TLS listener."
  value       = aws_acm_certificate_validation.origin.certificate_arn
}

output "web_acl_arn" {
  description = "WAF web ACL."
  value       = one(aws_wafv2_web_acl.this[*].arn)
}

output "health_check_ids" {
  description = "Route 53 health checks by region (primary, secondary)."
  value       = { for k, h in aws_route53_health_check.regional : k => h.id }
}
