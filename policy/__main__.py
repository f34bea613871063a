"""Serve govcloud's policy pack to the Pulumi engine (checks: govcloud.crossguard)."""

from govcloud.crossguard.pack import serve

serve()
