output "endpoint" {
  description = "host:port of the database."
  value       = module.db.db_instance_endpoint
}

output "address" {
  description = "Hostname of the database."
  value       = module.db.db_instance_address
}

output "port" {
  description = "Port of the database."
  value       = module.db.db_instance_port
}

output "instance_identifier" {
  description = "DB instance identifier."
  value       = module.db.db_instance_identifier
}

output "instance_arn" {
  description = "DB instance ARN."
  value       = module.db.db_instance_arn
}

output "security_group_id" {
  description = "Security group of the database."
  value       = aws_security_group.db.id
}
