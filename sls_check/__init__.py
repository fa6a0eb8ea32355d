"""slscheck: check an AWS serverless architecture before it is deployed."""

__version__ = "0.1.0"

# The project's repository: defined here once (docs/install.md explains the placeholder; pyproject's
# [project.urls] repeats it, and a test keeps the two equal). Rule packs name it as `{repository}`.
REPOSITORY = "https://github.com/OWNER/slscheck"
ISSUES = f"{REPOSITORY}/issues"
