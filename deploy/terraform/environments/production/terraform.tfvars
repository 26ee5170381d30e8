# production: the numbers of the infrastructure documents.
environment = "production"

single_nat_gateway = false

# Replace with the egress CIDRs of your VPN and self-hosted CI runners.
eks_api_allowed_cidrs = ["198.51.100.0/24"]

# EKS: application m5.large 2–10 (3 desired); GPU g4dn.xlarge 1–5 (2 desired).
application_node_group = {
  instance_types = ["m5.large"]
  capacity_type  = "ON_DEMAND"
  min_size       = 2
  max_size       = 10
  desired_size   = 3
  disk_size_gb   = 50
}

gpu_node_group = {
  enabled        = true
  instance_types = ["g4dn.xlarge"]
  capacity_type  = "ON_DEMAND"
  min_size       = 1
  max_size       = 5
  desired_size   = 2
  disk_size_gb   = 100
}

# RDS PostgreSQL 15 Multi-AZ db.r6g.large, 7-day backups, encrypted.
db_instance_class        = "db.r6g.large"
db_allocated_storage     = 100
db_max_allocated_storage = 500
db_multi_az              = true
db_backup_retention_days = 7

# ElastiCache Redis 7, Multi-AZ.
redis_node_type = "cache.t3.medium"
redis_multi_az  = true

# DR in us-west-2: backups, buckets and images replicated. Set
# secondary_load_balancer once the standby cluster's ingress exists to
# turn on Route 53 failover to it.
dr_enabled = true

hostnames       = ["pathavana.com", "www.pathavana.com"]
origin_hostname = "origin.pathavana.com"

monthly_budget_usd = 1000
alert_emails       = ["devops@pathavana.com", "engineering-manager@pathavana.com"]
