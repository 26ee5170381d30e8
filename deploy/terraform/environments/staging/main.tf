# One Pathavana environment on AWS. dev, staging and production share this
# file word for word (a test keeps them identical); they differ only in
# terraform.tfvars and backend.hcl. Usage, from this directory:
#
#   terraform init -backend-config=backend.hcl
#   terraform plan -out=tfplan        # reads terraform.tfvars
#   terraform apply tfplan
#
# See docs/deployment.md for the first deployment (-var edge_enabled=false
# until the ingress load balancer exists).

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.70"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.6"
    }
  }

  # S3 state with DynamoDB locking; the bucket, key and table come from
  # backend.hcl (created by deploy/terraform/bootstrap).
  backend "s3" {}
}

locals {
  # The standby stack of a region failover uses a suffix (e.g. -standby):
  # IAM roles, budgets and bucket names are global.
  name = "pathavana-${var.environment}${var.name_suffix}"

  # Cost allocation tags on every resource (provider default tags).
  tags = {
    Project     = "pathavana"
    Environment = var.environment
    CostCenter  = var.cost_center
    Owner       = var.owner
    ManagedBy   = "terraform"
  }

  production = var.environment == "production"
}

provider "aws" {
  region              = var.region
  allowed_account_ids = var.aws_account_id == "" ? null : [var.aws_account_id]
  default_tags {
    tags = local.tags
  }
}

# CloudFront certificates and WAF live in us-east-1.
provider "aws" {
  alias               = "us_east_1"
  region              = "us-east-1"
  allowed_account_ids = var.aws_account_id == "" ? null : [var.aws_account_id]
  default_tags {
    tags = local.tags
  }
}

# The disaster-recovery region: replicated backups, images and buckets.
provider "aws" {
  alias               = "dr"
  region              = var.dr_region
  allowed_account_ids = var.aws_account_id == "" ? null : [var.aws_account_id]
  default_tags {
    tags = local.tags
  }
}

# Plan-time guard rails: production is highly available and recoverable.
resource "terraform_data" "policy" {
  lifecycle {
    precondition {
      condition     = !local.production || (var.db_multi_az && var.redis_multi_az && !var.single_nat_gateway)
      error_message = "production needs Multi-AZ RDS and Redis and a NAT gateway per AZ."
    }
    precondition {
      condition     = !local.production || var.dr_enabled
      error_message = "production replicates backups to the DR region (dr_enabled = true)."
    }
    precondition {
      condition     = var.db_backup_retention_days >= 7
      error_message = "database backups are kept at least 7 days."
    }
  }
}

module "security" {
  source = "../../modules/security"

  name                        = local.name
  environment                 = var.environment
  trusted_principal_arns      = var.trusted_principal_arns
  github_repository           = var.github_repository
  create_github_oidc_provider = var.create_github_oidc_provider
  eks_oidc_provider_arn       = module.eks.oidc_provider_arn
  eks_oidc_provider           = module.eks.oidc_provider
  eks_cluster_arn             = module.eks.cluster_arn
  assets_bucket_arn           = module.storage.bucket_arns["assets"]
  backups_bucket_arn          = module.storage.bucket_arns["backups"]
  ecr_repository_arn          = module.registry.repository_arn
  database_endpoint           = module.rds.endpoint
  redis_endpoint              = module.redis.primary_endpoint
  tags                        = local.tags
}

module "network" {
  source = "../../modules/network"

  name               = local.name
  cluster_name       = local.name
  cidr               = var.vpc_cidr
  azs                = var.azs
  public_subnets     = var.public_subnets
  private_subnets    = var.private_subnets
  database_subnets   = var.database_subnets
  single_nat_gateway = var.single_nat_gateway
  kms_key_arn        = module.security.kms_key_arn
  tags               = local.tags
}

module "eks" {
  source = "../../modules/eks"

  name                   = local.name
  kubernetes_version     = var.kubernetes_version
  vpc_id                 = module.network.vpc_id
  private_subnet_ids     = module.network.private_subnet_ids
  kms_key_arn            = module.security.kms_key_arn
  api_allowed_cidrs      = var.eks_api_allowed_cidrs
  application_node_group = var.application_node_group
  gpu_node_group         = var.gpu_node_group

