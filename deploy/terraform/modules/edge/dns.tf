# DNS and certificates. CloudFront serves the public names; it reaches the
# origin through origin_hostname, a Route 53 failover record: PRIMARY is
# the primary region's load balancer, guarded by a health check on
# /readyz; SECONDARY is the standby region's. Each region also has its own
# name (primary.<origin>, secondary.<origin>) that the health checks probe,
# so a check measures one region, never the failover result: the Ingress
# must answer /readyz for those host names too.

data "aws_route53_zone" "this" {
  name         = var.zone_name
  private_zone = false
}

locals {
  # Serving (CloudFront, WAF, records, health checks) needs the primary
  # load balancer; the certificates do not, so they exist from the first
  # apply and the ingress controller can use the origin certificate.
  serve = var.primary_load_balancer != null
  regions = local.serve ? merge(
    { primary = var.primary_load_balancer },
    var.secondary_load_balancer == null ? {} : { secondary = var.secondary_load_balancer },
  ) : {}
}

resource "aws_route53_record" "regional" {
  for_each = local.regions
  zone_id  = data.aws_route53_zone.this.zone_id
  name     = "${each.key}.${var.origin_hostname}"
  type     = "A"
  alias {
    name                   = each.value.dns_name
    zone_id                = each.value.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_health_check" "regional" {
  for_each          = local.regions
  fqdn              = "${each.key}.${var.origin_hostname}"
  type              = "HTTPS"
  port              = 443
  resource_path     = var.health_check_path
  enable_sni        = true
  failure_threshold = 3
  request_interval  = 30
  measure_latency   = true
  tags              = merge(var.tags, { Name = "${var.name}-${each.key}" })
}

resource "aws_route53_record" "origin" {
  for_each        = local.regions
  zone_id         = data.aws_route53_zone.this.zone_id
  name            = var.origin_hostname
  type            = "A"
  set_identifier  = each.key
  health_check_id = aws_route53_health_check.regional[each.key].id

  failover_routing_policy {
    type = upper(each.key)
  }

  alias {
    name                   = each.value.dns_name
    zone_id                = each.value.zone_id
    evaluate_target_health = true
  }
}

resource "aws_route53_record" "public" {
  for_each = local.serve ? { for pair in setproduct(var.hostnames, ["A", "AAAA"]) : "${pair[0]}/${pair[1]}" => pair } : {}
  zone_id  = data.aws_route53_zone.this.zone_id
  name     = each.value[0]
  type     = each.value[1]
  alias {
    name                   = aws_cloudfront_distribution.this[0].domain_name
    zone_id                = aws_cloudfront_distribution.this[0].hosted_zone_id
    evaluate_target_health = false
  }
}

# The viewer certificate: CloudFront wants it in us-east-1.
resource "aws_acm_certificate" "viewer" {
  provider                  = aws.us_east_1
  domain_name               = var.hostnames[0]
  subject_alternative_names = slice(var.hostnames, 1, length(var.hostnames))
  validation_method         = "DNS"
  tags                      = var.tags
  lifecycle {
    create_before_destroy = true
  }
}

# The origin certificate, for the load balancer's TLS listener (annotate
# the ingress controller's Service with its ARN). CloudFront forwards the
# viewer's Host, so it covers the public names too; the regional names
# (primary.<origin>, secondary.<origin>) are what the health checks use.
resource "aws_acm_certificate" "origin" {
  domain_name               = var.origin_hostname
  subject_alternative_names = concat(["*.${var.origin_hostname}"], var.hostnames)
  validation_method         = "DNS"
  tags                      = var.tags
  lifecycle {
    create_before_destroy = true
  }
}

# One validation record per domain name (keys known at plan time); a
# wildcard shares its base name's record, and a name in both certificates
# has the same record in both.
locals {
  validation_records = {
    for o in concat(tolist(aws_acm_certificate.viewer.domain_validation_options), tolist(aws_acm_certificate.origin.domain_validation_options)) :
    o.domain_name => {
      name  = o.resource_record_name
      type  = o.resource_record_type
      value = o.resource_record_value
    }... if !startswith(o.domain_name, "*.")
  }
}

resource "aws_route53_record" "validation" {
  for_each        = local.validation_records
  zone_id         = data.aws_route53_zone.this.zone_id
  name            = each.value[0].name
  type            = each.value[0].type
  records         = [each.value[0].value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "viewer" {
  provider                = aws.us_east_1
  certificate_arn         = aws_acm_certificate.viewer.arn
  validation_record_fqdns = [for o in aws_acm_certificate.viewer.domain_validation_options : o.resource_record_name]
  depends_on              = [aws_route53_record.validation]
}

resource "aws_acm_certificate_validation" "origin" {
  certificate_arn         = aws_acm_certificate.origin.arn
  validation_record_fqdns = [for o in aws_acm_certificate.origin.domain_validation_options : o.resource_record_name]
  depends_on              = [aws_route53_record.validation]
}
