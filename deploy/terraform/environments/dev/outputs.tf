output "cluster_name" {
  description = "aws eks update-kubeconfig --region <region> --name <cluster_name>"
  value       = module.eks.cluster_name
}

output "app_role_arn" {
  description = "Annotate ServiceAccount pathavana/pathavana with eks.amazonaws.com/role-arn: <this>."
  value       = module.security.app_role_arn
}

output "ci_cd_role_arn" {
  description = "role-to-assume of the GitHub Actions deployment jobs."
  value       = module.security.ci_cd_role_arn
}

output "platform_admin_role_arn" {
  description = "platform-admin role."
  value       = module.security.platform_admin_role_arn
}

output "developer_role_arn" {
  description = "developer role."
  value       = module.security.developer_role_arn
}

output "monitoring_role_arn" {
  description = "monitoring role."
  value       = module.security.monitoring_role_arn
}

output "kms_key_arn" {
  description = "The environment's data key (e.g. kmsKeyId of the gp3-encrypted StorageClass)."
  value       = module.security.kms_key_arn
}

output "repository_url" {
  description = "ECR repository of the image."
  value       = module.registry.repository_url
}

output "database_endpoint" {
  description = "PostgreSQL host:port; PATHAVANA_DATABASE_URL=postgres://pathavana:<password>@<endpoint>/pathavana?sslmode=require"
  value       = module.rds.endpoint
}

output "external_secrets_role_arn" {
  description = "Annotate ServiceAccount pathavana/pathavana-external-secrets with eks.amazonaws.com/role-arn: <this>."
  value       = module.security.external_secrets_role_arn
}

output "redis_endpoint" {
  description = "Redis primary; PATHAVANA_REDIS_URL=rediss://:<token>@<endpoint>:6379/0"
  value       = module.redis.primary_endpoint
}

output "app_secret_arn" {
  description = "Secrets Manager secret pathavana/<env>/app (PATHAVANA_DATABASE_URL, PATHAVANA_REDIS_URL, PATHAVANA_JWT_SECRETS, PATHAVANA_PII_KEYS, PATHAVANA_PII_INDEX_KEY, SMTP, Google)."
  value       = module.security.app_secret_arn
}

output "redis_secret_arn" {
  description = "Secrets Manager secret with the Redis AUTH token."
  value       = module.security.redis_secret_arn
}

output "buckets" {
  description = "S3 buckets by purpose."
  value       = module.storage.bucket_names
}

output "load_balancer_security_group_id" {
  description = "Attach to the ingress controller's load balancer (aws-load-balancer-security-groups annotation)."
  value       = module.eks.load_balancer_security_group_id
}

output "load_balancer_controller_role_arn" {
  description = "IRSA role for the AWS Load Balancer Controller."
  value       = module.eks.load_balancer_controller_role_arn
}

output "cluster_autoscaler_role_arn" {
  description = "IRSA role for the cluster autoscaler."
  value       = module.eks.cluster_autoscaler_role_arn
}

output "origin_certificate_arn" {
  description = "ACM certificate for the ingress load balancer's TLS listener (aws-load-balancer-ssl-cert annotation)."
  value       = module.edge.origin_certificate_arn
}

output "cloudfront_distribution_id" {
  description = "CloudFront distribution (aws cloudfront create-invalidation --distribution-id)."
  value       = module.edge.distribution_id
}

output "cost_alert_topic_arn" {
  description = "SNS topic of budget and anomaly alerts."
  value       = module.budgets.alert_topic_arn
}
