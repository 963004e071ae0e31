"""What the KB says: countries and their profiles, the catalogues of gaps, practices and instruments, labels."""
