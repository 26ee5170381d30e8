# The EKS cluster of the documents: one application node group and one GPU
# node group for ML workloads, private nodes, encrypted secrets and
# volumes, IRSA, control-plane logging, and the IRSA roles of the cluster
# add-ons (EBS CSI driver, cluster autoscaler, AWS Load Balancer Controller).

locals {
  encrypted_root_volume = {
    for k, g in { application = var.application_node_group, gpu = var.gpu_node_group } : k => {
      xvda = {
        device_name = "/dev/xvda"
        ebs = {
          volume_size           = g.disk_size_gb
          volume_type           = "gp3"
          encrypted             = true
          kms_key_id            = var.kms_key_arn
          delete_on_termination = true
        }
      }
    }
  }

  autoscaler_tags = {
    "k8s.io/cluster-autoscaler/enabled"     = "true"
    "k8s.io/cluster-autoscaler/${var.name}" = "owned"
  }

  application_node_group = {
    application = {
      name                  = "application"
      instance_types        = var.application_node_group.instance_types
      capacity_type         = var.application_node_group.capacity_type
      ami_type              = "AL2023_x86_64_STANDARD"
      min_size              = var.application_node_group.min_size
      max_size              = var.application_node_group.max_size
      desired_size          = var.application_node_group.desired_size
      block_device_mappings = local.encrypted_root_volume.application
      labels                = { workload = "application" }
      tags                  = local.autoscaler_tags
    }
  }

  gpu_node_group = var.gpu_node_group.enabled ? {
    gpu = {
      name                  = "gpu"
      instance_types        = var.gpu_node_group.instance_types
      capacity_type         = var.gpu_node_group.capacity_type
      ami_type              = "AL2023_x86_64_NVIDIA"
      min_size              = var.gpu_node_group.min_size
      max_size              = var.gpu_node_group.max_size
      desired_size          = var.gpu_node_group.desired_size
      block_device_mappings = local.encrypted_root_volume.gpu
      labels                = { workload = "ml", "nvidia.com/gpu.present" = "true" }
      taints = {
        gpu = {
          key    = "nvidia.com/gpu"
          value  = "true"
          effect = "NO_SCHEDULE"
        }
      }
      tags = local.autoscaler_tags
    }
  } : {}

  access_entries = {
    for name, e in var.access_entries : name => {
      principal_arn = e.principal_arn
      policy_associations = {
        (name) = {
          policy_arn = "arn:aws:eks::aws:cluster-access-policy/${e.policy}"
          access_scope = length(e.namespaces) > 0 ? {
            type       = "namespace"
            namespaces = e.namespaces
            } : {
            type       = "cluster"
            namespaces = []
          }
        }
      }
    }
  }
}

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = var.name
  cluster_version = var.kubernetes_version

  vpc_id     = var.vpc_id
  subnet_ids = var.private_subnet_ids

  cluster_endpoint_private_access      = true
  cluster_endpoint_public_access       = length(var.api_allowed_cidrs) > 0
  cluster_endpoint_public_access_cidrs = var.api_allowed_cidrs

  create_kms_key = false
  cluster_encryption_config = {
    resources        = ["secrets"]
    provider_key_arn = var.kms_key_arn
  }

  cluster_enabled_log_types              = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  cloudwatch_log_group_retention_in_days = var.log_retention_days
  cloudwatch_log_group_kms_key_id        = var.kms_key_arn

  enable_irsa                              = true
  authentication_mode                      = "API"
  enable_cluster_creator_admin_permissions = false
  access_entries                           = local.access_entries

  cluster_addons = {
    coredns                = {}
    kube-proxy             = {}
    eks-pod-identity-agent = {}
    vpc-cni = {
      before_compute = true
      # The VPC CNI enforces the Kubernetes NetworkPolicies (default deny)
      # of deploy/k8s.
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    aws-ebs-csi-driver = {
      service_account_role_arn = module.ebs_csi_irsa.iam_role_arn
    }
  }

  eks_managed_node_group_defaults = {
    metadata_options = {
      http_endpoint               = "enabled"
      http_tokens                 = "required"
      http_put_response_hop_limit = 1
    }
  }
  eks_managed_node_groups = merge(local.application_node_group, local.gpu_node_group)

  # Traffic reaches the ingress controller only from its load balancer.
  node_security_group_additional_rules = {
    ingress_from_load_balancer_http = {
      description              = "ingress controller from its load balancer"
      protocol                 = "tcp"
      from_port                = 80
      to_port                  = 80
      type                     = "ingress"
      source_security_group_id = aws_security_group.load_balancer.id
    }
    ingress_from_load_balancer_https = {
      description              = "ingress controller from its load balancer"
      protocol                 = "tcp"
      from_port                = 443
      to_port                  = 443
      type                     = "ingress"
      source_security_group_id = aws_security_group.load_balancer.id
    }
  }

  tags = var.tags
}

# The security group of the ingress load balancer (attach it with the
# service.beta.kubernetes.io/aws-load-balancer-security-groups annotation
# of the ingress controller's Service). It admits HTTPS only from
# CloudFront's origin-facing addresses, so the WAF cannot be bypassed.
data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "load_balancer" {
  name        = "${var.name}-ingress-lb"
  description = "Ingress load balancer: HTTPS from CloudFront only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-ingress-lb", Role = "load-balancer" })
}

resource "aws_vpc_security_group_ingress_rule" "load_balancer_cloudfront" {
  security_group_id = aws_security_group.load_balancer.id
  description       = "HTTPS from CloudFront"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id
}

resource "aws_vpc_security_group_ingress_rule" "load_balancer_extra" {
  for_each          = toset(var.ingress_allowed_cidrs)
  security_group_id = aws_security_group.load_balancer.id
  description       = "HTTPS from an allowed network"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "load_balancer_nodes" {
  for_each                     = toset(["80", "443"])
  security_group_id            = aws_security_group.load_balancer.id
  description                  = "to the ingress controller"
  ip_protocol                  = "tcp"
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  referenced_security_group_id = module.eks.node_security_group_id
}

module "ebs_csi_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name             = "${var.name}-ebs-csi"
  attach_ebs_csi_policy = true
  ebs_csi_kms_cmk_ids   = [var.kms_key_arn]

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:ebs-csi-controller-sa"]
    }
  }
  tags = var.tags
}

module "cluster_autoscaler_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name                        = "${var.name}-cluster-autoscaler"
  attach_cluster_autoscaler_policy = true
  cluster_autoscaler_cluster_names = [var.name]

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:cluster-autoscaler"]
    }
  }
  tags = var.tags
}

module "load_balancer_controller_irsa" {
  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"
  version = "~> 5.48"

  role_name                              = "${var.name}-aws-load-balancer-controller"
  attach_load_balancer_controller_policy = true

  oidc_providers = {
    main = {
      provider_arn               = module.eks.oidc_provider_arn
      namespace_service_accounts = ["kube-system:aws-load-balancer-controller"]
    }
  }
  tags = var.tags
}
