// VouchQR module.
