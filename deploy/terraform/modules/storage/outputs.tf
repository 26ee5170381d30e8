output "bucket_names" {
  description = "Bucket names by purpose (assets, backups, logs)."
  value       = { for k, b in aws_s3_bucket.this : k => b.id }
}

output "bucket_arns" {
  description = "Bucket ARNs by purpose."
  value       = { for k, b in aws_s3_bucket.this : k => b.arn }
}

output "logs_bucket_domain_name" {
  description = "Domain of the logs bucket, for CloudFront access logs."
  value       = aws_s3_bucket.this["logs"].bucket_domain_name
}
