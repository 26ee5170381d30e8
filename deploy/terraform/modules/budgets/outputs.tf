output "alert_topic_arn" {
  description = "SNS topic of cost alerts (subscribe chat or paging integrations)."
  value       = aws_sns_topic.cost_alerts.arn
}

output "budget_name" {
  description = "Name of the monthly budget."
  value       = aws_budgets_budget.monthly.name
}
