# The CDN in front of both hosts, mirroring the local edge (src/WoningPas.DevHost/Edge and deploy/edge):
#   /api, /account, /staff, /healthz  -> the on-premise Api: never cached, cookies and headers passed through
#   everything else                   -> the cloud Web: cached by path, no cookie, no query string, no header
# /metrics is deliberately not routed to the Api: it falls to Web, which answers 404.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  # CloudFront is global; its certificates live in us-east-1.
  region = "us-east-1"
}

variable "domain_name" {
  description = "The public name, e.g. woningpas.vlaanderen.be"
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate (us-east-1) for domain_name"
  type        = string
}

variable "web_origin_domain" {
  description = "The cloud load balancer in front of woningpas-web"
  type        = string
}

variable "api_origin_domain" {
  description = "The on-premise edge/WAF in front of woningpas-api (deploy/edge); never a Kubernetes service directly"
  type        = string
}

variable "origin_secret" {
  description = "Shared secret the on-premise edge requires in X-Origin-Verify, so only the CDN reaches it"
  type        = string
  sensitive   = true
}

variable "allowed_countries" {
  description = "Country allow-list (ISO 3166-1 alpha-2), the same as the edge's"
  type        = list(string)
  default     = ["BE", "NL", "LU", "FR", "DE"]
}

locals {
  web_origin_id = "woningpas-web"
  api_origin_id = "woningpas-api-onprem"
  # The Api's paths, exactly the local edge's list.
  api_paths = ["/api/*", "/account/*", "/staff/*", "/healthz/*"]
  # Fingerprinted static assets: the same cookie-less policy, long lived at the origin (immutable).
  static_paths = ["/css/*", "/js/*", "/img/*", "/lib/*"]
}

data "aws_cloudfront_cache_policy" "caching_disabled" {
  name = "Managed-CachingDisabled"
}

data "aws_cloudfront_origin_request_policy" "all_viewer_except_host" {
  name = "Managed-AllViewerExceptHostHeader"
}

# Web pages are the same for everybody: the key is the path (and the compression), nothing else.
resource "aws_cloudfront_cache_policy" "web_by_path" {
  name        = "woningpas-web-by-path"
  comment     = "Cache by path only; honour the origin's s-maxage"
  min_ttl     = 0
  default_ttl = 60
  max_ttl     = 31536000

  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true

    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

# Nothing of the viewer reaches Web: no cookie (a session must never end up in a cached page), no header, no query.
resource "aws_cloudfront_origin_request_policy" "web_nothing" {
  name    = "woningpas-web-no-cookies"
  comment = "No cookie, header or query string to the cloud host"

  cookies_config {
    cookie_behavior = "none"
  }
  headers_config {
    header_behavior = "none"
  }
  query_strings_config {
    query_string_behavior = "none"
  }
}

resource "aws_cloudfront_response_headers_policy" "security" {
  name = "woningpas-security-headers"

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }
    content_type_options {
      override = true
    }
    frame_options {
      frame_option = "DENY"
      override     = true
    }
    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }
  }
}

resource "aws_cloudfront_distribution" "woningpas" {
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  price_class     = "PriceClass_100"
  aliases         = [var.domain_name]
  comment         = "WoningPas: cloud Web, on-premise Api"

  origin {
    origin_id   = local.web_origin_id
    domain_name = var.web_origin_domain

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id   = local.api_origin_id
    domain_name = var.api_origin_domain

    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
      origin_read_timeout    = 30
    }

    custom_header {
      name  = "X-Origin-Verify"
      value = var.origin_secret
    }
  }

  default_cache_behavior {
    target_origin_id           = local.web_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = aws_cloudfront_cache_policy.web_by_path.id
    origin_request_policy_id   = aws_cloudfront_origin_request_policy.web_nothing.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  dynamic "ordered_cache_behavior" {
    for_each = local.static_paths
    content {
      path_pattern               = ordered_cache_behavior.value
      target_origin_id           = local.web_origin_id
      viewer_protocol_policy     = "redirect-to-https"
      allowed_methods            = ["GET", "HEAD"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = aws_cloudfront_cache_policy.web_by_path.id
      origin_request_policy_id   = aws_cloudfront_origin_request_policy.web_nothing.id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    }
  }

  dynamic "ordered_cache_behavior" {
    for_each = local.api_paths
    content {
      path_pattern               = ordered_cache_behavior.value
      target_origin_id           = local.api_origin_id
      viewer_protocol_policy     = "https-only"
      allowed_methods            = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
      cached_methods             = ["GET", "HEAD"]
      compress                   = true
      cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled.id
      origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer_except_host.id
      response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "whitelist"
      locations        = var.allowed_countries
    }
  }

  viewer_certificate {
    acm_certificate_arn      = var.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

output "distribution_domain_name" {
  value = aws_cloudfront_distribution.woningpas.domain_name
}
