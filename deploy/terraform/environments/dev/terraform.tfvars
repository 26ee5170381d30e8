# dev: small and cheap, single-AZ data stores, spot nodes, no GPU nodes.
environment = "dev"

single_nat_gateway = true

# Replace with the egress CIDR of your VPN (documentation range here).
eks_api_allowed_cidrs = ["198.51.100.0/24"]

# The infrastructure overview: spot t3.medium for development.
application_node_group = {
  instance_types = ["t3.medium", "t3a.medium"]
  capacity_type  = "SPOT"
  min_size       = 2
  max_size       = 4
  desired_size   = 2
  disk_size_gb   = 50
}

gpu_node_group = {
  enabled        = false
  instance_types = ["g4dn.xlarge"]
  capacity_type  = "SPOT"
  min_size       = 0
  max_size       = 1
  desired_size   = 0
  disk_size_gb   = 100
}

db_instance_class        = "db.t3.micro"
db_allocated_storage     = 20
db_max_allocated_storage = 100
db_multi_az              = false
db_backup_retention_days = 7
db_deletion_protection   = false

redis_node_type = "cache.t3.micro"
redis_multi_az  = false

dr_enabled = false

hostnames       = ["dev.pathavana.com"]
origin_hostname = "origin.dev.pathavana.com"

monthly_budget_usd = 250
alert_emails       = ["devops@pathavana.com"]
