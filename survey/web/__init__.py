"""Web plumbing floor: security headers, assets, error pages, the service's words (i18n), render caches."""
