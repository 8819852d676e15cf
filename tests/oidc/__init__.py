"""The OpenID Connect provider the sign-in tests run against (oidc-provider from npm, see provider.mjs)."""
