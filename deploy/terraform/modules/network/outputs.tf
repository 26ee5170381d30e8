output "vpc_id" {
  description = "VPC ID."
  value       = module.vpc.vpc_id
}

output "vpc_cidr_block" {
  description = "VPC CIDR block."
  value       = module.vpc.vpc_cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets (load balancers)."
  value       = module.vpc.public_subnets
}

output "private_subnet_ids" {
  description = "Private subnets (EKS nodes)."
  value       = module.vpc.private_subnets
}

output "database_subnet_ids" {
  description = "Isolated database subnets."
  value       = module.vpc.database_subnets
}

output "database_subnet_group_name" {
  description = "DB subnet group over the database subnets."
  value       = module.vpc.database_subnet_group_name
}

output "nat_public_ips" {
  description = "Egress IPs of the NAT gateways (allow-list them at providers that need it)."
  value       = module.vpc.nat_public_ips
}
