# The WAF of the distribution: AWS managed rules for common exploits, known
# bad inputs, SQL injection and bad-reputation IPs, plus a per-IP rate
# limit. Requests are logged to CloudWatch.

locals {
  managed_rule_groups = {
    "AWSManagedRulesCommonRuleSet"          = 10
    "AWSManagedRulesKnownBadInputsRuleSet"  = 20
    "AWSManagedRulesSQLiRuleSet"            = 30
    "AWSManagedRulesAmazonIpReputationList" = 40
  }
}

resource "aws_wafv2_web_acl" "this" {
  count       = local.serve ? 1 : 0
  provider    = aws.us_east_1
  name        = var.name
  description = "Pathavana edge protection"
  scope       = "CLOUDFRONT"

  default_action {
    allow {}
  }

  rule {
    name     = "rate-limit-per-ip"
    priority = 1
    action {
      block {}
    }
    statement {
      rate_based_statement {
        limit              = var.waf_rate_limit
        aggregate_key_type = "IP"
      }
    }
    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${var.name}-rate-limit"
      sampled_requests_enabled   = true
    }
  }

  dynamic "rule" {
    for_each = local.managed_rule_groups
    content {
      name     = rule.key
      priority = rule.value
      override_action {
        none {}
      }
      statement {
        managed_rule_group_statement {
          vendor_name = "AWS"
          name        = rule.key
        }
      }
      visibility_config {
        cloudwatch_metrics_enabled = true
        metric_name                = "${var.name}-${rule.key}"
        sampled_requests_enabled   = true
      }
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = var.name
    sampled_requests_enabled   = true
  }

  tags = var.tags
}

# WAF log groups must be named aws-waf-logs-* and live in us-east-1 for a
# CloudFront ACL; they are encrypted by CloudWatch Logs.
resource "aws_cloudwatch_log_group" "waf" {
  count             = local.serve ? 1 : 0
  provider          = aws.us_east_1
  name              = "aws-waf-logs-${var.name}"
  retention_in_days = 90
  tags              = var.tags
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  count                   = local.serve ? 1 : 0
  provider                = aws.us_east_1
  resource_arn            = aws_wafv2_web_acl.this[0].arn
  log_destination_configs = [aws_cloudwatch_log_group.waf[0].arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }
  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}
