"""Full-text search over assessments with the database's own engine, and the similar assessments of a proposal."""
