// VouchIssuer module.
