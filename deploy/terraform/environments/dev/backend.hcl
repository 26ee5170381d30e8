# terraform init -backend-config=backend.hcl
# The bucket, table and key are created by deploy/terraform/bootstrap in
# this environment's account.
bucket         = "pathavana-terraform-state-dev"
key            = "dev/terraform.tfstate"
region         = "us-east-1"
dynamodb_table = "pathavana-terraform-locks"
encrypt        = true
kms_key_id     = "alias/pathavana-terraform-state"
