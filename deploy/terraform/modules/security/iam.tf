# The IAM roles matrix of the operations documents:
#
# | role           | purpose                        | access               |
# |----------------|--------------------------------|----------------------|
# | platform-admin | infrastructure management      | full (MFA)           |
# | developer      | development and debugging      | read + limited write |
# | ci-cd          | automated deployments (GitHub) | deployment only      |
# | monitoring     | metrics collection             | read only            |
#
# plus two IRSA roles: the application's ServiceAccount (S3) and the
# External Secrets operator's (Secrets Manager).

locals {
  human_principals = length(var.trusted_principal_arns) > 0 ? var.trusted_principal_arns : ["arn:${local.partition}:iam::${local.account_id}:root"]
  github_subjects = length(var.github_oidc_subjects) > 0 ? var.github_oidc_subjects : [
    "repo:${var.github_repository}:environment:${var.environment}",
    "repo:${var.github_repository}:ref:refs/heads/main",
  ]
  github_oidc_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : "arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com"
  app_subject     = "system:serviceaccount:${var.app_namespace}:${var.app_service_account}"
  eso_subject     = "system:serviceaccount:${var.app_namespace}:${var.external_secrets_service_account}"
}

data "aws_iam_policy_document" "humans" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]
    principals {
      type        = "AWS"
      identifiers = local.human_principals
    }
    condition {
      test     = "Bool"
      variable = "aws:MultiFactorAuthPresent"
      values   = ["true"]
    }
  }
}

# platform-admin: full access, MFA required.
resource "aws_iam_role" "platform_admin" {
  name                 = "${var.name}-platform-admin"
  description          = "Infrastructure management (full access)"
  assume_role_policy   = data.aws_iam_policy_document.humans.json
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "platform_admin" {
  role       = aws_iam_role.platform_admin.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AdministratorAccess"
}

# developer: read everything, write a few operational things, never read
# production data (backups, decrypted secrets).
resource "aws_iam_role" "developer" {
  name                 = "${var.name}-developer"
  description          = "Development and debugging (read + limited write)"
  assume_role_policy   = data.aws_iam_policy_document.humans.json
  max_session_duration = 28800
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "developer_read" {
  role       = aws_iam_role.developer.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/ReadOnlyAccess"
}

data "aws_iam_policy_document" "developer" {
  statement {
    sid       = "ClusterAccess"
    actions   = ["eks:DescribeCluster", "eks:ListClusters", "eks:AccessKubernetesApi"]
    resources = ["*"]
  }
  statement {
    sid       = "LogInsights"
    actions   = ["logs:StartQuery", "logs:StopQuery", "logs:GetQueryResults", "logs:FilterLogEvents"]
    resources = ["*"]
  }
  statement {
    sid       = "Dashboards"
    actions   = ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"]
    resources = ["arn:${local.partition}:cloudwatch::${local.account_id}:dashboard/pathavana-*"]
  }
  dynamic "statement" {
    for_each = var.environment == "production" ? [1] : []
    content {
      sid     = "NoProductionData"
      effect  = "Deny"
      actions = ["s3:GetObject", "s3:GetObjectVersion", "secretsmanager:GetSecretValue", "kms:Decrypt"]
      resources = [
        "${var.backups_bucket_arn}/*",
        "${var.assets_bucket_arn}/*",
        aws_secretsmanager_secret.app.arn,
        aws_secretsmanager_secret.redis.arn,
        aws_kms_key.main.arn,
      ]
    }
  }
}

resource "aws_iam_role_policy" "developer" {
  name   = "limited-write"
  role   = aws_iam_role.developer.id
  policy = data.aws_iam_policy_document.developer.json
}

# monitoring: read-only metrics, for people and for the monitoring stack's
# service accounts (IRSA).
data "aws_iam_policy_document" "monitoring_assume" {
  source_policy_documents = [data.aws_iam_policy_document.humans.json]
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider}:sub"
      values   = [for sa in var.monitoring_service_accounts : "system:serviceaccount:${sa}"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name               = "${var.name}-monitoring"
  description        = "Metrics collection (read only)"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring_cloudwatch" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/CloudWatchReadOnlyAccess"
}

# ci-cd: GitHub Actions through OIDC (no stored keys); pushes images and
# reaches the cluster, where its access entry limits it to the
# application namespace.
resource "aws_iam_openid_connect_provider" "github" {
  count           = var.create_github_oidc_provider ? 1 : 0
  url             = "https://token.actions.githubusercontent.com"
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["6938fd4d98bab03faadb97b34396831e3780aea1", "1c58a3a8518e8759bf075b76b750d4f2df264fcd"]
  tags            = var.tags
}

data "aws_iam_policy_document" "ci_cd_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = local.github_subjects
    }
  }
}

