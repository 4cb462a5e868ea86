// VouchCrypto module.
