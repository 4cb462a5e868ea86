// VouchCore module.