resource "aws_iam_role" "ci_cd" {
  name                 = "${var.name}-ci-cd"
  description          = "Automated deployments (deployment only)"
  assume_role_policy   = data.aws_iam_policy_document.ci_cd_assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "ci_cd" {
  statement {
    sid       = "RegistryLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid = "PushImages"
    actions = [
      "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage",
      "ecr:DescribeImages", "ecr:DescribeImageScanFindings",
    ]
    resources = [var.ecr_repository_arn]
  }
  statement {
    sid       = "ImageEncryption"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = [aws_kms_key.main.arn]
  }
  statement {
    sid       = "Cluster"
    actions   = ["eks:DescribeCluster"]
    resources = [var.eks_cluster_arn]
  }
}

resource "aws_iam_role_policy" "ci_cd" {
  name   = "deploy"
  role   = aws_iam_role.ci_cd.id
  policy = data.aws_iam_policy_document.ci_cd.json
}

# IRSA: the application's ServiceAccount (namespace pathavana, name
# pathavana) assumes this role. It reads and writes assets and writes and
# reads database backups; it cannot read secrets.
data "aws_iam_policy_document" "app_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider}:sub"
      values   = [local.app_subject]
    }
  }
}

resource "aws_iam_role" "app" {
  name               = "${var.name}-app"
  description        = "IRSA role of ServiceAccount ${var.app_namespace}/${var.app_service_account}"
  assume_role_policy = data.aws_iam_policy_document.app_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "app" {
  statement {
    sid       = "Assets"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${var.assets_bucket_arn}/*"]
  }
  statement {
    sid       = "Backups"
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = ["${var.backups_bucket_arn}/daily/*", "${var.backups_bucket_arn}/monthly/*"]
  }
  statement {
    sid       = "ListBuckets"
    actions   = ["s3:ListBucket"]
    resources = [var.assets_bucket_arn, var.backups_bucket_arn]
  }
  statement {
    sid       = "Encryption"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = [aws_kms_key.main.arn]
  }
}

resource "aws_iam_role_policy" "app" {
  name   = "app"
  role   = aws_iam_role.app.id
  policy = data.aws_iam_policy_document.app.json
}

# IRSA: the External Secrets operator's SecretStore authenticates as
# ServiceAccount pathavana/pathavana-external-secrets and may read this
# environment's secrets, nothing else.
data "aws_iam_policy_document" "external_secrets_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [var.eks_oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "${var.eks_oidc_provider}:sub"
      values   = [local.eso_subject]
    }
  }
}

resource "aws_iam_role" "external_secrets" {
  name               = "${var.name}-external-secrets"
  description        = "IRSA role of ServiceAccount ${var.app_namespace}/${var.external_secrets_service_account}"
  assume_role_policy = data.aws_iam_policy_document.external_secrets_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "external_secrets" {
  statement {
    sid       = "Secrets"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [aws_secretsmanager_secret.app.arn, aws_secretsmanager_secret.redis.arn]
  }
  statement {
    sid       = "Decrypt"
    actions   = ["kms:Decrypt"]
    resources = [aws_kms_key.main.arn]
  }
}

resource "aws_iam_role_policy" "external_secrets" {
  name   = "read-secrets"
  role   = aws_iam_role.external_secrets.id
  policy = data.aws_iam_policy_document.external_secrets.json
}
