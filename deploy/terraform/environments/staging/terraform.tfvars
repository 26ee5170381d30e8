# staging: production's shape at a smaller size; GPU node group scaled to
# zero until a model server is tested.
environment = "staging"

single_nat_gateway = false

# Replace with the egress CIDRs of your VPN and self-hosted CI runners.
eks_api_allowed_cidrs = ["198.51.100.0/24"]

application_node_group = {
  instance_types = ["m5.large"]
  capacity_type  = "ON_DEMAND"
  min_size       = 2
  max_size       = 6
  desired_size   = 2
  disk_size_gb   = 50
}

gpu_node_group = {
  enabled        = true
  instance_types = ["g4dn.xlarge"]
  capacity_type  = "ON_DEMAND"
  min_size       = 0
  max_size       = 2
  desired_size   = 0
  disk_size_gb   = 100
}

db_instance_class        = "db.t3.small"
db_allocated_storage     = 20
db_max_allocated_storage = 100
db_multi_az              = false
db_backup_retention_days = 7

redis_node_type = "cache.t3.small"
redis_multi_az  = false

dr_enabled = false

hostnames       = ["staging.pathavana.com"]
origin_hostname = "origin.staging.pathavana.com"

# The documents: staging costs about half of production.
monthly_budget_usd = 500
alert_emails       = ["devops@pathavana.com"]
