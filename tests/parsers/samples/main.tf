terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = {
      source = "hashicorp/random"
    }
  }
  backend "s3" {
    bucket = "example-terraform-state"
    key    = "orders/terraform.tfstate"
    region = "eu-west-1"
  }
}

provider "aws" {
  region = var.region # set per environment
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

/* The bucket name gets a random suffix { so it is unique } */
resource "random_id" "suffix" {
  byte_length = 4
}

resource "aws_s3_bucket" "artifacts" {
  bucket = "orders-artifacts-${random_id.suffix.hex}"
  tags = {
    Team = "orders"
    Env  = "${var.region == "eu-west-1" ? "prod" : "dev"}"
  }
}

resource "aws_iam_policy" "deploy" {
  name   = "orders-deploy"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "*"}]
    }
  EOT
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  name    = "orders"
  cidr    = "10.0.0.0/16"
}

output "bucket" {
  value = aws_s3_bucket.artifacts.bucket
}
