"""Settings an admin changes at run time (case-number pattern, municipality name, ...)."""
