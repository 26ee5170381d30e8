# Application secrets live in Secrets Manager, encrypted with the
# environment key, under pathavana/<environment>/…, and reach pods through
# the External Secrets operator (ServiceAccount pathavana-external-secrets,
# IRSA role external_secrets in iam.tf; deploy/k8s/base/externalsecret.yaml
# reads the keys below).
#
# Terraform generates the database password, the Redis AUTH token and the
# first access-token signing key, and writes the connection URLs; operators
# fill in the provider credentials (SMTP, Google) with put-secret-value, and
# Terraform leaves the value alone afterwards (ignore_changes). Rotation is
# described in docs/maintenance.md.

resource "random_password" "jwt" {
  length  = 64
  special = false
}

# Master key and blind-index key of travelers' PII (32 random bytes each,
# base64). Rotate the master key by prepending a new id:key to
# PATHAVANA_PII_KEYS and running `pathavana keys rotate`.
resource "random_id" "pii_master" {
  byte_length = 32
}

resource "random_id" "pii_index" {
  byte_length = 32
}

resource "random_password" "db" {
  length  = 40
  special = false
}

resource "random_password" "redis" {
  length  = 64
  special = false
}

resource "aws_secretsmanager_secret" "app" {
  name                    = "pathavana/${var.environment}/app"
  description             = "Pathavana application settings that are secrets (PATHAVANA_* variables)"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 30
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "app" {
  secret_id = aws_secretsmanager_secret.app.id
  secret_string = jsonencode({
    PATHAVANA_DATABASE_URL         = "postgres://${var.database_username}:${random_password.db.result}@${var.database_endpoint}/${var.database_name}?sslmode=require"
    PATHAVANA_REDIS_URL            = "rediss://:${random_password.redis.result}@${var.redis_endpoint}:6379/0"
    PATHAVANA_JWT_SECRETS          = "k1:${random_password.jwt.result}"
    PATHAVANA_PII_KEYS             = "p1:${random_id.pii_master.b64_std}"
    PATHAVANA_PII_INDEX_KEY        = random_id.pii_index.b64_std
    PATHAVANA_SMTP_USERNAME        = ""
    PATHAVANA_SMTP_PASSWORD        = ""
    PATHAVANA_GOOGLE_CLIENT_SECRET = ""
  })

  lifecycle {
    ignore_changes = [secret_string]
  }
}

resource "aws_secretsmanager_secret" "redis" {
  name                    = "pathavana/${var.environment}/redis"
  description             = "AUTH token of the ElastiCache replication group"
  kms_key_id              = aws_kms_key.main.arn
  recovery_window_in_days = 30
  tags                    = var.tags
}

resource "aws_secretsmanager_secret_version" "redis" {
  secret_id     = aws_secretsmanager_secret.redis.id
  secret_string = random_password.redis.result
}
