output "primary_endpoint" {
  description = "Hostname of the primary; the app's URL is rediss://:TOKEN@HOST:6379/0."
  value       = aws_elasticache_replication_group.redis.primary_endpoint_address
}

output "port" {
  description = "Redis port."
  value       = aws_elasticache_replication_group.redis.port
}

output "security_group_id" {
  description = "Security group of the cache."
  value       = aws_security_group.redis.id
}
