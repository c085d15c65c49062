"""vendorvet — vet third-party apps and API integrations before and after a company connects them."""

__version__ = "0.1.0"
