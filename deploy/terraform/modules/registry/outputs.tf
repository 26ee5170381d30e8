output "repository_url" {
  description = "Image repository URL (<account>.dkr.ecr.<region>.amazonaws.com/pathavana)."
  value       = aws_ecr_repository.app.repository_url
}

output "repository_arn" {
  description = "Repository ARN."
  value       = aws_ecr_repository.app.arn
}
