// VouchVerifier module.
