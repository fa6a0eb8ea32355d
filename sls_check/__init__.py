"""slscheck: check an AWS serverless architecture before it is deployed."""

__version__ = "0.1.0"
