"""One module per command group; each registers its commands on `cli.application.app` on import."""
