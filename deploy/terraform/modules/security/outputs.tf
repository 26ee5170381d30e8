output "kms_key_arn" {
  description = "ARN of the environment's data key."
  value       = aws_kms_key.main.arn
}

output "kms_key_id" {
  description = "ID of the environment's data key."
  value       = aws_kms_key.main.key_id
}

output "app_secret_arn" {
  description = "Secrets Manager secret with the application's secret settings."
  value       = aws_secretsmanager_secret.app.arn
}

output "redis_secret_arn" {
  description = "Secrets Manager secret with the Redis AUTH token."
  value       = aws_secretsmanager_secret.redis.arn
}

output "database_password" {
  description = "Password of the database user (also inside PATHAVANA_DATABASE_URL of app_secret_arn)."
  value       = random_password.db.result
  sensitive   = true
}

output "redis_auth_token" {
  description = "Redis AUTH token (also in redis_secret_arn)."
  value       = random_password.redis.result
  sensitive   = true
}

output "platform_admin_role_arn" {
  description = "platform-admin role."
  value       = aws_iam_role.platform_admin.arn
}

output "developer_role_arn" {
  description = "developer role."
  value       = aws_iam_role.developer.arn
}

output "ci_cd_role_arn" {
  description = "ci-cd role for GitHub Actions (aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.ci_cd.arn
}

output "monitoring_role_arn" {
  description = "monitoring role."
  value       = aws_iam_role.monitoring.arn
}

output "app_role_arn" {
  description = "IRSA role: annotate the pathavana ServiceAccount with eks.amazonaws.com/role-arn set to this."
  value       = aws_iam_role.app.arn
}

output "external_secrets_role_arn" {
  description = "IRSA role: annotate ServiceAccount pathavana/pathavana-external-secrets with eks.amazonaws.com/role-arn set to this."
  value       = aws_iam_role.external_secrets.arn
}