  access_entries = {
    platform-admin = {
      principal_arn = module.security.platform_admin_role_arn
      policy        = "AmazonEKSClusterAdminPolicy"
      namespaces    = []
    }
    developer = {
      principal_arn = module.security.developer_role_arn
      policy        = local.production ? "AmazonEKSViewPolicy" : "AmazonEKSEditPolicy"
      namespaces    = local.production ? [] : ["pathavana"]
    }
    ci-cd = {
      principal_arn = module.security.ci_cd_role_arn
      policy        = "AmazonEKSAdminPolicy"
      namespaces    = ["pathavana"]
    }
    monitoring = {
      principal_arn = module.security.monitoring_role_arn
      policy        = "AmazonEKSViewPolicy"
      namespaces    = []
    }
  }

  tags = local.tags
}

module "rds" {
  source = "../../modules/rds"
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name                            = local.name
  vpc_id                          = module.network.vpc_id
  db_subnet_group_name            = module.network.database_subnet_group_name
  allowed_security_group_ids      = [module.eks.node_security_group_id]
  kms_key_arn                     = module.security.kms_key_arn
  master_password                 = module.security.database_password
  engine_version                  = var.db_engine_version
  allow_major_version_upgrade     = var.db_allow_major_version_upgrade
  instance_class                  = var.db_instance_class
  allocated_storage               = var.db_allocated_storage
  max_allocated_storage           = var.db_max_allocated_storage
  multi_az                        = var.db_multi_az
  backup_retention_period         = var.db_backup_retention_days
  deletion_protection             = local.production || var.db_deletion_protection
  cross_region_backup_replication = var.dr_enabled
  tags                            = local.tags
}

module "redis" {
  source = "../../modules/redis"

  name                       = local.name
  vpc_id                     = module.network.vpc_id
  subnet_ids                 = module.network.database_subnet_ids
  allowed_security_group_ids = [module.eks.node_security_group_id]
  kms_key_arn                = module.security.kms_key_arn
  auth_token                 = module.security.redis_auth_token
  engine_version             = var.redis_engine_version
  node_type                  = var.redis_node_type
  multi_az                   = var.redis_multi_az
  tags                       = local.tags
}

module "storage" {
  source = "../../modules/storage"
  providers = {
    aws    = aws
    aws.dr = aws.dr
  }

  name          = local.name
  kms_key_arn   = module.security.kms_key_arn
  replication   = var.dr_enabled
  force_destroy = var.environment == "dev"
  tags          = local.tags
}

module "registry" {
  source = "../../modules/registry"

  repository_name    = var.repository_name
  kms_key_arn        = module.security.kms_key_arn
  replication_region = var.dr_enabled ? var.dr_region : ""
  tags               = local.tags
}

# The ingress load balancer is created by the AWS Load Balancer Controller
# for the ingress controller's Service, named pathavana-<env>-ingress through
# the service.beta.kubernetes.io/aws-load-balancer-name annotation (see
# docs/deployment.md).
data "aws_lb" "ingress" {
  count = var.edge_enabled ? 1 : 0
  name  = "${local.name}-ingress"
}

module "edge" {
  source = "../../modules/edge"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }

  name            = local.name
  zone_name       = var.zone_name
  hostnames       = var.hostnames
  origin_hostname = var.origin_hostname
  # Null until the ingress load balancer exists: then only the certificates
  # are created.
  primary_load_balancer   = var.edge_enabled ? { dns_name = data.aws_lb.ingress[0].dns_name, zone_id = data.aws_lb.ingress[0].zone_id } : null
  secondary_load_balancer = var.secondary_load_balancer
  logs_bucket_domain_name = module.storage.logs_bucket_domain_name
  waf_rate_limit          = var.waf_rate_limit
  shield_advanced         = var.shield_advanced
  tags                    = local.tags
}

module "budgets" {
  source = "../../modules/budgets"

  name                          = local.name
  environment                   = var.environment
  monthly_limit_usd             = var.monthly_budget_usd
  alert_emails                  = var.alert_emails
  kms_key_arn                   = module.security.kms_key_arn
  activate_cost_allocation_tags = var.activate_cost_allocation_tags
  tags                          = local.tags
}
